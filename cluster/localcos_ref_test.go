package cluster

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/storyline/storyline/text"
)

// localCosRef and localizeRef are localCos and localize as they were,
// reading each count as they go: the references for reading the counts
// first.
func localCosRef(c *cluster, cent *centroid, dense []float64, f *localFactors) float64 {
	if cent.norm == 0 {
		return 0
	}
	if !cent.lnValid || !normFresh(cent.lnAt, f.n) {
		var norm float64
		for _, y := range cent.e {
			x := float64(y.W) * f.of(c.counts[y.Term])
			norm += x * x
		}
		cent.lnorm, cent.lnAt, cent.lnValid = math.Sqrt(norm), f.n, true
	}
	if cent.lnorm == 0 {
		return 0
	}
	var d float64
	for _, y := range cent.e {
		d += dense[y.Term] * float64(y.W)
	}
	return d / cent.lnorm
}

func localizeRef(c *cluster, v []text.Weighted, f *localFactors) []text.Weighted {
	out := slices.Clone(v)
	var s float64
	for i, x := range out {
		w := float64(x.W) * f.of(c.counts[x.Term])
		out[i].W = float32(w)
		s += w * w
	}
	if s > 0 {
		n := float32(1 / math.Sqrt(s))
		for i := range out {
			out[i].W *= n
		}
	}
	return out
}

// TestLocalCosMatchesReference: for storylines of every size, localized
// vectors and event cosines (fresh and remembered norms) equal the
// reference's bit for bit.
func TestLocalCosMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 5))
	vec := func(n, space int) []text.Weighted {
		seen := map[text.Term]bool{}
		var v []text.Weighted
		for len(v) < n {
			x := text.Term(r.IntN(space))
			if !seen[x] {
				seen[x] = true
				v = append(v, text.Weighted{Term: x, W: r.Float32()})
			}
		}
		slices.SortFunc(v, text.ByTerm)
		return v
	}
	var f, fr localFactors
	var dense []float64
	for round := 0; round < 2000; round++ {
		space := 50 + r.IntN(3000)
		st := &cluster{n: r.IntN(400), counts: make([]uint32, space)}
		for i := range st.counts {
			st.counts[i] = uint32(r.IntN(st.n + 1))
		}
		f.reset(st, 1)
		fr.reset(st, 1)
		v := vec(r.IntN(min(space, 200)), space)
		lv := st.localize(v, &f)
		if want := localizeRef(st, v, &fr); !slices.Equal(lv, want) {
			t.Fatalf("round %d: localize differs from the reference", round)
		}
		dense = make([]float64, space)
		for _, x := range lv {
			dense[x.Term] = float64(x.W) * f.of(st.counts[x.Term])
		}
		cent := &centroid{e: vec(r.IntN(min(space, 330)), space), norm: 1}
		ref := *cent
		for k := 0; k < 2; k++ {
			if got, want := st.localCos(cent, dense, &f), localCosRef(st, &ref, dense, &fr); got != want || cent.lnorm != ref.lnorm {
				t.Fatalf("round %d: localCos %v, reference %v", round, got, want)
			}
		}
	}
}
