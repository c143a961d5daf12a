package cluster

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/storyline/storyline/text"
)

// addRef is centroid.add as it was, counting the new keys with a
// branching merge: the reference the branchless count must match.
func addRef(c *centroid, v []text.Weighted, limit int) {
	n2 := c.norm * c.norm
	fresh := 0
	for i, j := 0, 0; j < len(v); {
		switch {
		case i < len(c.e) && c.e[i].Term < v[j].Term:
			i++
		case i < len(c.e) && c.e[i].Term == v[j].Term:
			i++
			j++
		default:
			fresh++
			j++
		}
	}
	old := len(c.e)
	c.e = slices.Grow(c.e, fresh)[:old+fresh]
	for i, j, o := old-1, len(v)-1, old+fresh-1; j >= 0; o-- {
		switch {
		case i >= 0 && c.e[i].Term > v[j].Term:
			c.e[o] = c.e[i]
			i--
		case i >= 0 && c.e[i].Term == v[j].Term:
			ow := float64(c.e[i].W)
			nw := c.e[i].W + v[j].W
			n2 += float64(nw)*float64(nw) - ow*ow
			c.e[o] = text.Weighted{Term: v[j].Term, W: nw}
			i--
			j--
		default:
			n2 += float64(v[j].W) * float64(v[j].W)
			c.e[o] = v[j]
			j--
		}
	}
	if len(c.e) > 2*limit {
		n2 = pruneRef(c, limit)
	}
	c.norm = math.Sqrt(max(n2, 0))
	c.lnValid = false
}

// ofRef is localFactors.of as it was, computing the logarithm of the
// storyline size and the ramp for every count.
func ofRef(n int, weight float64, cnt uint32) float64 {
	if weight == 0 || n < 2 {
		return 1
	}
	m := float64(n + 1)
	v := math.Sqrt(math.Log((m+1)/(float64(cnt)+1)) / math.Log(m+1))
	ramp := math.Min(1, float64(n)/localRamp) * weight
	return (1 - ramp) + ramp*v
}

// TestAddMatchesReference: centroids fed the same stream of sorted
// vectors (keys from spaces small and large, so both overlapping and
// fresh keys, and pruning) stay equal, entries and norms, to the
// reference's.
func TestAddMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 3))
	for round := 0; round < 200; round++ {
		space := []uint32{40, 400, 5000, 1 << 31}[round%4]
		limit := []int{8, 80, 160}[r.IntN(3)]
		var c, ref centroid
		for doc := 0; doc < 100; doc++ {
			seen := map[text.Term]bool{}
			var v []text.Weighted
			for n := r.IntN(min(200, int(space))); len(v) < n; {
				term := text.Term(r.Uint32N(space))
				if !seen[term] {
					seen[term] = true
					v = append(v, text.Weighted{Term: term, W: r.Float32() / 4})
				}
			}
			slices.SortFunc(v, text.ByTerm)
			c.add(v, limit)
			addRef(&ref, v, limit)
			if c.norm != ref.norm || !slices.Equal(c.e, ref.e) {
				t.Fatalf("round %d doc %d: centroid differs from the reference", round, doc)
			}
		}
	}
}

// TestSortIDsIsSort: the radix sort of packed (id, position) integers
// with unique ids gives slices.Sort's order, for ids below and above
// 1<<16 and lists short and long.
func TestSortIDsIsSort(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for round := 0; round < 3000; round++ {
		space := []uint32{300, 1 << 16, 1<<16 + 5000, 1 << 31}[round%4]
		n := r.IntN(min(400, int(space)))
		seen := map[uint32]bool{}
		var p []uint64
		for len(p) < n {
			id := r.Uint32N(space)
			if !seen[id] {
				seen[id] = true
				p = append(p, uint64(id)<<32|uint64(len(p)))
			}
		}
		want := slices.Clone(p)
		slices.Sort(want)
		sortIDs(p)
		if !slices.Equal(p, want) {
			t.Fatalf("round %d: %d ids below %d sorted differently", round, n, space)
		}
	}
}

// TestLocalFactorsMatchReference: factors with the logarithm and ramp
// computed once per reset are those computed per count.
func TestLocalFactorsMatchReference(t *testing.T) {
	var f localFactors
	for _, weight := range []float64{0, 0.5, 1} {
		for n := 0; n < 3000; n += 1 + n/10 {
			f.reset(&cluster{n: n}, weight)
			for cnt := uint32(0); cnt <= uint32(n); cnt += 1 + uint32(n/50) {
				for k := 0; k < 2; k++ { // computed, then remembered
					if got, want := f.of(cnt), ofRef(n, weight, cnt); got != want {
						t.Fatalf("n %d weight %v count %d: %v, reference %v", n, weight, cnt, got, want)
					}
				}
			}
		}
	}
}
