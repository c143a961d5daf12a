package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/store"
	"github.com/storyline/storyline/store/storetest"
)

// TestStore runs the backend-independent suite on a fresh database file
// per test.
func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "s.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestReopen: data survives a re-open and migrations are not re-applied.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	b := &store.Batch{Articles: []store.Article{{Article: article.Article{ID: "a1", Text: "One."}, Hash: 1, Seq: 1, Event: "E1"}},
		Events: []store.Event{{ID: "E1", Story: "S1"}}, Meta: map[string][]byte{"k": []byte("v")}}
	if err := s.Commit(ctx, b); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, e, ns, _ := s.Counts(ctx); n != 1 || e != 1 || ns != 1 {
		t.Errorf("counts %d %d %d", n, e, ns)
	}
	if v, _ := s.Meta(ctx, "k"); string(v) != "v" {
		t.Errorf("meta %q", v)
	}
	var applied int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&applied); err != nil || applied != SchemaVersion() {
		t.Errorf("schema_migrations rows = %d (%v), want %d", applied, err, SchemaVersion())
	}
}

// TestPageSize checks that a new store gets large pages and that a store
// created with SQLite's default pages still opens and keeps them.
func TestPageSize(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	pageOf := func(s *Store) int {
		var n int
		if err := s.db.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	s, err := Open(ctx, filepath.Join(dir, "new.db"))
	if err != nil {
		t.Fatal(err)
	}
	if got := pageOf(s); got != pageSize {
		t.Errorf("new store: page size %d, want %d", got, pageSize)
	}
	s.Close()
	old := filepath.Join(dir, "old.db")
	db, err := sql.Open("sqlite", "file:"+old)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE x(a); DROP TABLE x`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err = Open(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := pageOf(s); got != 4096 {
		t.Errorf("existing store: page size %d, want SQLite's 4096 kept", got)
	}
}
