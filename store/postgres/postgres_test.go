package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/store"
	"github.com/storyline/storyline/store/storetest"
)

// testDSN returns the test server's DSN from STORYLINE_TEST_PG (set by
// `eval "$(bash scripts/pg.sh start)"`). In CI a missing server fails the
// test; elsewhere the test is skipped with the command to run.
func testDSN(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("STORYLINE_TEST_PG")
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("STORYLINE_TEST_PG is not set: CI must start PostgreSQL with scripts/pg.sh start")
		}
		t.Skip(`no PostgreSQL: run eval "$(bash scripts/pg.sh start)" to test the postgres backend`)
	}
	return dsn
}

// freshSchema creates an empty schema and returns a DSN whose search_path
// points at it; the schema is dropped when the test ends.
func freshSchema(t *testing.T, dsn string) string {
	t.Helper()
	ctx := context.Background()
	name := fmt.Sprintf("t_%d", rand.Uint64())
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect %s: %v", dsn, err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, `CREATE SCHEMA `+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(ctx, dsn)
		if err == nil {
			c.Exec(ctx, `DROP SCHEMA `+name+` CASCADE`)
			c.Close(ctx)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	v := u.Query()
	v.Set("search_path", name)
	u.RawQuery = v.Encode()
	return u.String()
}

// TestStore runs the backend-independent suite, each test in a fresh
// schema.
func TestStore(t *testing.T) {
	dsn := testDSN(t)
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := Open(context.Background(), freshSchema(t, dsn))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestReopenAndConcurrentMigrate: processes opening a new database
// together apply each migration once; data survives a re-open.
func TestReopenAndConcurrentMigrate(t *testing.T) {
	ctx := context.Background()
	dsn := freshSchema(t, testDSN(t))
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			s, err := Open(ctx, dsn)
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var applied int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&applied); err != nil || applied != SchemaVersion() {
		t.Errorf("schema_migrations rows = %d (%v), want %d", applied, err, SchemaVersion())
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO schema_migrations VALUES (999, 'future')`); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, dsn); err == nil {
		t.Error("opening a database with a newer schema succeeded")
	}
}

// TestLeadership: one leader at a time; closing the leader's store frees
// the lock for another; a store that is not the leader still commits
// through its pool (readers and the embedded path need no lock).
func TestLeadership(t *testing.T) {
	ctx := context.Background()
	dsn := freshSchema(t, testDSN(t))
	a, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	name := fmt.Sprintf("lead-%d", rand.Uint64())
	if ok, err := a.TryLead(ctx, name); !ok || err != nil {
		t.Fatalf("first TryLead = %v, %v", ok, err)
	}
	if ok, err := a.TryLead(ctx, name); !ok || err != nil {
		t.Fatalf("TryLead while leading = %v, %v", ok, err)
	}
	if ok, err := b.TryLead(ctx, name); ok || err != nil {
		t.Fatalf("second leader admitted: %v, %v", ok, err)
	}
	batch := &store.Batch{Articles: []store.Article{{Article: article.Article{ID: "x", Text: "x"}, Seq: 1, Event: "E"}}, Events: []store.Event{{ID: "E", Story: "S"}}}
	if err := a.Commit(ctx, batch); err != nil {
		t.Fatalf("leader commit: %v", err)
	}
	// The leader loses its lock connection: its commits fail, they do not
	// fall back to the pool.
	a.mu.Lock()
	a.lead.Conn().Close(ctx)
	a.mu.Unlock()
	if err := a.Commit(ctx, batch); err == nil {
		t.Error("a leader that lost its lock connection still committed")
	}
	// The server releases the lock when its backend sees the connection
	// gone, which takes a moment.
	var ok bool
	for deadline := time.Now().Add(10 * time.Second); !ok && time.Now().Before(deadline); {
		if ok, err = b.TryLead(ctx, name); err != nil {
			t.Fatal(err)
		}
		if !ok {
			time.Sleep(20 * time.Millisecond)
		}
	}
	if !ok {
		t.Fatal("lock not released with the connection within 10 s")
	}
	a.Close()
	if n, _, _, _ := b.Counts(ctx); n != 1 {
		t.Errorf("articles = %d, want 1", n)
	}
}

// TestTextPostgresRefuses: NUL bytes and invalid UTF-8, which SQLite
// stores, are cleaned instead of failing the batch.
func TestTextPostgresRefuses(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, freshSchema(t, testDSN(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	b := &store.Batch{Articles: []store.Article{{Article: article.Article{ID: "n", Title: "a\x00b", Text: "bad \xff byte"}, Seq: 1, Event: "E"}},
		Events: []store.Event{{ID: "E", Story: "S", Headline: "h\x00"}}}
	if err := s.Commit(ctx, b); err != nil {
		t.Fatal(err)
	}
	a, err := s.Article(ctx, "n")
	if err != nil || a.Title != "ab" || a.Text != "bad \uFFFD byte" {
		t.Errorf("cleaned article: %+v %v", a, err)
	}
}

func TestTSQuery(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a b", "(phraseto_tsquery('english', $1) && phraseto_tsquery('english', $2))"},
		{"a OR b c", "(phraseto_tsquery('english', $1)) || (phraseto_tsquery('english', $2) && phraseto_tsquery('english', $3))"},
		{"a NOT b", "(phraseto_tsquery('english', $1) && !!phraseto_tsquery('english', $2))"},
		{"NOT OR a", "(phraseto_tsquery('english', $1))"},
		{"x-y*", "(to_tsquery('english', $1))"},
		{`"unterminated`, "(phraseto_tsquery('english', $1))"},
		{"*** ) (", ""},
	} {
		var a args
		if got := tsQuery(c.in, &a); got != c.want {
			t.Errorf("tsQuery(%q) = %s, want %s", c.in, got, c.want)
		}
	}
	var a args
	tsQuery("x-y*", &a)
	if a[0] != "x <-> y:*" {
		t.Errorf("prefix argument %q", a[0])
	}
}
