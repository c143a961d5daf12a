package sqlite

import (
	"context"
	"errors"
	"path/filepath"
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
