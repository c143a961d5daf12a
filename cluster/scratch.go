package cluster

import "github.com/storyline/storyline/text"

// memo is a table of values indexed by small non-negative integers that is
// valid until the next reset. Reset costs nothing (a generation stamp
// marks which entries belong to the current round), so tables used once
// per article need no clearing.
type memo[T any] struct {
	v     []T
	stamp []uint32
	gen   uint32
}

// reset forgets every entry.
func (m *memo[T]) reset() {
	if m.gen++; m.gen == 0 {
		clear(m.stamp)
		m.gen = 1
	}
}

// get returns entry i and whether it was set since the last reset.
func (m *memo[T]) get(i int) (T, bool) {
	if i < len(m.v) && m.stamp[i] == m.gen {
		return m.v[i], true
	}
	var zero T
	return zero, false
}

// set sets entry i, growing the table as needed.
func (m *memo[T]) set(i int, x T) {
	if i >= len(m.v) {
		n := max(i+1, 2*len(m.v))
		m.v = append(m.v, make([]T, n-len(m.v))...)
		m.stamp = append(m.stamp, make([]uint32, n-len(m.stamp))...)
	}
	m.v[i], m.stamp[i] = x, m.gen
}

// dense returns a zeroed scratch slice of at least n float64s from buf
// (callers zero what they wrote before the next use).
func dense(buf *[]float64, n int) []float64 {
	if len(*buf) < n {
		*buf = make([]float64, n+n/2)
	}
	return *buf
}

// probe holds one sorted sparse vector for repeated dot products with
// centroids: an open-addressing table of its entries and a bit filter in
// front of it (most centroid terms are not in the vector, and the filter
// answers them from 512 bytes). Built once per article, probed once per
// candidate storyline.
type probe struct {
	bits [64]uint64
	keys []text.Term
	vals []float32
	used []bool
	mask uint32
	n    int
	sel  []int32 // cos's scratch
}

func probeHash(t text.Term) uint32 { return uint32(t) * 0x9E3779B1 }

// set makes p hold v (keys unique).
func (p *probe) set(v []text.Weighted) {
	p.bits = [64]uint64{}
	size := 16
	for size < 4*len(v) {
		size *= 2
	}
	if len(p.used) < size {
		p.keys, p.vals, p.used = make([]text.Term, size), make([]float32, size), make([]bool, size)
	} else {
		clear(p.used[:size])
	}
	p.mask, p.n = uint32(size-1), len(v)
	for _, x := range v {
		h := probeHash(x.Term)
		p.bits[h>>26] |= 1 << (h & 63)
		k := (h >> 7) & p.mask
		for p.used[k] {
			k = (k + 1) & p.mask
		}
		p.used[k], p.keys[k], p.vals[k] = true, x.Term, x.W
	}
}

// cos returns the cosine of p's vector (a unit vector) with centroid c:
// the same sum, in the same order, as c.cos(v).
func (p *probe) cos(c *centroid) float64 {
	if c.norm == 0 || p.n == 0 {
		return 0
	}
	// The filter first, over all entries and without a branch: the
	// positions of the entries that pass it are kept (most do not).
	if cap(p.sel) < len(c.e) {
		p.sel = make([]int32, len(c.e)+len(c.e)/2)
	}
	sel := p.sel[:len(c.e)]
	n := 0
	for i, e := range c.e {
		h := probeHash(e.Term)
		sel[n] = int32(i)
		n += int(p.bits[h>>26] >> (h & 63) & 1)
	}
	var d float64
	for _, i := range sel[:n] {
		e := c.e[i]
		h := probeHash(e.Term)
		for k := (h >> 7) & p.mask; p.used[k]; k = (k + 1) & p.mask {
			if p.keys[k] == e.Term {
				d += float64(p.vals[k]) * float64(e.W)
				break
			}
		}
	}
	return d / c.norm
}
