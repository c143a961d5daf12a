package cluster

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/storyline/storyline/text"
)

// pruneRef, selectNthRef and topTermsRef are prune, selectNth and
// topTerms as they were, comparing entries with byWeight: the references
// the rank keys must match.
func pruneRef(c *centroid, limit int) float64 {
	tmp := slices.Clone(c.e)
	cut := selectNthRef(tmp, limit-1)
	k := 0
	var n2 float64
	for _, x := range c.e {
		if byWeight(x, cut) <= 0 {
			c.e[k] = x
			k++
			n2 += float64(x.W) * float64(x.W)
		}
	}
	c.e = c.e[:k]
	return n2
}

func selectNthRef(v []text.Weighted, n int) text.Weighted {
	lo, hi := 0, len(v)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		if byWeight(v[mid], v[lo]) < 0 {
			v[mid], v[lo] = v[lo], v[mid]
		}
		if byWeight(v[hi], v[lo]) < 0 {
			v[hi], v[lo] = v[lo], v[hi]
		}
		if byWeight(v[hi], v[mid]) < 0 {
			v[hi], v[mid] = v[mid], v[hi]
		}
		p := v[mid]
		i, j := lo, hi
		for i <= j {
			for byWeight(v[i], p) < 0 {
				i++
			}
			for byWeight(v[j], p) > 0 {
				j--
			}
			if i <= j {
				v[i], v[j] = v[j], v[i]
				i++
				j--
			}
		}
		switch {
		case n <= j:
			hi = j
		case n >= i:
			lo = i
		default:
			return v[n]
		}
	}
	return v[n]
}

func topTermsRef(v []text.Weighted, k int) []text.Weighted {
	if len(v) <= k {
		return v
	}
	top := make([]text.Weighted, 0, k)
	for _, x := range v {
		if len(top) == k && byWeight(x, top[k-1]) >= 0 {
			continue
		}
		pos, _ := slices.BinarySearchFunc(top, x, byWeight)
		if len(top) < k {
			top = append(top, text.Weighted{})
		}
		copy(top[pos+1:], top[pos:len(top)-1])
		top[pos] = x
	}
	return top
}

// TestRankKeyOrdersAsByWeight: rank keys compare as byWeight does, for
// ordinary weights, ties, zeros of both signs, negatives, infinities and
// NaN.
func TestRankKeyOrdersAsByWeight(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 4))
	nan := float32(math.NaN())
	odd := []float32{0, float32(math.Copysign(0, -1)), -1, -0.5, float32(math.Inf(1)), float32(math.Inf(-1)), nan,
		math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32, math.MaxFloat32, 1, 0.25}
	w := func() float32 {
		if r.IntN(3) == 0 {
			return odd[r.IntN(len(odd))]
		}
		return r.Float32()
	}
	for i := 0; i < 200000; i++ {
		a := text.Weighted{Term: text.Term(r.Uint32N(4)), W: w()}
		b := text.Weighted{Term: text.Term(r.Uint32N(4)), W: w()}
		ka, kb := rankKey(a), rankKey(b)
		want := byWeight(a, b)
		got := 0
		if ka < kb {
			got = -1
		} else if ka > kb {
			got = 1
		}
		if got != want {
			t.Fatalf("%+v vs %+v: keys say %d, byWeight %d", a, b, got, want)
		}
	}
}

// TestPruneAndTopTermsMatchReference: prune and topTerms keep the same
// entries, in the same order, with the same squared norm, as with byWeight,
// on centroid-like vectors (sums of unit weights, with ties).
func TestPruneAndTopTermsMatchReference(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 1))
	for round := 0; round < 5000; round++ {
		n := 1 + r.IntN(500)
		seen := map[text.Term]bool{}
		var v []text.Weighted
		for len(v) < n {
			term := text.Term(r.Uint32N(uint32(4 * n)))
			if seen[term] {
				continue
			}
			seen[term] = true
			x := r.Float32() * float32(1+r.IntN(4))
			if round%3 == 0 {
				x = float32(r.IntN(12)) / 8 // many ties
			}
			v = append(v, text.Weighted{Term: term, W: x})
		}
		slices.SortFunc(v, text.ByTerm)
		limit := 1 + r.IntN(n)
		c, ref := centroid{e: slices.Clone(v)}, centroid{e: slices.Clone(v)}
		if got, want := c.prune(limit), pruneRef(&ref, limit); got != want || !slices.Equal(c.e, ref.e) {
			t.Fatalf("round %d: prune(%d) of %d differs from the reference", round, limit, n)
		}
		k := 1 + r.IntN(24)
		if got, want := topTerms(v, k), topTermsRef(v, k); !slices.Equal(got, want) {
			t.Fatalf("round %d: topTerms(%d) of %d: %v, reference %v", round, k, n, got, want)
		}
	}
}
