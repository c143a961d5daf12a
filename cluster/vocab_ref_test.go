package cluster

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/storyline/storyline/text"
)

// addLocalRef and withIDsRef are addLocal and withIDs as they were with a
// Go map for the vocabulary and weights sorted along with the ids: the
// references the vocab table, the sort order and permuted must match.
func addLocalRef(vocab map[text.Term]uint32, counts *[]uint32, terms, v []text.Weighted) ([]uint32, []text.Weighted) {
	ids := make([]uint32, len(terms))
	for i, x := range terms {
		id, ok := vocab[x.Term]
		if !ok {
			id = uint32(len(*counts))
			vocab[x.Term] = id
			*counts = append(*counts, 0)
		}
		(*counts)[id]++
		ids[i] = id
	}
	return ids, withIDsRef(v, ids)
}

func withIDsRef(v []text.Weighted, ids []uint32) []text.Weighted {
	packed := make([]uint64, len(v))
	for i, x := range v {
		packed[i] = uint64(ids[i])<<32 | uint64(math.Float32bits(x.W))
	}
	slices.Sort(packed)
	out := make([]text.Weighted, len(v))
	for i, p := range packed {
		out[i] = text.Weighted{Term: text.Term(p >> 32), W: math.Float32frombits(uint32(p))}
	}
	return out
}

// TestAddLocalMatchesReference: documents drawn from a Zipf vocabulary
// (and some terms whose hashes collide in the table's home slots) get the
// same local ids, counts and id-keyed vectors as with the map, and
// permuted with the kept order repeats withIDs for new weights.
func TestAddLocalMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 13))
	z := rand.NewZipf(rand.New(rand.NewPCG(1, 2)), 1.1, 3, 1<<16)
	space := make([]text.Term, 1<<16+1)
	for i := range space {
		space[i] = text.Term(r.Uint32())
		if i%7 == 0 {
			space[i] = text.Term(uint32(i) << 20) // same low bits
		}
	}
	st := newStory("S")
	ref := map[text.Term]uint32{}
	var refCounts []uint32
	for doc := 0; doc < 3000; doc++ {
		seen := map[text.Term]bool{}
		var terms []text.Weighted
		for n := r.IntN(300); len(terms) < n; {
			x := space[z.Uint64()]
			if !seen[x] {
				seen[x] = true
				terms = append(terms, text.Weighted{Term: x, W: float32(1 + r.IntN(5))})
			}
		}
		slices.SortFunc(terms, text.ByTerm)
		v := make([]text.Weighted, len(terms))
		for i, x := range terms {
			v[i] = text.Weighted{Term: x.Term, W: r.Float32()}
		}
		ids, lv, order := st.addLocal(terms, v)
		wantIDs, wantLV := addLocalRef(ref, &refCounts, terms, v)
		if !slices.Equal(ids, wantIDs) || !slices.Equal(lv, wantLV) {
			t.Fatalf("doc %d: ids or vector differ from the reference", doc)
		}
		for i := range v {
			v[i].W = r.Float32()
		}
		if got, want := permuted(v, ids, order), withIDsRef(v, ids); !slices.Equal(got, want) {
			t.Fatalf("doc %d: permuted differs from withIDs", doc)
		}
	}
	if !slices.Equal(st.counts, refCounts) || st.vocab.n != len(ref) {
		t.Fatalf("counts differ (%d terms, reference %d)", st.vocab.n, len(ref))
	}
	for term, id := range ref {
		if got, ok := st.vocab.lookup(term); !ok || got != id {
			t.Fatalf("term %d: id %d, %v; reference %d", term, got, ok, id)
		}
	}
	for _, term := range []text.Term{12345, 0, 1 << 31} {
		if _, known := ref[term]; !known {
			if _, ok := st.vocab.lookup(term); ok {
				t.Fatalf("unknown term %d found", term)
			}
		}
	}
}
