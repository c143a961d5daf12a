package cluster

import (
	"math"

	"github.com/storyline/storyline/text"
)

// dfBits sizes the hashed document-frequency table (4 MiB of counters).
const dfBits = 20

// DF counts in how many documents each term occurs, in a fixed-size
// hashed table, for inverse document frequencies that follow the stream.
type DF struct {
	N      uint32
	counts []uint32
	// IDF values by document frequency, for the current N: an article's
	// terms share few distinct frequencies. stamp[df] == N+1 marks a
	// value computed for this N.
	idf   [idfMemo]float64
	stamp [idfMemo]uint32
	// unit's scratch: the frequencies of a vector's terms
	dfs []uint32
}

// idfMemo is how many document frequencies (0..idfMemo-1) have their IDF
// remembered.
const idfMemo = 4096

// NewDF returns an empty table.
func NewDF() *DF { return &DF{counts: make([]uint32, 1<<dfBits)} }

// Add counts one document with the given terms.
func (f *DF) Add(lists ...[]text.Weighted) {
	f.N++
	for _, l := range lists {
		for _, x := range l {
			f.counts[uint32(x.Term)&(1<<dfBits-1)]++
		}
	}
}

// IDF returns the smoothed inverse document frequency of t.
func (f *DF) IDF(t text.Term) float64 {
	return f.idfOf(f.counts[uint32(t)&(1<<dfBits-1)])
}

// idfOf is the smoothed inverse document frequency of a term with
// document frequency df.
func (f *DF) idfOf(df uint32) float64 {
	if df < idfMemo {
		if f.stamp[df] == f.N+1 {
			return f.idf[df]
		}
		v := math.Log(float64(f.N+1)/float64(df+1)) + 1
		f.idf[df], f.stamp[df] = v, f.N+1
		return v
	}
	return math.Log(float64(f.N+1)/float64(df+1)) + 1
}

// logSmall[k] is math.Log(k): term counts are mostly small whole numbers.
var logSmall = func() (t [64]float64) {
	for k := range t {
		t[k] = math.Log(float64(k))
	}
	return t
}()

// unit returns the unit-length TF-IDF vector of raw term weights, with
// sublinear term frequency.
func (f *DF) unit(raw []text.Weighted) []text.Weighted {
	out := make([]text.Weighted, len(raw))
	// The frequencies first, in a loop of independent loads, so that
	// their cache misses overlap.
	if cap(f.dfs) < len(raw) {
		f.dfs = make([]uint32, len(raw)+len(raw)/2)
	}
	dfs := f.dfs[:len(raw)]
	for i, x := range raw {
		dfs[i] = f.counts[uint32(x.Term)&(1<<dfBits-1)]
	}
	var s float64
	for i, x := range raw {
		var w float64
		switch k := int(x.W); {
		case x.W < 1:
			w = float64(x.W) * f.idfOf(dfs[i])
		case float32(k) == x.W && k < len(logSmall):
			w = (1 + logSmall[k]) * f.idfOf(dfs[i])
		default:
			w = (1 + math.Log(float64(x.W))) * f.idfOf(dfs[i])
		}
		out[i] = text.Weighted{Term: x.Term, W: float32(w)}
		s += w * w
	}
	if s == 0 {
		return out
	}
	n := float32(1 / math.Sqrt(s))
	for i := range out {
		out[i].W *= n
	}
	return out
}
