package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/store"
)

// TestMigration0005 brings a store written with migrations 0001–0004 up
// to date: reuse records and mention counts move into their articles'
// rows, mentions of stored articles survive re-keyed by entity, and the
// migrated store replaces them correctly when an article is written again.
func TestMigration0005(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	s := upgradedFrom(t, path, 4,
		`INSERT INTO articles(id, seq, hash, title, text, event, source) VALUES
		  ('a', 1, 7, 'Harbour strike', 'Dockers walked out.', 'E', 'Wire'),
		  ('b', 2, 8, 'Strike goes on', 'Dockers walked out again.', 'E', 'Courier'),
		  ('c', 3, 9, 'Budget', 'The council voted.', 'F', 'Wire')`,
		`INSERT INTO articles_fts(rowid, title, text) SELECT rowid, title, text FROM articles`,
		`INSERT INTO events(id, story, date) VALUES ('E', 'S', '2024-01-02'), ('F', 'S', '2024-01-03')`,
		// 0.30000000000000004 must survive the trip through JSON exactly.
		`INSERT INTO reuse VALUES ('b', 'a', 0.1 + 0.2, '[{"text":"walked out","from_offset":8,"to_offset":8,"len":10}]'),
		  ('b', 'c', 0.75, 'null'), ('c', 'a', 0.125, '[]'), ('zz', 'a', 0.5, '[]')`,
		`INSERT INTO duplicates VALUES ('a', 'b', 0.9)`,
		`INSERT INTO entities VALUES ('org:docks', 'Docks', 'ORG', '["Docks"]', '2024-01-02', '2024-01-03'),
		  ('org:council', 'Council', 'ORG', '[]', NULL, NULL)`,
		`INSERT INTO mentions VALUES ('a', 'org:docks', 2), ('b', 'org:docks', 1), ('b', 'org:council', 3), ('c', 'org:council', 1), ('zz', 'org:council', 5), ('zz', 'org:nobody', 1)`,
	)
	reuse := func(rs []store.Reuse) string {
		var o []string
		for _, r := range rs {
			o = append(o, fmt.Sprintf("%s<%s:%v:%d", r.To, r.From, r.SharedRatio, len(r.Passages)))
		}
		return strings.Join(o, " ")
	}
	entity := func(id string) string {
		e, err := s.Entity(ctx, id)
		if err != nil {
			return err.Error()
		}
		return strings.Join(e.Articles, ",") + "/" + strings.Join(e.Events, ",")
	}
	got := func(f func() (string, error)) string {
		v, err := f()
		if err != nil {
			return "error: " + err.Error()
		}
		return v
	}
	for _, c := range []struct {
		name, got, want string
	}{
		{"reuse of b, highest share first", got(func() (string, error) { r, err := s.ReuseOf(ctx, "b"); return reuse(r), err }), "b<c:0.75:0 b<a:0.30000000000000004:1"},
		{"reuse of an original", got(func() (string, error) { r, err := s.ReuseOf(ctx, "a"); return reuse(r), err }), ""},
		{"reuse of an article never stored", got(func() (string, error) { r, err := s.ReuseOf(ctx, "zz"); return reuse(r), err }), ""},
		{"all reuse, ingest order then origin", got(func() (string, error) { r, err := s.ReuseAll(ctx, store.Filter{}); return reuse(r), err }), "b<a:0.30000000000000004:1 b<c:0.75:0 c<a:0.125:0"},
		{"reuse by source", got(func() (string, error) { r, err := s.ReuseAll(ctx, store.Filter{Source: "Wire"}); return reuse(r), err }), "c<a:0.125:0"},
		{"passages", got(func() (string, error) {
			r, err := s.ReuseOf(ctx, "b")
			if err != nil || len(r) != 2 {
				return "", err
			}
			return fmt.Sprintf("%+v", r[1].Passages), nil
		}), "[{Text:walked out FromOffset:8 ToOffset:8 Len:10}]"},
		{"entity docks", entity("org:docks"), "a,b/E"},
		{"entity council", entity("org:council"), "b,c/E,F"},
		{"mentions of a", mentionsOf(t, s, "a"), "org:docks=2"},
		{"mentions of b", mentionsOf(t, s, "b"), "org:council=3,org:docks=1"},
		{"orphan mentions dropped", got(func() (string, error) {
			var n int
			err := s.db.QueryRow(`SELECT count(*) FROM mentions WHERE article = 'zz'`).Scan(&n)
			return fmt.Sprint(n), err
		}), "0"},
		{"entities most mentioned first", got(func() (string, error) {
			es, err := s.Entities(ctx, store.Filter{})
			var o []string
			for _, e := range es {
				o = append(o, e.ID)
			}
			return strings.Join(o, ","), err
		}), "org:council,org:docks"},
		{"events by entity", got(func() (string, error) {
			evs, err := s.Events(ctx, store.Filter{Entity: "org:docks"})
			var o []string
			for _, e := range evs {
				o = append(o, e.ID)
			}
			return strings.Join(o, ","), err
		}), "E"},
		{"tables", got(func() (string, error) {
			var n int
			err := s.db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name IN ('reuse', 'mentions_entity', 'mentions_v5')`).Scan(&n)
			return fmt.Sprint(n), err
		}), "0"},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	// Writing b again replaces its mentions and reuse records.
	b := &store.Batch{Articles: []store.Article{{Article: article.Article{ID: "b", Title: "Strike over", Text: "Dockers are back."}, Hash: 10, Seq: 4, Event: "E"}},
		Mentions: []store.Mention{{Article: "b", Entity: "org:docks", Count: 4}, {Article: "b", Entity: "per:ona", Count: 1}},
		Reuse:    []store.Reuse{{From: "a", To: "b", SharedRatio: 0.5}}}
	if err := s.Commit(ctx, b); err != nil {
		t.Fatal(err)
	}
	if m := mentionsOf(t, s, "b"); m != "org:docks=4,per:ona=1" {
		t.Errorf("mentions of b after a new version: %s", m)
	}
	if e := entity("org:council"); e != "c/F" {
		t.Errorf("entity council after b's new version: %s", e)
	}
	if r, err := s.ReuseOf(ctx, "b"); err != nil || reuse(r) != "b<a:0.5:0" {
		t.Errorf("reuse of b after a new version: %s %v", reuse(r), err)
	}
}

// TestReuseAllPages: ReuseAll pages by record, in the copying articles'
// ingest order and by origin within one, also across articles that share
// a seq.
func TestReuseAllPages(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	b := &store.Batch{}
	for i, id := range []string{"p", "q", "r", "s"} {
		seq := int64(i + 1)
		if id == "s" {
			seq = 2 // shares q's seq
		}
		b.Articles = append(b.Articles, store.Article{Article: article.Article{ID: id, Text: "x", Source: "W"}, Seq: seq, Event: "E"})
	}
	for _, r := range []string{"q<o3", "q<o1", "r<o2", "s<o2", "p<o9", "q<o5", "r<o1"} {
		to, from, _ := strings.Cut(r, "<")
		b.Reuse = append(b.Reuse, store.Reuse{To: to, From: from, SharedRatio: 0.5})
	}
	if err := s.Commit(ctx, b); err != nil {
		t.Fatal(err)
	}
	all := "p<o9 q<o1 s<o2 q<o3 q<o5 r<o1 r<o2"
	for _, c := range []struct {
		f    store.Filter
		want string
	}{
		{store.Filter{}, all},
		{store.Filter{Limit: 2}, "p<o9 q<o1"},
		{store.Filter{Limit: 3, Offset: 2}, "s<o2 q<o3 q<o5"},
		{store.Filter{Offset: 5}, "r<o1 r<o2"},
		{store.Filter{Offset: 7}, ""},
		{store.Filter{Limit: 100, Offset: 6}, "r<o2"},
		{store.Filter{Source: "W", Limit: 1, Offset: 1}, "q<o1"},
		{store.Filter{Source: "none"}, ""},
	} {
		rs, err := s.ReuseAll(ctx, c.f)
		if err != nil {
			t.Fatal(err)
		}
		var o []string
		for _, r := range rs {
			o = append(o, r.To+"<"+r.From)
		}
		if got := strings.Join(o, " "); got != c.want {
			t.Errorf("ReuseAll(limit %d offset %d source %q) = %q, want %q", c.f.Limit, c.f.Offset, c.f.Source, got, c.want)
		}
		if rs == nil {
			t.Errorf("ReuseAll must return an empty list, not nil")
		}
	}
}

// TestQueryPlans: the reuse listings use the indexes they used before
// migration 0005 (the unfiltered listing and the entity filter walk
// articles in ingest order, as they walked the reuse table or articles
// before), and no query scans mentions: an entity's mentions are searched
// epoch by epoch, a known article's in its epoch (migration 0006).
func TestQueryPlans(t *testing.T) {
	s := openTest(t)
	plan := func(q string, args ...any) string {
		rows, err := s.db.Query("EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var o []string
		for rows.Next() {
			var id, parent, unused int
			var d string
			if err := rows.Scan(&id, &parent, &unused, &d); err != nil {
				t.Fatal(err)
			}
			o = append(o, d)
		}
		return strings.Join(o, "; ")
	}
	reuseBy := func(f store.Filter) string { q, args := reuseAllQuery(f); return plan(q, args...) }
	for _, c := range []struct {
		name, plan string
		want       []string // substrings
	}{
		{"reuse listing in ingest order", reuseBy(store.Filter{}), []string{"SCAN a USING INDEX articles_seq"}},
		{"reuse by source", reuseBy(store.Filter{Source: "W"}), []string{"SEARCH a USING INDEX articles_source (source=?)"}},
		{"reuse by entity", reuseBy(store.Filter{Entity: "x"}), []string{"SEARCH fm EXISTS USING PRIMARY KEY (epoch=? AND entity=? AND article=?)"}},
		{"an entity's articles", plan(entityArticlesQuery, "x"),
			[]string{"SEARCH m USING PRIMARY KEY (epoch=? AND entity=?)", "SEARCH a USING INDEX sqlite_autoindex_articles_1 (id=?)"}},
		{"co-occurring entities", plan(`SELECT e.id FROM entities e WHERE `+coMentioned, "y"),
			[]string{"SEARCH m1 USING PRIMARY KEY (epoch=? AND entity=?)", "SEARCH m2 USING PRIMARY KEY (epoch=? AND entity=? AND article=?)"}},
		{"mention count", plan(`SELECT ` + mentionCount + ` FROM entities e`), []string{"SEARCH m USING PRIMARY KEY (epoch=? AND entity=?)"}},
		{"events by entity", plan(`SELECT id FROM events`+func() string { w, _ := window(store.Filter{Entity: "x"}, "date"); return w }(), "x"),
			[]string{"SEARCH fm USING PRIMARY KEY (epoch=? AND entity=? AND article=?)"}},
	} {
		t.Logf("%s: %s", c.name, c.plan)
		for _, w := range c.want {
			if !strings.Contains(c.plan, w) {
				t.Errorf("%s: plan %q lacks %q", c.name, c.plan, w)
			}
		}
		if strings.Contains(c.plan, "SCAN m") || strings.Contains(c.plan, "SCAN fm") {
			t.Errorf("%s: plan %q scans mentions", c.name, c.plan)
		}
	}
}

// TestLinksOfUnstoredArticles: reuse records and mentions of an article
// that is neither stored nor in the batch are not kept (there is no row to
// hold them), while those of the batch's and of stored articles are.
func TestLinksOfUnstoredArticles(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	b := &store.Batch{
		Articles: []store.Article{{Article: article.Article{ID: "a", Text: "x"}, Seq: 1, Event: "E"}},
		Reuse:    []store.Reuse{{From: "o", To: "a", SharedRatio: 0.5}, {From: "o", To: "ghost", SharedRatio: 0.5}},
		Mentions: []store.Mention{{Article: "a", Entity: "p", Count: 1}, {Article: "ghost", Entity: "p", Count: 1}},
	}
	if err := s.Commit(ctx, b); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		id, reuse, mentions string
	}{
		{"a", "o", "p=1"},
		{"ghost", "", ""},
	} {
		if got := reuseFrom(t, s, c.id); got != c.reuse {
			t.Errorf("reuse of %s = %q, want %q", c.id, got, c.reuse)
		}
		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM mentions WHERE article = ?`, c.id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if want := strings.Count(c.mentions, "="); n != want {
			t.Errorf("mention rows of %s = %d, want %d", c.id, n, want)
		}
	}
}

// TestMigration0006 brings a store written with migrations 0001–0005 up
// to date: its mention rows are re-keyed by their articles' epochs, and
// entity listings and filters find them in every epoch, old rows and rows
// written after the migration alike.
func TestMigration0006(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	late := 3<<mentionEpochBits + 5 // a rowid in epoch 3
	s := upgradedFrom(t, path, 5,
		`INSERT INTO articles(rowid, id, seq, hash, title, text, event, source, entities) VALUES
		  (1, 'a', 1, 7, 'Harbour strike', 'Dockers walked out.', 'E', 'Wire', '{"org:docks":2}'),
		  (2, 'b', 2, 8, 'Strike goes on', 'Dockers walked out again.', 'E', 'Courier', '{"org:council":3,"org:docks":1}'),
		  (`+fmt.Sprint(late)+`, 'c', 3, 9, 'Budget', 'The council voted.', 'F', 'Wire', '{"org:council":1}')`,
		`INSERT INTO articles_fts(rowid, title, text) SELECT rowid, title, text FROM articles`,
		`INSERT INTO events(id, story, date) VALUES ('E', 'S', '2024-01-02'), ('F', 'S', '2024-01-03')`,
		`INSERT INTO entities VALUES ('org:docks', 'Docks', 'ORG', '["Docks"]', '2024-01-02', '2024-01-03'),
		  ('org:council', 'Council', 'ORG', '[]', NULL, NULL)`,
		`INSERT INTO mentions(entity, article) VALUES ('org:docks', 'a'), ('org:docks', 'b'), ('org:council', 'b'), ('org:council', 'c')`,
	)
	var rows []string
	r, err := s.db.Query(`SELECT epoch, entity, article FROM mentions ORDER BY epoch, entity, article`)
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		var ep int
		var e, a string
		r.Scan(&ep, &e, &a)
		rows = append(rows, fmt.Sprintf("%d:%s:%s", ep, e, a))
	}
	r.Close()
	if got, want := strings.Join(rows, " "), "0:org:council:b 0:org:docks:a 0:org:docks:b 3:org:council:c"; got != want {
		t.Errorf("mention rows = %q, want %q", got, want)
	}
	// A new article lands after c, in epoch 3 too; b moves off the council.
	b := &store.Batch{Articles: []store.Article{
		{Article: article.Article{ID: "d", Title: "Vote", Text: "The council voted again."}, Hash: 11, Seq: 4, Event: "F"},
		{Article: article.Article{ID: "b", Title: "Strike goes on", Text: "Dockers walked out again.", Source: "Courier"}, Hash: 8, Seq: 2, Event: "E"}},
		Mentions: []store.Mention{{Article: "d", Entity: "org:council", Count: 1}, {Article: "d", Entity: "org:docks", Count: 1}, {Article: "b", Entity: "org:docks", Count: 1}}}
	if err := s.Commit(ctx, b); err != nil {
		t.Fatal(err)
	}
	ids := func(f func() ([]string, error)) string {
		v, err := f()
		if err != nil {
			return "error: " + err.Error()
		}
		return strings.Join(v, ",")
	}
	entity := func(id string) string {
		e, err := s.Entity(ctx, id)
		if err != nil {
			return err.Error()
		}
		return strings.Join(e.Articles, ",") + "/" + strings.Join(e.Events, ",")
	}
	for _, c := range []struct{ name, got, want string }{
		{"entity docks", entity("org:docks"), "a,b,d/E,F"},
		{"entity council", entity("org:council"), "c,d/F"},
		{"mentions of b", mentionsOf(t, s, "b"), "org:docks=1"},
		{"mentions of d", mentionsOf(t, s, "d"), "org:council=1,org:docks=1"},
		{"entities most mentioned first", ids(func() ([]string, error) {
			es, err := s.Entities(ctx, store.Filter{})
			var o []string
			for _, e := range es {
				o = append(o, fmt.Sprintf("%s=%d", e.ID, len(e.Articles)))
			}
			return o, err
		}), "org:docks=3,org:council=2"},
		{"co-occurring with council", ids(func() ([]string, error) {
			es, err := s.Entities(ctx, store.Filter{Entity: "org:council"})
			var o []string
			for _, e := range es {
				o = append(o, e.ID)
			}
			return o, err
		}), "org:docks"},
		{"entities in Courier", ids(func() ([]string, error) {
			es, err := s.Entities(ctx, store.Filter{Source: "Courier"})
			var o []string
			for _, e := range es {
				o = append(o, e.ID)
			}
			return o, err
		}), "org:docks"},
		{"events by entity", ids(func() ([]string, error) {
			evs, err := s.Events(ctx, store.Filter{Entity: "org:council"})
			var o []string
			for _, e := range evs {
				o = append(o, e.ID)
			}
			return o, err
		}), "F"},
		{"search by entity", ids(func() ([]string, error) {
			as, err := s.Search(ctx, "council", store.Filter{Entity: "org:docks"})
			var o []string
			for _, a := range as {
				o = append(o, a.ID)
			}
			return o, err
		}), "d"},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	var ep int64
	if err := s.db.QueryRow(`SELECT epoch FROM mentions WHERE article = 'd' LIMIT 1`).Scan(&ep); err != nil || ep != 3 {
		t.Errorf("epoch of d's mentions = %d (%v), want 3", ep, err)
	}
}
