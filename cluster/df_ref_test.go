package cluster

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/storyline/storyline/text"
)

// unitRef is DF.unit as it was before the IDF memo and the small-log
// table: the reference they must match bit for bit.
func unitRef(f *DF, raw []text.Weighted) []text.Weighted {
	idf := func(t text.Term) float64 {
		df := f.counts[uint32(t)&(1<<dfBits-1)]
		return math.Log(float64(f.N+1)/float64(df+1)) + 1
	}
	out := make([]text.Weighted, len(raw))
	var s float64
	for i, x := range raw {
		w := (1 + math.Log(float64(x.W))) * idf(x.Term)
		if x.W < 1 {
			w = float64(x.W) * idf(x.Term)
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

func TestUnitMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 11))
	f := NewDF()
	for doc := 0; doc < 6000; doc++ {
		raw := make([]text.Weighted, r.IntN(60))
		for i := range raw {
			w := float32(1 + r.IntN(80)) // whole counts, some past the table
			if r.IntN(4) == 0 {
				w = r.Float32() * 3 // discounted weights, below and above 1
			}
			space := uint32(5000)
			if doc%2 == 0 {
				space = 10 // frequencies past the memo
			}
			raw[i] = text.Weighted{Term: text.Term(r.Uint32N(space)), W: w}
		}
		got, want := f.unit(raw), unitRef(f, raw)
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("doc %d term %d: %+v, reference %+v", doc, i, got[i], want[i])
			}
		}
		if r.IntN(3) > 0 {
			f.Add(raw)
		}
	}
	if f.counts[3] < idfMemo {
		t.Fatalf("frequencies stayed below the memo (%d)", f.counts[3])
	}
}
