package pipeline

import (
	"strings"
	"testing"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/store"
)

func sa(id string, seq int64, ev string) store.Article {
	return store.Article{Article: article.Article{ID: id}, Seq: seq, Event: ev}
}

func ids(as []store.Article) string {
	var s []string
	for _, a := range as {
		s = append(s, a.ID)
	}
	return strings.Join(s, ",")
}

// TestKnownEventsUpdate: which entries a committed batch keeps, replaces
// or drops.
func TestKnownEventsUpdate(t *testing.T) {
	// seed: E1 holds a1 a2, E2 holds b1, E3 holds c1 c2 (entries written by
	// batch 1, which summarized all three).
	seed := func() knownEvents {
		k := newKnownEvents()
		k.update(&store.Batch{Events: []store.Event{{ID: "E1"}, {ID: "E2"}, {ID: "E3"}}}, nil, [][]store.Article{
			{sa("a2", 2, "E1"), sa("a1", 1, "E1")}, // out of seq order: kept sorted
			{sa("b1", 3, "E2")},
			{sa("c1", 4, "E3"), sa("c2", 5, "E3")},
		})
		return k
	}
	cases := []struct {
		name    string
		b       store.Batch
		touched []string
		full    [][]store.Article
		want    map[string]string // event → known ids ("-" not known)
	}{
		{"untouched events stay", store.Batch{}, nil, nil,
			map[string]string{"E1": "a1,a2", "E2": "b1", "E3": "c1,c2"}},
		{"a new article, not summarized, drops its event",
			store.Batch{Articles: []store.Article{sa("a3", 6, "E1")}}, nil, nil,
			map[string]string{"E1": "-", "E2": "b1"}},
		{"a new article, summarized in full, replaces the entry",
			store.Batch{Articles: []store.Article{sa("a3", 6, "E1")}, Events: []store.Event{{ID: "E1"}}}, nil,
			[][]store.Article{{sa("a3", 6, "E1"), sa("a1", 1, "E1"), sa("a2", 2, "E1")}},
			map[string]string{"E1": "a1,a2,a3", "E2": "b1"}},
		{"a move drops its source and its target",
			store.Batch{Moves: map[string]string{"a1": "E2"}}, []string{"E1", "E2"}, nil,
			map[string]string{"E1": "-", "E2": "-", "E3": "c1,c2"}},
		{"a move's target is dropped by touched alone",
			store.Batch{Moves: map[string]string{"x9": "E3"}}, []string{"E9", "E3"}, nil,
			map[string]string{"E1": "a1,a2", "E3": "-"}},
		{"a move's source is dropped by the article alone",
			store.Batch{Moves: map[string]string{"b1": "E7"}}, nil, nil,
			map[string]string{"E2": "-", "E1": "a1,a2"}},
		{"an updated article leaves its old event",
			store.Batch{Articles: []store.Article{sa("c2", 7, "E8")}}, nil, nil,
			map[string]string{"E3": "-", "E1": "a1,a2"}},
		{"a removed event is dropped", store.Batch{}, []string{"E2"}, nil,
			map[string]string{"E2": "-", "E3": "c1,c2"}},
	}
	for _, c := range cases {
		k := seed()
		k.update(&c.b, c.touched, c.full)
		for ev, want := range c.want {
			got := "-"
			if as, ok := k.get(ev); ok {
				got = ids(as)
			}
			if got != want {
				t.Errorf("%s: %s known as %q, want %q", c.name, ev, got, want)
			}
		}
	}
	// Entries outlive knownBatches batches that do not use them, no more;
	// an article is found through its entry.
	k := seed()
	if a, ok := k.article("c2"); !ok || a.Seq != 5 {
		t.Errorf("article c2 from its entry: %v %v", a, ok)
	}
	for i := 1; i < knownBatches; i++ {
		k.update(&store.Batch{}, nil, nil)
	}
	if _, ok := k.get("E1"); !ok {
		t.Errorf("entry gone after %d batches", knownBatches-1)
	}
	k.update(&store.Batch{}, nil, nil)
	if _, ok := k.get("E1"); ok || len(k.of) != 0 {
		t.Errorf("entry kept after %d batches (%d articles indexed)", knownBatches, len(k.of))
	}
}
