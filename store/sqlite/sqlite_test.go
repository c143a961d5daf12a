package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/store"
)

func TestCommitAndRead(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	pub := time.Date(2022, 2, 7, 9, 0, 0, 0, time.FixedZone("", 3600))
	b := &store.Batch{
		Articles: []store.Article{
			{Article: article.Article{ID: "a1", Title: "<script>x</script>", Text: "One.", Published: pub, Source: "Wire", Extra: map[string]string{"event": "g"}}, Hash: 1, Seq: 1, Event: "E1", EventTime: pub.AddDate(0, 0, -1)},
			{Article: article.Article{ID: "a2", Text: "Two."}, Hash: 2, Seq: 2, Event: "E2"},
		},
		Events: []store.Event{
			{ID: "E1", Story: "S1", Date: "2022-02-06", Headline: "H1", Summary: []store.Sentence{{Text: "One.", Article: "a1"}}, Size: 1},
			{ID: "E2", Story: "S1", Date: "2022-02-09", Headline: "H2", Size: 1},
		},
		Meta: map[string][]byte{"k": []byte("v")},
	}
	if err := s.Commit(ctx, b); err != nil {
		t.Fatal(err)
	}
	a, err := s.Article(ctx, "a1")
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "<script>x</script>" || !a.Published.Equal(pub) || a.Extra["event"] != "g" || a.Event != "E1" {
		t.Errorf("article round trip: %+v", a)
	}
	if _, off := a.Published.Zone(); off != 3600 {
		t.Errorf("publisher offset lost: %v", a.Published)
	}
	st, err := s.Story(ctx, "S1")
	if err != nil {
		t.Fatal(err)
	}
	if st.Start != "2022-02-06" || st.End != "2022-02-09" || len(st.Events) != 2 || st.Events[0] != "E1" || len(st.Articles) != 2 {
		t.Errorf("story: %+v", st)
	}
	evs, _ := s.Events(ctx, store.Filter{From: time.Date(2022, 2, 8, 0, 0, 0, 0, time.UTC)})
	if len(evs) != 1 || evs[0].ID != "E2" || evs[0].Articles[0] != "a2" {
		t.Errorf("filtered events: %+v", evs)
	}
	// Moves and deletions.
	if err := s.Commit(ctx, &store.Batch{Moves: map[string]string{"a2": "E1"}, Gone: []string{"E2"}}); err != nil {
		t.Fatal(err)
	}
	e1, _ := s.Event(ctx, "E1")
	if len(e1.Articles) != 2 {
		t.Errorf("move: %+v", e1)
	}
	if _, err := s.Event(ctx, "E2"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted event: %v", err)
	}
	// A failing batch writes nothing: the second article violates NOT NULL
	// only after the first was inserted in the same transaction.
	bad := &store.Batch{Articles: []store.Article{
		{Article: article.Article{ID: "a3", Text: "Three."}, Hash: 3, Seq: 3, Event: "E1"},
	}, Events: []store.Event{{ID: "E9", Story: "S1"}}}
	ctxC, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Commit(ctxC, bad); err == nil {
		t.Fatal("commit with cancelled context succeeded")
	}
	if _, err := s.Article(ctx, "a3"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("half-written batch: %v", err)
	}
	h, _ := s.Hashes(ctx, []string{"a1", "a2", "zz"})
	if len(h) != 2 || h["a1"] != 1 {
		t.Errorf("hashes %v", h)
	}
	s.Close()
	// Re-open: migrations are not re-applied, data is there.
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, e, ns, _ := s.Counts(ctx); n != 2 || e != 1 || ns != 1 {
		t.Errorf("counts %d %d %d", n, e, ns)
	}
	if v, _ := s.Meta(ctx, "k"); string(v) != "v" {
		t.Errorf("meta %q", v)
	}
}

func TestExtrasSearchAndFilters(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d := func(x string) time.Time { v, _ := time.Parse("2006-01-02", x); return v }
	b := &store.Batch{
		Articles: []store.Article{
			{Article: article.Article{ID: "o", Title: "Dam breach in Velmora", Text: "The Upper Selva Dam gave way on Tuesday.", Published: d("2025-03-11"), Source: "Nordwire", Lang: "en"}, Seq: 1, Event: "E1", Novelty: 1},
			{Article: article.Article{ID: "c", Title: "Velmora flooded", Text: "The Upper Selva Dam gave way on Tuesday. Two are missing.", Published: d("2025-03-12"), Source: "Courier", Lang: "en"}, Seq: 2, Event: "E1", Novelty: 0.4},
			{Article: article.Article{ID: "x", Title: "Cup final", Text: "Tarnholm won the cup.", Published: d("2025-04-05"), Source: "Courier", Lang: "en"}, Seq: 3, Event: "E2", Novelty: 1},
		},
		Events:     []store.Event{{ID: "E1", Story: "S1", Date: "2025-03-11"}, {ID: "E2", Story: "S2", Date: "2025-04-05"}},
		Reuse:      []store.Reuse{{From: "o", To: "c", SharedRatio: 0.6, Passages: []store.Passage{{Text: "The Upper Selva Dam gave way on Tuesday.", FromOffset: 0, ToOffset: 0, Len: 40}}}},
		Duplicates: []store.Duplicate{{A: "o", B: "c", Similarity: 0.7}},
		Entities:   []store.Entity{{ID: "LOC:velmora", Name: "Velmora", Type: "LOC", Aliases: []string{"Velmora"}}, {ID: "ORG:tarnholm", Name: "FC Tarnholm", Type: "ORG"}},
		Mentions:   []store.Mention{{Article: "o", Entity: "LOC:velmora", Count: 2}, {Article: "c", Entity: "LOC:velmora", Count: 1}, {Article: "x", Entity: "ORG:tarnholm", Count: 1}},
	}
	if err := s.Commit(ctx, b); err != nil {
		t.Fatal(err)
	}
	r, _ := s.ReuseOf(ctx, "c")
	if len(r) != 1 || r[0].From != "o" || r[0].Passages[0].Len != 40 {
		t.Errorf("reuse of c: %+v", r)
	}
	if dups, _ := s.Duplicates(ctx, store.Filter{}); len(dups) != 1 || dups[0].B != "c" {
		t.Errorf("duplicates: %+v", dups)
	}
	e, err := s.Entity(ctx, "LOC:velmora")
	if err != nil || len(e.Articles) != 2 || len(e.Events) != 1 || e.Events[0] != "E1" {
		t.Errorf("entity: %+v %v", e, err)
	}
	ents, _ := s.Entities(ctx, store.Filter{})
	if len(ents) != 2 || ents[0].ID != "LOC:velmora" {
		t.Errorf("entities (most mentioned first): %+v", ents)
	}
	evs, _ := s.Events(ctx, store.Filter{Entity: "ORG:tarnholm"})
	if len(evs) != 1 || evs[0].ID != "E2" {
		t.Errorf("events by entity: %+v", evs)
	}
	evs, _ = s.Events(ctx, store.Filter{Source: "Nordwire"})
	if len(evs) != 1 || evs[0].ID != "E1" {
		t.Errorf("events by source: %+v", evs)
	}
	sts, _ := s.Stories(ctx, store.Filter{Source: "Courier"})
	if len(sts) != 2 {
		t.Errorf("stories by source: %+v", sts)
	}
	for q, want := range map[string]string{
		"selva":                       "o,c",
		`"gave way" missing`:          "c",
		"cup OR breach":               "o,x",
		`tarnholm) AND (`:             "x",
		"missing*":                    "c",
		`<script>alert(1)</script> "`: "",
	} {
		res, err := s.Search(ctx, q, store.Filter{})
		if err != nil {
			t.Errorf("search %q: %v", q, err)
			continue
		}
		var ids []string
		for _, a := range res {
			ids = append(ids, a.ID)
		}
		got := strings.Join(ids, ",")
		if len(ids) > 1 {
			// bm25 order may differ; compare as sets
			got = sortJoin(ids)
			want = sortJoin(strings.Split(want, ","))
		}
		if got != want {
			t.Errorf("search %q = %q, want %q", q, got, want)
		}
	}
	// Updating an article keeps the full-text index in step.
	b2 := &store.Batch{Articles: []store.Article{{Article: article.Article{ID: "x", Title: "Cup final", Text: "Halvland Cup won by Tarnholm."}, Seq: 4, Event: "E2"}}}
	if err := s.Commit(ctx, b2); err != nil {
		t.Fatal(err)
	}
	if res, _ := s.Search(ctx, "halvland", store.Filter{}); len(res) != 1 {
		t.Errorf("updated text not searchable: %+v", res)
	}
}

func sortJoin(s []string) string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return strings.Join(c, ",")
}
