package server

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// metrics is a small Prometheus registry written by hand: counters and
// histograms with labels, rendered in the text exposition format 0.0.4.
// The server needs a dozen series; client_golang would add its protobuf
// and procfs dependencies for that.
type metrics struct {
	mu     sync.Mutex
	series map[string]*family
	order  []string
}

type family struct {
	name, help, kind string // kind: counter, gauge, histogram
	buckets          []float64
	vals             map[string]*sample // by rendered label set
}

type sample struct {
	labels string
	v      float64  // counter/gauge value, histogram sum
	count  uint64   // histogram count
	bucket []uint64 // histogram cumulative-on-render counts per bucket
	fn     func() float64
}

// latencyBuckets are the histogram bounds in seconds.
var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

func newMetrics() *metrics { return &metrics{series: map[string]*family{}} }

func (m *metrics) family(name, help, kind string) *family {
	f := m.series[name]
	if f == nil {
		f = &family{name: name, help: help, kind: kind, vals: map[string]*sample{}}
		if kind == "histogram" {
			f.buckets = latencyBuckets
		}
		m.series[name] = f
		m.order = append(m.order, name)
	}
	return f
}

// labelSet renders label pairs (name, value, name, value...) in order.
func labelSet(kv []string) string {
	if len(kv) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i+1 < len(kv); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(kv[i])
		b.WriteString(`="`)
		b.WriteString(escapeLabel(kv[i+1]))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

func escapeLabel(v string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`).Replace(v)
}

func (f *family) get(kv []string) *sample {
	ls := labelSet(kv)
	s := f.vals[ls]
	if s == nil {
		s = &sample{labels: ls}
		if f.kind == "histogram" {
			s.bucket = make([]uint64, len(f.buckets))
		}
		f.vals[ls] = s
	}
	return s
}

// add increases a counter.
func (m *metrics) add(name, help string, v float64, kv ...string) {
	m.mu.Lock()
	m.family(name, help, "counter").get(kv).v += v
	m.mu.Unlock()
}

// observe records one histogram observation.
func (m *metrics) observe(name, help string, v float64, kv ...string) {
	m.mu.Lock()
	f := m.family(name, help, "histogram")
	s := f.get(kv)
	s.v += v
	s.count++
	if i, _ := slices.BinarySearch(f.buckets, v); i < len(f.buckets) {
		s.bucket[i]++
	}
	m.mu.Unlock()
}

// since observes the seconds elapsed since t0.
func (m *metrics) since(name, help string, t0 time.Time, kv ...string) {
	m.observe(name, help, time.Since(t0).Seconds(), kv...)
}

// gaugeFunc registers a gauge read at scrape time.
func (m *metrics) gaugeFunc(name, help string, fn func() float64, kv ...string) {
	m.mu.Lock()
	m.family(name, help, "gauge").get(kv).fn = fn
	m.mu.Unlock()
}

func fmtFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// withLabel inserts one more label into a rendered label set.
func withLabel(ls, k, v string) string {
	pair := k + `="` + escapeLabel(v) + `"`
	if ls == "" {
		return "{" + pair + "}"
	}
	return ls[:len(ls)-1] + "," + pair + "}"
}

// writeTo renders every family in the text exposition format. Gauge
// functions run outside the lock.
func (m *metrics) writeTo(w io.Writer) error {
	type gf struct {
		s  *sample
		fn func() float64
	}
	m.mu.Lock()
	var fns []gf
	for _, f := range m.series {
		for _, s := range f.vals {
			if s.fn != nil {
				fns = append(fns, gf{s, s.fn})
			}
		}
	}
	m.mu.Unlock()
	vals := make(map[*sample]float64, len(fns))
	for _, g := range fns {
		vals[g.s] = g.fn()
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var b strings.Builder
	names := slices.Clone(m.order)
	slices.Sort(names)
	for _, name := range names {
		f := m.series[name]
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", name, f.help, name, f.kind)
		keys := make([]string, 0, len(f.vals))
		for k := range f.vals {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			s := f.vals[k]
			switch f.kind {
			case "histogram":
				var cum uint64
				for i, ub := range f.buckets {
					cum += s.bucket[i]
					fmt.Fprintf(&b, "%s_bucket%s %d\n", name, withLabel(k, "le", fmtFloat(ub)), cum)
				}
				fmt.Fprintf(&b, "%s_bucket%s %d\n", name, withLabel(k, "le", "+Inf"), s.count)
				fmt.Fprintf(&b, "%s_sum%s %s\n", name, k, fmtFloat(s.v))
				fmt.Fprintf(&b, "%s_count%s %d\n", name, k, s.count)
			default:
				v := s.v
				if s.fn != nil {
					v = vals[s]
				}
				fmt.Fprintf(&b, "%s%s %s\n", name, k, fmtFloat(v))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
