package pipeline

import (
	"fmt"
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

// TestKnownEventsUpdate: which entries a committed batch keeps, extends,
// replaces or drops.
func TestKnownEventsUpdate(t *testing.T) {
	// seed (batch 1 summarized all three): E1 holds a1 a2 (all), E2 b1
	// (all), E3's first articles are c1 c2 (it holds more).
	seed := func() knownEvents {
		k := newKnownEvents()
		k.update(&store.Batch{Events: []store.Event{{ID: "E1"}, {ID: "E2"}, {ID: "E3"}}}, nil, map[string]*knownList{
			"E1": {arts: []store.Article{sa("a2", 2, "E1"), sa("a1", 1, "E1")}, all: true}, // out of seq order: sorted
			"E2": {arts: []store.Article{sa("b1", 3, "E2")}, all: true},
			"E3": {arts: []store.Article{sa("c1", 4, "E3"), sa("c2", 5, "E3")}},
		})
		return k
	}
	cases := []struct {
		name    string
		b       store.Batch
		touched []string
		after   map[string]*knownList
		want    map[string]string // event → known ids, "+" when all ("-": not known)
	}{
		{"untouched events stay", store.Batch{}, nil, nil,
			map[string]string{"E1": "a1,a2+", "E2": "b1+", "E3": "c1,c2"}},
		{"a new article joins an entry that is all its event",
			store.Batch{Articles: []store.Article{sa("a3", 6, "E1")}}, nil, nil,
			map[string]string{"E1": "a1,a2,a3+", "E2": "b1+"}},
		{"a new article leaves the first articles as they are",
			store.Batch{Articles: []store.Article{sa("c9", 6, "E3")}}, nil, nil,
			map[string]string{"E3": "c1,c2", "E1": "a1,a2+"}},
		{"a summary replaces the entry",
			store.Batch{Articles: []store.Article{sa("a3", 6, "E1")}, Events: []store.Event{{ID: "E1"}}}, nil,
			map[string]*knownList{"E1": {arts: []store.Article{sa("a3", 6, "E1"), sa("a1", 1, "E1")}, all: true}},
			map[string]string{"E1": "a1,a3+", "E2": "b1+"}},
		{"a move drops its source and its target",
			store.Batch{Moves: map[string]string{"a1": "E2"}}, []string{"E1", "E2"}, nil,
			map[string]string{"E1": "-", "E2": "-", "E3": "c1,c2"}},
		{"a move's target is dropped by touched alone",
			store.Batch{Moves: map[string]string{"x9": "E3"}}, []string{"E9", "E3"}, nil,
			map[string]string{"E1": "a1,a2+", "E3": "-"}},
		{"a move's source is dropped by the article alone",
			store.Batch{Moves: map[string]string{"b1": "E7"}}, nil, nil,
			map[string]string{"E2": "-", "E1": "a1,a2+"}},
		{"an updated article leaves its old event",
			store.Batch{Articles: []store.Article{sa("c2", 7, "E8")}}, nil, nil,
			map[string]string{"E3": "-", "E1": "a1,a2+", "E8": "-"}},
		{"an article updated in place drops the entry",
			store.Batch{Articles: []store.Article{sa("a1", 7, "E1")}}, nil, nil,
			map[string]string{"E1": "-", "E2": "b1+"}},
		{"a removed event is dropped", store.Batch{}, []string{"E2"}, nil,
			map[string]string{"E2": "-", "E3": "c1,c2"}},
	}
	for _, c := range cases {
		k := seed()
		k.update(&c.b, c.touched, c.after)
		for ev, want := range c.want {
			got := "-"
			if l, ok := k.get(ev); ok {
				got = ids(l.arts)
				if l.all {
					got += "+"
				}
			}
			if got != want {
				t.Errorf("%s: %s known as %q, want %q", c.name, ev, got, want)
			}
		}
	}
	// An entry that is all its event stops being so past
	// maxSummaryArticles articles, keeping the first ones.
	k := seed()
	var more []store.Article
	for i := range maxSummaryArticles {
		more = append(more, sa(fmt.Sprint("n", i), int64(100+i), "E1"))
	}
	k.update(&store.Batch{Articles: more}, nil, nil)
	if l, _ := k.get("E1"); len(l.arts) != maxSummaryArticles || l.all || l.arts[0].ID != "a1" {
		t.Errorf("E1 after %d more articles: %d known, all %v, first %s", len(more), len(l.arts), l.all, l.arts[0].ID)
	}
	// Entries outlive knownBatches batches that do not use them, no more;
	// an article is found through its entry.
	k = seed()
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

// TestKnownAfter: what eventRow can tell the store holds for an event
// after a batch.
func TestKnownAfter(t *testing.T) {
	b1, b2 := sa("b1", 10, "E"), sa("b2", 11, "E")
	batch := []*store.Article{&b1, &b2}
	s := []store.Article{sa("s1", 1, "E"), sa("s2", 2, "E")}
	show := func(l *knownList) string {
		if l == nil {
			return "-"
		}
		k := newKnownEvents()
		k.set("E", *l)
		got, _ := k.get("E")
		out := ids(got.arts)
		if got.all {
			out += "+"
		}
		return out
	}
	for _, c := range []struct {
		name      string
		read, all bool
		stored    []store.Article
		moved     []store.Article
		movedAll  bool
		moves     map[string]string
		want      string
	}{
		{"new event, all in the batch", false, true, nil, nil, true, nil, "b1,b2+"},
		{"all stored known", true, true, s, nil, true, nil, "s1,s2,b1,b2+"},
		{"a stored article moved out", true, true, s, nil, true, map[string]string{"s1": "F"}, "s2,b1,b2+"},
		{"an article moved in", true, true, s, []store.Article{sa("m1", 3, "F")}, true, nil, "s1,s2,m1,b1,b2+"},
		{"a moved-in article not read", true, true, s, nil, false, nil, "-"},
		{"first articles only, nothing leaves", true, false, s, nil, true, nil, "s1,s2"},
		{"first articles only, one moved out", true, false, s, nil, true, map[string]string{"s2": "F"}, "-"},
		{"first articles only, one moved in", true, false, s, []store.Article{sa("m1", 3, "F")}, true, nil, "-"},
		{"first articles only, one updated", true, false, []store.Article{sa("s1", 1, "E"), sa("b1", 2, "E")}, nil, true, nil, "-"},
		{"a stored article updated into another event", true, true, []store.Article{sa("s1", 1, "E"), sa("x1", 2, "E")}, nil, true, nil, "s1,b1,b2+"},
		{"first articles only, one updated into another event", true, false, []store.Article{sa("x1", 1, "E")}, nil, true, nil, "-"},
	} {
		fresh := map[string]bool{"b1": true, "b2": true, "x1": true}
		if got := show(knownAfter(c.read, c.stored, c.all, batch, c.moved, c.movedAll, c.moves, fresh)); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}
