package cluster

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/text"
)

// doc builds a Doc from words (each weight 1) and capitalized names.
func doc(id string, day int, words string) *Doc {
	d := &Doc{ID: id, Time: time.Date(2025, 3, day, 0, 0, 0, 0, time.UTC)}
	st := text.NewStemmer()
	m := map[text.Term]float32{}
	n := map[text.Term]float32{}
	for _, w := range strings.Fields(words) {
		t, stop := st.Term(w)
		if stop {
			continue
		}
		m[t]++
		if w[0] >= 'A' && w[0] <= 'Z' {
			n[t^0x9e3779b9]++
		}
	}
	for t, w := range m {
		d.Terms = append(d.Terms, text.Weighted{Term: t, W: w})
	}
	for t, w := range n {
		d.Names = append(d.Names, text.Weighted{Term: t, W: w})
	}
	sortW(d.Terms)
	sortW(d.Names)
	return d
}

func sortW(v []text.Weighted) {
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && v[j].Term < v[j-1].Term; j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}

const (
	call = "Sorvald Brenner phone call Kestria Halvland leaders discussed Orsk crossing trade border"
	dam  = "Velmora dam breach flood Selva river rescuers missing workers evacuated town"
	cup  = "Tarnholm cup final football club trophy coach stadium fans goal"
)

func TestAssign(t *testing.T) {
	e := New(DefaultOptions())
	a := e.Assign(doc("c1", 10, call+" Sunday first call months"))
	b := e.Assign(doc("c2", 10, call+" telephone Sunday officials Vensk"))
	c := e.Assign(doc("d1", 11, dam+" Tuesday morning"))
	x := e.Assign(doc("f1", 12, cup+" Saturday"))
	if !a.NewEvent || !a.NewStory {
		t.Errorf("first article should open an event and a storyline: %+v", a)
	}
	if b.Event != a.Event || b.Story != a.Story || b.Score <= 0 {
		t.Errorf("second report of the call: %+v, first %+v", b, a)
	}
	if c.Story == a.Story || x.Story == c.Story || x.Story == a.Story {
		t.Errorf("unrelated articles share storylines: %s %s %s", a.Story, c.Story, x.Story)
	}
	// Far later: the same words cannot join the old event (time window).
	late := e.Assign(doc("c3", 31, call+" telephone Sunday officials Vensk"))
	if late.Event == a.Event {
		t.Errorf("an article three weeks later joined the event")
	}
	if late.Story != a.Story {
		t.Errorf("the follow-up left the storyline")
	}
	// Forced join of a near-duplicate.
	j := e.Assign(&Doc{ID: "copy", Time: a2(10), Terms: doc("x", 10, cup).Terms, JoinEvent: a.Event, DupOf: "c1"})
	if j.Event != a.Event || j.Score != 1 {
		t.Errorf("forced join: %+v", j)
	}
	moves, _ := e.SettleAll()
	for _, m := range moves {
		if m.Article == "copy" {
			t.Errorf("settling moved a near-duplicate away from its original: %+v", m)
		}
	}
	// Isolated articles stay alone.
	iso := e.Isolate(doc("de", 10, call))
	if iso.Event == a.Event || iso.Story == a.Story {
		t.Errorf("isolated article joined: %+v", iso)
	}
	again := e.Assign(doc("c4", 10, call+" Sunday"))
	if again.Event == iso.Event {
		t.Errorf("an article joined an isolated event")
	}
}

func a2(day int) time.Time { return time.Date(2025, 3, day, 0, 0, 0, 0, time.UTC) }

func TestIDsAreStable(t *testing.T) {
	run := func() []string {
		e := New(DefaultOptions())
		var out []string
		for i, w := range []string{call, dam, call + " again", cup} {
			as := e.Assign(doc(string(rune('a'+i)), 10, w))
			out = append(out, as.Event+"/"+as.Story)
		}
		return out
	}
	a, b := run(), run()
	if strings.Join(a, ",") != strings.Join(b, ",") {
		t.Errorf("ids differ between runs: %v vs %v", a, b)
	}
}

func TestCentroid(t *testing.T) {
	w := func(pairs ...float32) []text.Weighted {
		var v []text.Weighted
		for i := 0; i < len(pairs); i += 2 {
			v = append(v, text.Weighted{Term: text.Term(pairs[i]), W: pairs[i+1]})
		}
		return v
	}
	var c centroid
	c.add(w(1, 1, 3, 2, 9, 1), 10)
	c.add(w(0, 1, 3, 1, 5, 2), 10)
	want := w(0, 1, 1, 1, 3, 3, 5, 2, 9, 1)
	if !reflect.DeepEqual(c.e, want) {
		t.Fatalf("merged entries %v, want %v", c.e, want)
	}
	if n := math.Sqrt(1 + 1 + 9 + 4 + 1); math.Abs(c.norm-n) > 1e-9 {
		t.Errorf("norm %v, want %v", c.norm, n)
	}
	// cos with a vector sharing terms 3 and 7 (7 absent from the centroid)
	if got, want := c.cos(w(3, 0.6, 7, 0.8)), 0.6*3/c.norm; math.Abs(got-want) > 1e-6 {
		t.Errorf("cos %v, want %v", got, want)
	}
	// Past 2×limit the heaviest limit entries stay (ties: smaller key),
	// still sorted by key.
	c.add(w(2, 2), 2)
	if want := w(2, 2, 3, 3); !reflect.DeepEqual(c.e, want) {
		t.Fatalf("pruned to %v, want %v", c.e, want)
	}
	if math.Abs(c.norm-math.Sqrt(13)) > 1e-9 {
		t.Errorf("norm after prune %v", c.norm)
	}
}

// TestPruneAndTopTerms compares the selection-based prune and topTerms
// with sorting, on random vectors with many tied weights.
func TestPruneAndTopTerms(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 200; round++ {
		n := 1 + r.IntN(400)
		seen := map[text.Term]bool{}
		var v []text.Weighted
		for len(v) < n {
			term := text.Term(r.Uint32())
			if seen[term] {
				continue
			}
			seen[term] = true
			v = append(v, text.Weighted{Term: term, W: float32(r.IntN(20)) / 4})
		}
		slices.SortFunc(v, text.ByTerm)
		ref := slices.Clone(v)
		slices.SortFunc(ref, byWeight)
		limit := 1 + r.IntN(n)
		want := slices.Clone(ref[:limit])
		slices.SortFunc(want, text.ByTerm)
		c := centroid{e: slices.Clone(v)}
		c.prune(limit)
		if !reflect.DeepEqual(c.e, want) {
			t.Fatalf("round %d: prune(%d) of %d kept %v, want %v", round, limit, n, c.e, want)
		}
		k := 1 + r.IntN(20)
		top := topTerms(v, k)
		if wantTop := ref[:min(k, n)]; len(v) > k && !reflect.DeepEqual(top, wantTop) {
			t.Fatalf("round %d: topTerms(%d) = %v, want %v", round, k, top, wantTop)
		}
	}
}

// TestEvictedIDsAreNotReused: an article that opened an event and comes
// again (updated) after that event's storyline was evicted gets a new
// event and storyline id: the old ones still name rows in the store.
func TestEvictedIDsAreNotReused(t *testing.T) {
	e := New(DefaultOptions())
	first := e.Assign(doc("x", 1, dam+" Tuesday morning"))
	e.latest = time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC) // far past the storyline window
	e.evict()
	if _, ok := e.Size(first.Event); ok {
		t.Fatal("event not evicted")
	}
	again := e.Assign(doc("x", 30, dam+" Tuesday morning"))
	if again.Event == first.Event || again.Story == first.Story {
		t.Errorf("evicted ids reused: first %+v, again %+v", first, again)
	}
}
