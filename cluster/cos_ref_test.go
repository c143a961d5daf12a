package cluster

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/storyline/storyline/text"
)

// cos (the reference for probe.cos) returns the cosine of unit vector v (sorted by key) with the centroid.
func (c *centroid) cos(v []text.Weighted) float64 {
	if c.norm == 0 || len(v) == 0 {
		return 0
	}
	var d float64
	i, j := 0, 0
	for i < len(c.e) && j < len(v) {
		switch {
		case c.e[i].Term < v[j].Term:
			i++
		case c.e[i].Term > v[j].Term:
			j++
		default:
			d += float64(v[j].W) * float64(c.e[i].W)
			i++
			j++
		}
	}
	return d / c.norm
}

// TestProbeCosIsMergeCos: probe.cos gives bit for bit the merge-join
// cosine, for vectors of every size against centroids of every size,
// with the probe reused between vectors.
func TestProbeCosIsMergeCos(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 9))
	vec := func(n int, space uint32) []text.Weighted {
		seen := map[text.Term]bool{}
		var v []text.Weighted
		for len(v) < n {
			x := text.Term(r.Uint32N(space))
			if !seen[x] {
				seen[x] = true
				v = append(v, text.Weighted{Term: x, W: r.Float32()})
			}
		}
		slices.SortFunc(v, text.ByTerm)
		return v
	}
	var p probe
	for i := 0; i < 3000; i++ {
		space := []uint32{50, 2000, 1 << 31}[i%3]
		v := vec(r.IntN(min(400, int(space))), space)
		c := &centroid{e: vec(r.IntN(min(330, int(space))), space), norm: 0.5 + r.Float64()}
		if i%50 == 0 {
			c.norm = 0
		}
		p.set(v)
		if got, want := p.cos(c), c.cos(v); got != want {
			t.Fatalf("vector of %d, centroid of %d: probe %v, merge %v", len(v), len(c.e), got, want)
		}
	}
}
