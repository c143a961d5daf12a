package cluster

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/storyline/storyline/text"
)

// candidatesRef is level.candidates as it was, with hits in a memo and a
// comparator sort of all of them: the reference the generation-stamped
// table and the selection by rank keys must match.
func candidatesRef(l *level, hits *memo[float32], queries [][]text.Weighted, limit int, out []*cluster) []*cluster {
	hits.reset()
	var touched []int32
	for _, q := range queries {
		for _, x := range q {
			for _, i := range l.posting(x.Term) {
				w, seen := hits.get(int(i))
				if !seen {
					touched = append(touched, i)
				}
				hits.set(int(i), w+x.W)
			}
		}
	}
	type hit struct {
		i int32
		w float32
	}
	hs := make([]hit, 0, len(touched))
	for _, i := range touched {
		if c := l.all[i]; c != nil && !c.dead {
			w, _ := hits.get(int(i))
			hs = append(hs, hit{i, w})
		}
	}
	if limit > 0 && len(hs) > limit {
		slices.SortFunc(hs, func(a, b hit) int {
			switch {
			case a.w > b.w:
				return -1
			case a.w < b.w:
				return 1
			}
			return int(b.i - a.i)
		})
		hs = hs[:limit]
	}
	for _, h := range hs {
		out = append(out, l.all[h.i])
	}
	return out
}

// TestCandidatesMatchReference: on a growing level with capped posting
// lists, dead and evicted clusters, and query weights with ties, the
// candidates and their order are those of the reference.
func TestCandidatesMatchReference(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 6))
	l := newLevel()
	var ref memo[float32]
	postings := map[text.Term][]int32{}
	query := func() []text.Weighted {
		q := make([]text.Weighted, r.IntN(17))
		for i := range q {
			w := r.Float32()
			if r.IntN(2) == 0 {
				w = float32(r.IntN(4)) / 4 // ties, and zeros
			}
			q[i] = text.Weighted{Term: text.Term(r.Uint32N(300)), W: w}
		}
		return q
	}
	for round := 0; round < 20000; round++ {
		if round%3 == 0 || len(l.all) == 0 {
			l.add(&cluster{id: string(rune(round))})
		}
		c := l.all[r.IntN(len(l.all))]
		if c == nil {
			continue
		}
		switch r.IntN(40) {
		case 0:
			c.dead = true
		case 1:
			l.all[c.idx] = nil
		}
		qs := [][]text.Weighted{query(), query()}
		limit := []int{0, 1, 5, 24}[r.IntN(4)]
		got := l.candidates(qs, limit, nil)
		want := candidatesRef(l, &ref, qs, limit, nil)
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: %d candidates, reference %d (or another order)", round, len(got), len(want))
		}
		l.index(c, qs[0], 64)
		indexRef(postings, c, qs[0], 64)
		for _, x := range qs[0] {
			if !slices.Equal(l.posting(x.Term), postings[x.Term]) {
				t.Fatalf("round %d: posting list of %d differs from the reference", round, x.Term)
			}
		}
	}
	for term, p := range postings {
		if !slices.Equal(l.posting(term), p) {
			t.Fatalf("posting list of %d differs from the reference", term)
		}
	}
	if l.posting(1<<20) != nil {
		t.Fatal("posting list for a term never indexed")
	}
}

// indexRef is level.index as it was, with posting lists in a map.
func indexRef(postings map[text.Term][]int32, c *cluster, q []text.Weighted, capN int) {
	for _, x := range q {
		p := postings[x.Term]
		if slices.Contains(p, c.idx) {
			continue
		}
		if len(p) >= capN {
			copy(p, p[1:])
			p = p[:len(p)-1]
		}
		postings[x.Term] = append(p, c.idx)
	}
}
