package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/store"
)

func openTest(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// mentionsOf returns the mentions of art as "entity=count,..." from its
// "entities" column, and fails the test when the mention rows keyed by
// entity do not name exactly those entities.
func mentionsOf(t *testing.T, s *Store, art string) string {
	t.Helper()
	var js sql.NullString
	if err := s.db.QueryRow(`SELECT entities FROM articles WHERE id = ?`, art).Scan(&js); err != nil {
		t.Fatal(err)
	}
	var m map[string]int
	if js.Valid {
		if err := json.Unmarshal([]byte(js.String), &m); err != nil {
			t.Fatal(err)
		}
	}
	var out, listed []string
	for _, e := range slices.Sorted(maps.Keys(m)) {
		out = append(out, fmt.Sprintf("%s=%d", e, m[e]))
		listed = append(listed, e)
	}
	rows, err := s.db.Query(`SELECT entity FROM mentions WHERE article = ? ORDER BY entity`, art)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var keyed []string
	for rows.Next() {
		var e string
		rows.Scan(&e)
		keyed = append(keyed, e)
	}
	if !slices.Equal(keyed, listed) {
		t.Errorf("mention rows of %s name %v, its entities column %v", art, keyed, listed)
	}
	return strings.Join(out, ",")
}

func reuseFrom(t *testing.T, s *Store, art string) string {
	t.Helper()
	rs, err := s.ReuseOf(context.Background(), art)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rs {
		out = append(out, r.From)
	}
	slices.Sort(out)
	return strings.Join(out, ",")
}

// TestCommitReplacesExtras: writing an article (or reuse records or
// mentions of it) replaces its stored reuse records and mentions, whether
// the article is new, stored before, or not in the batch at all; a new
// article's rows are written without anything to replace.
func TestCommitReplacesExtras(t *testing.T) {
	ctx := context.Background()
	art := func(id string) store.Article {
		return store.Article{Article: article.Article{ID: id, Title: "T " + id, Text: "Text of " + id + "."}, Seq: 1, Event: "E"}
	}
	for _, c := range []struct {
		name           string
		second         store.Batch
		mentions, from string // of article "a" after both batches
	}{
		{"new rows for a stored article replace its old ones",
			store.Batch{Articles: []store.Article{art("a")}, Mentions: []store.Mention{{Article: "a", Entity: "x", Count: 3}}, Reuse: []store.Reuse{{From: "o2", To: "a"}}},
			"x=3", "o2"},
		{"a stored article written again without rows keeps none",
			store.Batch{Articles: []store.Article{art("a")}},
			"", ""},
		{"rows of an article not in the batch replace its old ones",
			store.Batch{Articles: []store.Article{art("b")}, Mentions: []store.Mention{{Article: "a", Entity: "y", Count: 1}}, Reuse: []store.Reuse{{From: "o3", To: "a"}}},
			"y=1", "o3"},
		{"a batch that does not name the article leaves its rows",
			store.Batch{Articles: []store.Article{art("b")}, Mentions: []store.Mention{{Article: "b", Entity: "y", Count: 1}}},
			"p=1,q=2", "o1"},
		{"later rows of a batch win over earlier ones with the same key",
			store.Batch{Articles: []store.Article{art("a")}, Mentions: []store.Mention{{Article: "a", Entity: "p", Count: 5}, {Article: "a", Entity: "p", Count: 7}}},
			"p=7", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := openTest(t)
			first := &store.Batch{Articles: []store.Article{art("a")},
				Mentions: []store.Mention{{Article: "a", Entity: "p", Count: 1}, {Article: "a", Entity: "q", Count: 2}},
				Reuse:    []store.Reuse{{From: "o1", To: "a", SharedRatio: 0.5}}}
			if err := s.Commit(ctx, first); err != nil {
				t.Fatal(err)
			}
			if got := mentionsOf(t, s, "a"); got != "p=1,q=2" {
				t.Fatalf("mentions after the first batch = %q", got)
			}
			if err := s.Commit(ctx, &c.second); err != nil {
				t.Fatal(err)
			}
			if got := mentionsOf(t, s, "a"); got != c.mentions {
				t.Errorf("mentions = %q, want %q", got, c.mentions)
			}
			if got := reuseFrom(t, s, "a"); got != c.from {
				t.Errorf("reuse from = %q, want %q", got, c.from)
			}
		})
	}
}

// TestCommitEntityUpserts: an entity row is replaced when any field
// changed and left as it is when none did.
func TestCommitEntityUpserts(t *testing.T) {
	ctx := context.Background()
	base := store.Entity{ID: "per:ana", Name: "Ana", Type: "PER", Aliases: []string{"Ana"}, FirstSeen: "2024-01-02", LastSeen: "2024-01-05"}
	for _, c := range []struct {
		name string
		edit func(e *store.Entity)
	}{
		{"unchanged", func(e *store.Entity) {}},
		{"name", func(e *store.Entity) { e.Name = "Ana B." }},
		{"type", func(e *store.Entity) { e.Type = "ORG" }},
		{"aliases", func(e *store.Entity) { e.Aliases = []string{"Ana", "Ana B."} }},
		{"first seen", func(e *store.Entity) { e.FirstSeen = "2023-12-31" }},
		{"last seen", func(e *store.Entity) { e.LastSeen = "2024-02-01" }},
		{"last seen cleared", func(e *store.Entity) { e.LastSeen = "" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := openTest(t)
			if err := s.Commit(ctx, &store.Batch{Entities: []store.Entity{base}}); err != nil {
				t.Fatal(err)
			}
			want := base
			want.Aliases = slices.Clone(base.Aliases)
			c.edit(&want)
			if err := s.Commit(ctx, &store.Batch{Entities: []store.Entity{want}}); err != nil {
				t.Fatal(err)
			}
			got, err := s.Entity(ctx, base.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != want.Name || got.Type != want.Type || strings.Join(got.Aliases, "|") != strings.Join(want.Aliases, "|") ||
				got.FirstSeen != want.FirstSeen || got.LastSeen != want.LastSeen {
				t.Errorf("entity = %+v, want %+v", got, want)
			}
		})
	}
}

// TestSearchStems: the porter tokenizer matches inflected forms, in the
// title and the text, and phrases keep their word order.
func TestSearchStems(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	b := &store.Batch{Articles: []store.Article{
		{Article: article.Article{ID: "r", Title: "Rioting spreads", Text: "Police arrested dozens of protesters in Athens."}, Seq: 1, Event: "E"},
		{Article: article.Article{ID: "v", Title: "Vote", Text: "The council voted to close the harbour."}, Seq: 2, Event: "E"},
	}}
	if err := s.Commit(ctx, b); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ q, want string }{
		{"riots", "r"},
		{"arrest", "r"},
		{"protester", "r"},
		{"voting", "v"},
		{"closing harbours", "v"},
		{`"arrested dozens"`, "r"},
		{`"dozens arrested"`, ""},
	} {
		res, err := s.Search(ctx, c.q, store.Filter{})
		if err != nil {
			t.Fatalf("search %q: %v", c.q, err)
		}
		var ids []string
		for _, a := range res {
			ids = append(ids, a.ID)
		}
		if got := strings.Join(ids, ","); got != c.want {
			t.Errorf("search %q = %q, want %q", c.q, got, c.want)
		}
	}
}

// TestMigration0004 brings a store written with migrations 0001–0003 up
// to date: its rows survive the table rebuilds, search still finds them,
// and the dropped indexes and merge settings are in place.
func TestMigration0004(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	s := upgradedFrom(t, path, 3,
		`INSERT INTO articles(id, seq, hash, title, text, event, lang) VALUES ('a', 1, 7, 'Harbour strike', 'Dockers walked out.', 'E', 'en'), ('b', 2, 8, 'Budget', 'The council voted.', 'E', 'en')`,
		`INSERT INTO articles_fts(rowid, title, text) SELECT rowid, title, text FROM articles`,
		`INSERT INTO events(id, story, date) VALUES ('E', 'S', '2024-01-02')`,
		`INSERT INTO reuse VALUES ('b', 'a', 0.25, '[{"text":"walked out","from_offset":8,"to_offset":0,"len":10}]')`,
		`INSERT INTO duplicates VALUES ('a', 'b', 0.9)`,
		`INSERT INTO entities VALUES ('org:council', 'Council', 'ORG', '["Council"]', '2024-01-02', '2024-01-03')`,
		`INSERT INTO mentions VALUES ('b', 'org:council', 2)`,
	)
	if res, err := s.Search(ctx, "docker", store.Filter{}); err != nil || len(res) != 1 || res[0].ID != "a" {
		t.Errorf("search after migration: %+v %v", res, err)
	}
	if rs, err := s.ReuseOf(ctx, "b"); err != nil || len(rs) != 1 || rs[0].From != "a" || len(rs[0].Passages) != 1 || rs[0].Passages[0].Len != 10 {
		t.Errorf("reuse after migration: %+v %v", rs, err)
	}
	if ds, err := s.Duplicates(ctx, store.Filter{}); err != nil || len(ds) != 1 || ds[0] != (store.Duplicate{A: "a", B: "b", Similarity: 0.9}) {
		t.Errorf("duplicates after migration: %+v %v", ds, err)
	}
	e, err := s.Entity(ctx, "org:council")
	if err != nil || e.Name != "Council" || e.LastSeen != "2024-01-03" || strings.Join(e.Articles, ",") != "b" || strings.Join(e.Events, ",") != "E" {
		t.Errorf("entity after migration: %+v %v", e, err)
	}
	if evs, err := s.Events(ctx, store.Filter{Lang: "en", Entity: "org:council"}); err != nil || len(evs) != 1 {
		t.Errorf("events by language and entity after migration: %+v %v", evs, err)
	}
	// The migrated store takes new batches.
	b := &store.Batch{Articles: []store.Article{{Article: article.Article{ID: "c", Title: "Harbours reopen", Text: "Ships return."}, Seq: 3, Event: "E"}},
		Mentions: []store.Mention{{Article: "c", Entity: "org:council", Count: 1}}, Reuse: []store.Reuse{{From: "a", To: "c"}}}
	if err := s.Commit(ctx, b); err != nil {
		t.Fatal(err)
	}
	if res, _ := s.Search(ctx, "harbour", store.Filter{}); len(res) != 2 {
		t.Errorf("search for harbour after a new batch: %+v", res)
	}
	for _, c := range []struct {
		q    string
		want int
	}{
		{`SELECT count(*) FROM sqlite_schema WHERE name IN ('articles_lang', 'articles_event_time', 'reuse_from')`, 0},
		// Migration 0005 has since dropped reuse and mentions_entity.
		{`SELECT count(*) FROM sqlite_schema WHERE name IN ('duplicates', 'entities', 'mentions') AND sql LIKE '%WITHOUT ROWID'`, 3},
		{`SELECT count(*) FROM sqlite_schema WHERE name IN ('duplicates_b')`, 1},
		{`SELECT v FROM articles_fts_config WHERE k = 'automerge'`, 64},
		{`SELECT max(version) FROM schema_migrations`, SchemaVersion()},
	} {
		var got int
		if err := s.db.QueryRow(c.q).Scan(&got); err != nil || got != c.want {
			t.Errorf("%s = %d (%v), want %d", c.q, got, err, c.want)
		}
	}
}

// storeAtVersion creates a store at path with the migrations up to version
// only, as an older build would have left it, and returns it open.
// upgradedFrom builds a store at path at schema version, runs rows (SQL
// statements filling it) and opens it with this build, which migrates it.
func upgradedFrom(t *testing.T, path string, version int, rows ...string) *Store {
	t.Helper()
	db := storeAtVersion(t, path, version)
	for _, q := range rows {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	db.Close()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func storeAtVersion(t *testing.T, path string, version int) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := migrationList()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Version > version {
			break
		}
		if _, err := db.Exec(m.SQL); err != nil {
			t.Fatal(m.Name, err)
		}
		if _, err := db.Exec(`INSERT INTO schema_migrations VALUES (?, 'then')`, m.Version); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// TestFullTextOneSegmentPerBatch: a batch's articles reach the full-text
// index in rowid order, so FTS5 writes the batch as one segment; ids that
// do not sort in arrival order used to make a segment every few rows.
func TestFullTextOneSegmentPerBatch(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	b := &store.Batch{}
	for i := range 200 {
		id := fmt.Sprintf("%03d", (i*37)%200) // arrival order is not id order
		b.Articles = append(b.Articles, store.Article{Article: article.Article{ID: id, Title: "Harbour vote " + id,
			Text: "The council voted to close the harbour after the storm, article " + id + "."}, Seq: int64(i + 1), Event: "E"})
	}
	if err := s.Commit(ctx, b); err != nil {
		t.Fatal(err)
	}
	var segs int
	if err := s.db.QueryRow(`SELECT count(DISTINCT segid) FROM articles_fts_idx`).Scan(&segs); err != nil {
		t.Fatal(err)
	}
	if segs != 1 {
		t.Errorf("one batch wrote %d full-text segments, want 1", segs)
	}
	res, err := s.Search(ctx, "harbour", store.Filter{Limit: 1000})
	if err != nil || len(res) != 200 {
		t.Fatalf("search found %d of 200 (%v)", len(res), err)
	}
}

// TestCommitNewAndStoredArticles: a batch mixing new articles (plain
// inserts), stored ones (upserts) and an id named twice (later row wins)
// stores the last version of each, in the full-text index too.
func TestCommitNewAndStoredArticles(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	art := func(id, title string, seq int64) store.Article {
		return store.Article{Article: article.Article{ID: id, Title: title, Text: "Report " + title + "."}, Seq: seq, Event: "E" + id}
	}
	if err := s.Commit(ctx, &store.Batch{Articles: []store.Article{art("a", "alpha", 1), art("b", "bravo", 2)}}); err != nil {
		t.Fatal(err)
	}
	second := &store.Batch{Articles: []store.Article{art("c", "charlie", 3), art("b", "delta", 4), art("d", "echo", 5), art("c", "foxtrot", 6)}}
	if err := s.Commit(ctx, second); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"a": "alpha/1", "b": "delta/4", "c": "foxtrot/6", "d": "echo/5"} {
		a, err := s.Article(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%s/%d", a.Title, a.Seq); got != want {
			t.Errorf("article %s = %s, want %s", id, got, want)
		}
	}
	for q, want := range map[string]string{"alpha": "a", "bravo": "", "delta": "b", "charlie": "", "foxtrot": "c", "echo": "d"} {
		as, err := s.Search(ctx, q, store.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, a := range as {
			ids = append(ids, a.ID)
		}
		if got := strings.Join(ids, ","); got != want {
			t.Errorf("search %q = %q, want %q", q, got, want)
		}
	}
	if n, _, _, err := s.Counts(ctx); err != nil || n != 4 {
		t.Errorf("articles = %d (%v), want 4", n, err)
	}
}

// TestFullTextAfterUpdates: a batch that replaces stored articles and adds
// new ones leaves each searchable by its current text only.
func TestFullTextAfterUpdates(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	art := func(id, text string, seq int64) store.Article {
		return store.Article{Article: article.Article{ID: id, Title: "Report " + id, Text: text}, Seq: seq, Event: "E"}
	}
	if err := s.Commit(ctx, &store.Batch{Articles: []store.Article{art("a", "The harbour flooded.", 1), art("b", "The council met.", 2)}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, &store.Batch{Articles: []store.Article{art("c", "A volcano erupted near the harbour.", 3),
		art("a", "The volcano fell quiet.", 4), art("d", "Council elections were called.", 5)}}); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{"harbour": "c", "volcano": "a,c", "council": "b,d", "flooded": ""} {
		res, err := s.Search(ctx, q, store.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range res {
			got = append(got, a.ID)
		}
		slices.Sort(got)
		if strings.Join(got, ",") != want {
			t.Errorf("search %q = %v, want %s", q, got, want)
		}
	}
}
