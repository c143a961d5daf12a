// Package storetest is the backend-independent test suite of store.Store:
// every backend (store/sqlite, store/postgres) runs the same assertions
// through Run, so they keep the same behaviour.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/store"
)

// Opener returns a fresh, empty store for one test. The suite closes it.
type Opener func(t *testing.T) store.Store

// Run runs the whole suite against the stores open returns.
func Run(t *testing.T, open Opener) {
	t.Helper()
	probe := open(t)
	_, encodes := probe.(store.Encoder)
	probe.Close()
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, store.Store)
	}{
		{"CommitAndRead", testCommitAndRead},
		{"FailedBatchWritesNothing", testAtomic},
		{"RecommitIsIdempotent", testRecommit},
		{"Replay", testReplay},
		{"ExtrasSearchAndFilters", testExtras},
		{"SearchQuerySyntax", testSearchSyntax},
		{"ListingsPaginate", testPaginate},
		{"ManyHashes", testManyHashes},
		{"StoryArticlesByEvent", testStoryOrder},
		{"EventSourcesFromAllArticles", testEventSources},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			defer s.Close()
			tc.fn(t, s)
		})
		if !encodes {
			continue
		}
		// The same, every batch encoded ahead of its commit, as the
		// pipeline does.
		t.Run("Encoded/"+tc.name, func(t *testing.T) {
			s := open(t)
			defer s.Close()
			tc.fn(t, encodeFirst{s})
		})
	}
}

// encodeFirst encodes every batch (store.Encoder) before committing it.
type encodeFirst struct{ store.Store }

func (s encodeFirst) Commit(ctx context.Context, b *store.Batch) error {
	s.Store.(store.Encoder).Encode(b)
	return s.Store.Commit(ctx, b)
}

func day(x string) time.Time {
	v, err := time.Parse("2006-01-02", x)
	if err != nil {
		panic(err)
	}
	return v
}

func testCommitAndRead(t *testing.T, s store.Store) {
	ctx := context.Background()
	pub := time.Date(2022, 2, 7, 9, 0, 0, 0, time.FixedZone("", 3600))
	b := &store.Batch{
		Articles: []store.Article{
			{Article: article.Article{ID: "a1", Title: "<script>x</script>", Text: "One.", Published: pub, Source: "Wire", Extra: map[string]string{"event": "g"}}, Hash: 1, Seq: 1, Event: "E1", EventTime: pub.AddDate(0, 0, -1)},
			{Article: article.Article{ID: "a2", Text: "Two.", DateInferred: true}, Hash: 1<<63 + 5, Seq: 2, Event: "E2", Novelty: 0.25},
		},
		Events: []store.Event{
			{ID: "E1", Story: "S1", Date: "2022-02-06", Headline: "H1", Summary: []store.Sentence{{Text: "One.", Article: "a1", Source: "Wire"}}, Sources: []string{"Wire"}, Size: 1},
			{ID: "E2", Story: "S1", Date: "2022-02-09", Headline: "H2", Size: 1},
		},
		Meta: map[string][]byte{"k": []byte("v"), "bin": {0, 1, 2, 255}},
	}
	if err := s.Commit(ctx, b); err != nil {
		t.Fatal(err)
	}
	a, err := s.Article(ctx, "a1")
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "<script>x</script>" || !a.Published.Equal(pub) || a.Extra["event"] != "g" || a.Event != "E1" || a.Source != "Wire" || a.Seq != 1 || a.Hash != 1 {
		t.Errorf("article round trip: %+v", a)
	}
	if !a.EventTime.Equal(pub.AddDate(0, 0, -1)) {
		t.Errorf("event time %v, want %v", a.EventTime, pub.AddDate(0, 0, -1))
	}
	if _, off := a.Published.Zone(); off != 3600 {
		t.Errorf("publisher offset lost: %v", a.Published)
	}
	a2, err := s.Article(ctx, "a2")
	if err != nil {
		t.Fatal(err)
	}
	if a2.Hash != 1<<63+5 || !a2.DateInferred || a2.Novelty != 0.25 || !a2.Published.IsZero() || !a2.EventTime.IsZero() {
		t.Errorf("article a2 round trip (hash above 2^63, inferred date, novelty, no dates): %+v", a2)
	}
	if _, err := s.Article(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing article: %v", err)
	}
	e1, err := s.Event(ctx, "E1")
	if err != nil {
		t.Fatal(err)
	}
	if e1.Headline != "H1" || len(e1.Summary) != 1 || e1.Summary[0].Source != "Wire" || len(e1.Sources) != 1 || e1.Size != 1 || len(e1.Articles) != 1 {
		t.Errorf("event round trip: %+v", e1)
	}
	if e2, _ := s.Event(ctx, "E2"); e2.Summary == nil || e2.Sources == nil {
		t.Errorf("empty summary/sources must be empty lists, not null: %+v", e2)
	}
	st, err := s.Story(ctx, "S1")
	if err != nil {
		t.Fatal(err)
	}
	if st.Start != "2022-02-06" || st.End != "2022-02-09" || len(st.Events) != 2 || st.Events[0] != "E1" || len(st.Articles) != 2 {
		t.Errorf("story: %+v", st)
	}
	if _, err := s.Story(ctx, "S9"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing story: %v", err)
	}
	evs, _ := s.Events(ctx, store.Filter{From: time.Date(2022, 2, 8, 0, 0, 0, 0, time.UTC)})
	if len(evs) != 1 || evs[0].ID != "E2" || evs[0].Articles[0] != "a2" {
		t.Errorf("filtered events: %+v", evs)
	}
	evs, _ = s.Events(ctx, store.Filter{To: time.Date(2022, 2, 8, 0, 0, 0, 0, time.UTC)})
	if len(evs) != 1 || evs[0].ID != "E1" {
		t.Errorf("events up to a date: %+v", evs)
	}
	// Moves and deletions.
	if err := s.Commit(ctx, &store.Batch{Moves: map[string]string{"a2": "E1"}, Gone: []string{"E2"}}); err != nil {
		t.Fatal(err)
	}
	e1, _ = s.Event(ctx, "E1")
	if len(e1.Articles) != 2 || e1.Articles[0] != "a1" || e1.Articles[1] != "a2" {
		t.Errorf("move (articles in seq order): %+v", e1)
	}
	if _, err := s.Event(ctx, "E2"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted event: %v", err)
	}
	h, _ := s.Hashes(ctx, []string{"a1", "a2", "zz"})
	if len(h) != 2 || h["a1"] != 1 || h["a2"] != 1<<63+5 {
		t.Errorf("hashes %v", h)
	}
	if n, e, ns, _ := s.Counts(ctx); n != 2 || e != 1 || ns != 1 {
		t.Errorf("counts %d %d %d", n, e, ns)
	}
	if v, _ := s.Meta(ctx, "k"); string(v) != "v" {
		t.Errorf("meta %q", v)
	}
	if v, _ := s.Meta(ctx, "bin"); string(v) != "\x00\x01\x02\xff" {
		t.Errorf("binary meta %q", v)
	}
	if v, err := s.Meta(ctx, "absent"); v != nil || err != nil {
		t.Errorf("absent meta = %q, %v; want nil, nil", v, err)
	}
	// Meta is overwritten in place.
	if err := s.Commit(ctx, &store.Batch{Meta: map[string][]byte{"k": []byte("w")}}); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Meta(ctx, "k"); string(v) != "w" {
		t.Errorf("meta after overwrite %q", v)
	}
}

// testAtomic: a batch that fails writes nothing.
func testAtomic(t *testing.T, s store.Store) {
	ctx := context.Background()
	ok := &store.Batch{Articles: []store.Article{{Article: article.Article{ID: "a1", Text: "One."}, Hash: 1, Seq: 1, Event: "E1"}},
		Events: []store.Event{{ID: "E1", Story: "S1"}}}
	if err := s.Commit(ctx, ok); err != nil {
		t.Fatal(err)
	}
	bad := &store.Batch{Articles: []store.Article{
		{Article: article.Article{ID: "a3", Text: "Three."}, Hash: 3, Seq: 3, Event: "E1"},
	}, Events: []store.Event{{ID: "E9", Story: "S1"}}, Moves: map[string]string{"a1": "E9"}}
	ctxC, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Commit(ctxC, bad); err == nil {
		t.Fatal("commit with cancelled context succeeded")
	}
	if _, err := s.Article(ctx, "a3"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("half-written batch: %v", err)
	}
	if a, _ := s.Article(ctx, "a1"); a.Event != "E1" {
		t.Errorf("move of a failed batch applied: %+v", a)
	}
	if _, err := s.Event(ctx, "E9"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("event of a failed batch stored: %v", err)
	}
}

// testRecommit: committing the same batch twice (a redelivered batch)
// stores every row once, and a changed article replaces the old row.
func testRecommit(t *testing.T, s store.Store) {
	ctx := context.Background()
	b := &store.Batch{
		Articles: []store.Article{
			{Article: article.Article{ID: "a1", Title: "Old title", Text: "Flood in Orvik."}, Hash: 1, Seq: 1, Event: "E1"},
			{Article: article.Article{ID: "a2", Text: "Flood in Orvik again."}, Hash: 2, Seq: 2, Event: "E1"},
		},
		Events:     []store.Event{{ID: "E1", Story: "S1", Date: "2024-05-01"}},
		Reuse:      []store.Reuse{{From: "a1", To: "a2", SharedRatio: 0.5, Passages: []store.Passage{{Text: "Flood in Orvik", Len: 14}}}},
		Duplicates: []store.Duplicate{{A: "a1", B: "a2", Similarity: 0.9}},
		Entities:   []store.Entity{{ID: "LOC:orvik", Name: "Orvik", Type: "LOC", Aliases: []string{"Orvik"}}},
		Mentions:   []store.Mention{{Article: "a1", Entity: "LOC:orvik", Count: 1}, {Article: "a2", Entity: "LOC:orvik", Count: 1}},
	}
	for range 2 {
		if err := s.Commit(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	if n, e, ns, _ := s.Counts(ctx); n != 2 || e != 1 || ns != 1 {
		t.Errorf("counts after recommit %d %d %d, want 2 1 1", n, e, ns)
	}
	if r, _ := s.ReuseOf(ctx, "a2"); len(r) != 1 {
		t.Errorf("reuse after recommit: %+v", r)
	}
	if d, _ := s.Duplicates(ctx, store.Filter{}); len(d) != 1 {
		t.Errorf("duplicates after recommit: %+v", d)
	}
	if e, _ := s.Entity(ctx, "LOC:orvik"); len(e.Articles) != 2 || len(e.Events) != 1 {
		t.Errorf("entity after recommit: %+v", e)
	}
	// A changed article replaces its row; its mentions are replaced too.
	b2 := &store.Batch{
		Articles: []store.Article{{Article: article.Article{ID: "a1", Title: "New title", Text: "Flood in Orvik."}, Hash: 9, Seq: 3, Event: "E1"}},
		Entities: []store.Entity{{ID: "PER:ona", Name: "Ona Dahl", Type: "PER"}},
		Mentions: []store.Mention{{Article: "a1", Entity: "PER:ona", Count: 2}},
	}
	if err := s.Commit(ctx, b2); err != nil {
		t.Fatal(err)
	}
	a, _ := s.Article(ctx, "a1")
	if a.Title != "New title" || a.Hash != 9 || a.Seq != 3 {
		t.Errorf("updated article: %+v", a)
	}
	if e, _ := s.Entity(ctx, "LOC:orvik"); len(e.Articles) != 1 || e.Articles[0] != "a2" {
		t.Errorf("old mention not replaced: %+v", e)
	}
	ev, _ := s.Event(ctx, "E1")
	if strings.Join(ev.Articles, ",") != "a2,a1" {
		t.Errorf("event articles in seq order after update: %v", ev.Articles)
	}
}

func testReplay(t *testing.T, s store.Store) {
	ctx := context.Background()
	var arts []store.Article
	for i, d := range []string{"2024-01-01", "2024-03-01", "", "2024-02-01", "2024-04-01"} {
		a := store.Article{Article: article.Article{ID: fmt.Sprintf("r%d", i), Text: "x"}, Seq: int64(i + 1), Event: "E"}
		if d != "" {
			a.EventTime = day(d)
			a.Published = day(d)
		}
		arts = append(arts, a)
	}
	if err := s.Commit(ctx, &store.Batch{Articles: arts, Events: []store.Event{{ID: "E", Story: "S"}}}); err != nil {
		t.Fatal(err)
	}
	var got []string
	err := s.Replay(ctx, func(a store.Article) error {
		got = append(got, a.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Every article, in seq order.
	if strings.Join(got, ",") != "r0,r1,r2,r3,r4" {
		t.Errorf("replay = %v", got)
	}
	stop := errors.New("stop")
	n := 0
	if err := s.Replay(ctx, func(store.Article) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("replay must stop at the callback's error: %v after %d", err, n)
	}
}

func testExtras(t *testing.T, s store.Store) {
	ctx := context.Background()
	b := &store.Batch{
		Articles: []store.Article{
			{Article: article.Article{ID: "o", Title: "Dam breach in Velmora", Text: "The Upper Selva Dam gave way on Tuesday.", Published: day("2025-03-11"), Source: "Nordwire", Lang: "en"}, Seq: 1, Event: "E1", Novelty: 1},
			{Article: article.Article{ID: "c", Title: "Velmora flooded", Text: "The Upper Selva Dam gave way on Tuesday. Two are missing.", Published: day("2025-03-12"), Source: "Courier", Lang: "en"}, Seq: 2, Event: "E1", Novelty: 0.4},
			{Article: article.Article{ID: "x", Title: "Cup final", Text: "Tarnholm won the cup.", Published: day("2025-04-05"), Source: "Courier", Lang: "en"}, Seq: 3, Event: "E2", Novelty: 1},
		},
		Events:     []store.Event{{ID: "E1", Story: "S1", Date: "2025-03-11"}, {ID: "E2", Story: "S2", Date: "2025-04-05"}},
		Reuse:      []store.Reuse{{From: "o", To: "c", SharedRatio: 0.6, Passages: []store.Passage{{Text: "The Upper Selva Dam gave way on Tuesday.", FromOffset: 0, ToOffset: 0, Len: 40}}}},
		Duplicates: []store.Duplicate{{A: "o", B: "c", Similarity: 0.7}},
		Entities:   []store.Entity{{ID: "LOC:velmora", Name: "Velmora", Type: "LOC", Aliases: []string{"Velmora"}, FirstSeen: "2025-03-11", LastSeen: "2025-03-12"}, {ID: "ORG:tarnholm", Name: "FC Tarnholm", Type: "ORG"}},
		Mentions:   []store.Mention{{Article: "o", Entity: "LOC:velmora", Count: 2}, {Article: "c", Entity: "LOC:velmora", Count: 1}, {Article: "x", Entity: "ORG:tarnholm", Count: 1}},
	}
	if err := s.Commit(ctx, b); err != nil {
		t.Fatal(err)
	}
	r, _ := s.ReuseOf(ctx, "c")
	if len(r) != 1 || r[0].From != "o" || r[0].Passages[0].Len != 40 || r[0].SharedRatio != 0.6 {
		t.Errorf("reuse of c: %+v", r)
	}
	if r, _ := s.ReuseOf(ctx, "o"); r == nil || len(r) != 0 {
		t.Errorf("reuse of an original must be an empty list: %#v", r)
	}
	if r, _ := s.ReuseAll(ctx, store.Filter{Source: "Courier"}); len(r) != 1 || r[0].To != "c" {
		t.Errorf("reuse by source: %+v", r)
	}
	if r, _ := s.ReuseAll(ctx, store.Filter{To: day("2025-03-11")}); len(r) != 0 {
		t.Errorf("reuse before the copy was published: %+v", r)
	}
	if dups, _ := s.Duplicates(ctx, store.Filter{}); len(dups) != 1 || dups[0].B != "c" || dups[0].Similarity != 0.7 {
		t.Errorf("duplicates: %+v", dups)
	}
	e, err := s.Entity(ctx, "LOC:velmora")
	if err != nil || len(e.Articles) != 2 || len(e.Events) != 1 || e.Events[0] != "E1" || e.FirstSeen != "2025-03-11" || len(e.Aliases) != 1 {
		t.Errorf("entity: %+v %v", e, err)
	}
	if _, err := s.Entity(ctx, "LOC:nowhere"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing entity: %v", err)
	}
	ents, _ := s.Entities(ctx, store.Filter{})
	if len(ents) != 2 || ents[0].ID != "LOC:velmora" || ents[1].Aliases == nil {
		t.Errorf("entities (most mentioned first): %+v", ents)
	}
	if ents, _ := s.Entities(ctx, store.Filter{Source: "Nordwire"}); len(ents) != 1 || ents[0].ID != "LOC:velmora" {
		t.Errorf("entities by source: %+v", ents)
	}
	evs, _ := s.Events(ctx, store.Filter{Entity: "ORG:tarnholm"})
	if len(evs) != 1 || evs[0].ID != "E2" {
		t.Errorf("events by entity: %+v", evs)
	}
	evs, _ = s.Events(ctx, store.Filter{Source: "Nordwire"})
	if len(evs) != 1 || evs[0].ID != "E1" || strings.Join(evs[0].Articles, ",") != "o,c" {
		t.Errorf("events by source: %+v", evs)
	}
	if evs, _ := s.Events(ctx, store.Filter{Lang: "fr"}); len(evs) != 0 {
		t.Errorf("events by an absent language: %+v", evs)
	}
	sts, _ := s.Stories(ctx, store.Filter{Source: "Courier"})
	if len(sts) != 2 || sts[0].ID != "S2" {
		t.Errorf("stories by source (most recent first): %+v", sts)
	}
	if sts, _ := s.Stories(ctx, store.Filter{Entity: "LOC:velmora"}); len(sts) != 1 || sts[0].ID != "S1" || len(sts[0].Articles) != 2 {
		t.Errorf("stories by entity: %+v", sts)
	}
	for q, want := range map[string]string{
		"selva":                       "o,c",
		`"gave way" missing`:          "c",
		"cup OR breach":               "o,x",
		`tarnholm) AND (`:             "x",
		"missing*":                    "c",
		`<script>alert(1)</script> "`: "",
	} {
		if got := searchIDs(t, s, q, store.Filter{}); got != sortJoin(strings.Split(want, ",")) {
			t.Errorf("search %q = %q, want %q", q, got, want)
		}
	}
	if got := searchIDs(t, s, "velmora", store.Filter{Source: "Courier"}); got != "c" {
		t.Errorf("search with a source filter = %q", got)
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

// testSearchSyntax: operators, prefixes and ranking shared by the backends.
func testSearchSyntax(t *testing.T, s store.Store) {
	ctx := context.Background()
	b := &store.Batch{
		Articles: []store.Article{
			{Article: article.Article{ID: "t", Title: "Harbour strike ends", Text: "Dockers return to work in Brenmouth."}, Seq: 1, Event: "E"},
			{Article: article.Article{ID: "b", Title: "Weather", Text: "A harbour storm is expected; dockers stay home."}, Seq: 2, Event: "E"},
			{Article: article.Article{ID: "n", Title: "Budget", Text: "The council of Brenmouth voted the budget."}, Seq: 3, Event: "E"},
		},
		Events: []store.Event{{ID: "E", Story: "S"}},
	}
	if err := s.Commit(ctx, b); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ q, want string }{
		{"brenmouth NOT budget", "t"},
		{"dockers brenmouth", "t"},
		{"budget OR storm", "b,n"},
		{"brenm*", "n,t"},
		{`"dockers stay home"`, "b"},
		{`"home stay dockers"`, ""},
		{"   ", ""},
		{"OR AND NOT", ""},
		{"zzzz", ""},
	} {
		if got := searchIDs(t, s, c.q, store.Filter{}); got != c.want {
			t.Errorf("search %q = %q, want %q", c.q, got, c.want)
		}
	}
	// A title match ranks above a body match.
	res, err := s.Search(ctx, "harbour", store.Filter{})
	if err != nil || len(res) != 2 || res[0].ID != "t" {
		t.Errorf("search ranking: %+v %v", res, err)
	}
	if res, _ := s.Search(ctx, "harbour", store.Filter{Limit: 1, Offset: 1}); len(res) != 1 || res[0].ID != "b" {
		t.Errorf("search page 2: %+v", res)
	}
}

func testPaginate(t *testing.T, s store.Store) {
	ctx := context.Background()
	b := &store.Batch{}
	for i := range 5 {
		id := fmt.Sprintf("E%d", i)
		b.Events = append(b.Events, store.Event{ID: id, Story: fmt.Sprintf("S%d", i), Date: fmt.Sprintf("2024-01-0%d", i+1)})
		b.Articles = append(b.Articles, store.Article{Article: article.Article{ID: "a" + id, Text: "x"}, Seq: int64(i + 1), Event: id})
	}
	if err := s.Commit(ctx, b); err != nil {
		t.Fatal(err)
	}
	ids := func(evs []store.Event) string {
		var o []string
		for _, e := range evs {
			o = append(o, e.ID)
		}
		return strings.Join(o, ",")
	}
	if evs, _ := s.Events(ctx, store.Filter{Limit: 2, Offset: 1}); ids(evs) != "E1,E2" {
		t.Errorf("events page: %s", ids(evs))
	}
	if evs, _ := s.Events(ctx, store.Filter{Offset: 3}); ids(evs) != "E3,E4" {
		t.Errorf("events offset only: %s", ids(evs))
	}
	sts, _ := s.Stories(ctx, store.Filter{Limit: 2})
	if len(sts) != 2 || sts[0].ID != "S4" || sts[1].ID != "S3" {
		t.Errorf("stories page: %+v", sts)
	}
	if evs, _ := s.Events(ctx, store.Filter{From: day("2030-01-01")}); evs == nil || len(evs) != 0 {
		t.Errorf("empty listing must be an empty list: %#v", evs)
	}
}

func testManyHashes(t *testing.T, s store.Store) {
	ctx := context.Background()
	b := &store.Batch{Events: []store.Event{{ID: "E", Story: "S"}}}
	var ids []string
	for i := range 1200 {
		id := fmt.Sprintf("m%04d", i)
		ids = append(ids, id)
		if i%2 == 0 {
			b.Articles = append(b.Articles, store.Article{Article: article.Article{ID: id, Text: "x"}, Hash: uint64(i) * 7919, Seq: int64(i + 1), Event: "E"})
		}
	}
	if err := s.Commit(ctx, b); err != nil {
		t.Fatal(err)
	}
	h, err := s.Hashes(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 600 || h["m1198"] != 1198*7919 {
		t.Errorf("hashes of 1200 ids: %d found, m1198=%d", len(h), h["m1198"])
	}
	if h, err := s.Hashes(ctx, nil); err != nil || len(h) != 0 {
		t.Errorf("hashes of no ids: %v %v", h, err)
	}
}

func searchIDs(t *testing.T, s store.Store, q string, f store.Filter) string {
	t.Helper()
	res, err := s.Search(context.Background(), q, f)
	if err != nil {
		t.Errorf("search %q: %v", q, err)
		return "<error>"
	}
	var ids []string
	for _, a := range res {
		ids = append(ids, a.ID)
	}
	return sortJoin(ids)
}

func sortJoin(s []string) string {
	c := make([]string, 0, len(s))
	for _, x := range s {
		if x != "" {
			c = append(c, x)
		}
	}
	sort.Strings(c)
	return strings.Join(c, ",")
}

// testStoryOrder: a storyline lists its events in time order and its
// articles event by event, each event's in ingest order; storylines are
// ranked by their latest event and filtered by overlap with a range.
func testStoryOrder(t *testing.T, s store.Store) {
	ctx := context.Background()
	b := &store.Batch{
		Articles: []store.Article{
			{Article: article.Article{ID: "a1", Text: "x"}, Seq: 1, Event: "E1"},
			{Article: article.Article{ID: "a2", Text: "x"}, Seq: 2, Event: "E2"},
			{Article: article.Article{ID: "a3", Text: "x"}, Seq: 3, Event: "E1"},
			{Article: article.Article{ID: "b1", Text: "x"}, Seq: 4, Event: "F1"},
			{Article: article.Article{ID: "c1", Text: "x"}, Seq: 5, Event: "G1"},
		},
		Events: []store.Event{
			{ID: "E2", Story: "S1", Date: "2024-02-09"},
			{ID: "E1", Story: "S1", Date: "2024-02-06"},
			{ID: "F1", Story: "S2", Date: "2024-03-01"},
			{ID: "G1", Story: "S3", Date: ""},
		},
	}
	if err := s.Commit(ctx, b); err != nil {
		t.Fatal(err)
	}
	st, err := s.Story(ctx, "S1")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(st.Events, ",") != "E1,E2" || strings.Join(st.Articles, ",") != "a1,a3,a2" {
		t.Errorf("story S1: events %v, articles %v; want E1,E2 and a1,a3,a2", st.Events, st.Articles)
	}
	ids := func(f store.Filter) string {
		sts, err := s.Stories(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var o []string
		for _, x := range sts {
			o = append(o, x.ID)
		}
		return strings.Join(o, ",")
	}
	for _, c := range []struct {
		f    store.Filter
		want string
	}{
		{store.Filter{}, "S2,S1,S3"},
		{store.Filter{From: day("2024-02-08")}, "S2,S1,S3"},
		{store.Filter{From: day("2024-02-10")}, "S2,S3"},
		{store.Filter{To: day("2024-02-07")}, "S1,S3"},
		{store.Filter{From: day("2024-02-10"), To: day("2024-02-20")}, "S3"},
		{store.Filter{Limit: 1, Offset: 1}, "S1"},
	} {
		if got := ids(c.f); got != c.want {
			t.Errorf("stories %+v = %s, want %s", c.f, got, c.want)
		}
	}
}

// testEventSources: an event lists the sources of all its articles, not
// only those of the articles its summary read (the row's own list).
func testEventSources(t *testing.T, s store.Store) {
	ctx := context.Background()
	b := &store.Batch{Events: []store.Event{{ID: "E", Story: "S", Date: "2025-03-10", Headline: "H", Sources: []string{"Wire"}}}}
	for i, src := range []string{"Wire", "Courier", "", "Wire", "Gazette"} {
		b.Articles = append(b.Articles, store.Article{Article: article.Article{ID: fmt.Sprint("a", i), Title: "T", Text: "Text.",
			Source: src, Published: day("2025-03-10")}, Seq: int64(i + 1), Event: "E"})
	}
	if err := s.Commit(ctx, b); err != nil {
		t.Fatal(err)
	}
	e, err := s.Event(ctx, "E")
	if err != nil {
		t.Fatal(err)
	}
	evs, err := s.Events(ctx, store.Filter{})
	if err != nil || len(evs) != 1 {
		t.Fatalf("events: %v, %d", err, len(evs))
	}
	for _, got := range []store.Event{e, evs[0]} {
		if strings.Join(got.Sources, ",") != "Courier,Gazette,Wire" || len(got.Articles) != 5 {
			t.Errorf("event sources %q, articles %v; want Courier,Gazette,Wire and 5 articles", got.Sources, got.Articles)
		}
	}
}
