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
}

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
	df := f.counts[uint32(t)&(1<<dfBits-1)]
	return math.Log(float64(f.N+1)/float64(df+1)) + 1
}

// unit returns the unit-length TF-IDF vector of raw term weights, with
// sublinear term frequency.
func (f *DF) unit(raw []text.Weighted) []text.Weighted {
	out := make([]text.Weighted, len(raw))
	var s float64
	for i, x := range raw {
		w := (1 + math.Log(float64(x.W))) * f.IDF(x.Term)
		if x.W < 1 {
			w = float64(x.W) * f.IDF(x.Term)
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
