package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/store"
)

// dumpRows lists every row the batches write, as text.
func dumpRows(t *testing.T, db *sql.DB) string {
	t.Helper()
	var out strings.Builder
	for _, q := range []string{
		`SELECT id, seq, hash, title, text, published, date_inferred, url, source, lang, extra, event_time, event, novelty, entities, reuse FROM articles ORDER BY id`,
		`SELECT id, story, date, headline, summary, sources, size FROM events ORDER BY id`,
		`SELECT id, name, type, aliases, first_seen, last_seen FROM entities ORDER BY id`,
		`SELECT epoch, entity, article FROM mentions ORDER BY 1, 2, 3`,
		`SELECT a, b, similarity FROM duplicates ORDER BY 1, 2`,
		`SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'report' ORDER BY rowid`,
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&out, vals...)
		}
		rows.Close()
	}
	return out.String()
}

// TestEncodedCommit: a batch encoded ahead (Encode) is written exactly as
// one Commit encodes itself, and an encoding the batch has outgrown is
// not used.
func TestEncodedCommit(t *testing.T) {
	ctx := context.Background()
	var arts []article.Article
	day := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	for i := range 90 {
		arts = append(arts, article.Article{ID: fmt.Sprintf("story%d-%d", i%7, i), Title: fmt.Sprintf("Report %d on the Orsk crossing", i),
			Text: strings.Repeat(fmt.Sprintf("The report number %d said trade fell. ", i), 3), Published: day.Add(time.Duration(i) * time.Hour),
			Source: []string{"Nordwire", "Vensk Daily", ""}[i%3], Extra: map[string]string{"section": fmt.Sprint(i % 4)}})
	}
	plain, ahead := openTest(t), openTest(t)
	g := newBenchGen()
	for k := 0; k < len(arts); k += 30 {
		b, _ := g.batch(arts[k : k+30])
		if err := plain.Commit(ctx, b); err != nil {
			t.Fatal(err)
		}
		ahead.Encode(b)
		if k == 30 {
			// Grown after Encode: its encoding must not be used.
			b.Events = append(b.Events, store.Event{ID: "Elate", Story: "Slate", Headline: "Late",
				Summary: []store.Sentence{{Text: "Late.", Article: arts[k].ID}}, Sources: []string{"x"}, Size: 1})
			if err := ahead.Commit(ctx, b); err != nil {
				t.Fatal(err)
			}
			b.Encoded = nil
			if err := plain.Commit(ctx, b); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := ahead.Commit(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	p, a := dumpRows(t, plain.db), dumpRows(t, ahead.db)
	if p != a {
		t.Fatalf("encoded ahead, the store holds\n%s\nencoded by Commit\n%s", a, p)
	}
	for _, want := range []string{`{"section":"1"}`, `"Late."`, `["a","b"]`, `"from":"story`} {
		if !strings.Contains(p, want) {
			t.Errorf("the rows lack %s", want)
		}
	}
}
