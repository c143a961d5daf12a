package pipeline

import (
	"context"
	"crypto/sha256"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/internal/gen"
	"github.com/storyline/storyline/store"
	"github.com/storyline/storyline/store/sqlite"
	"github.com/storyline/storyline/text"
)

func day(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }

// corpus is two storylines: phone calls between two presidents two weeks
// apart (the second article recycles background), and a dam failure.
func corpus() []article.Article {
	bg := "The two countries have argued for years over the Orsk border crossing, which was closed in 2019 after a customs dispute. Trade between them has fallen by a third since then."
	return []article.Article{
		{ID: "call1-a", Published: day("2025-03-10"), Title: "Sorvald and Brenner speak by phone",
			Text: "President Anika Sorvald of Kestria spoke by phone with President Tomas Brenner of Halvland on Sunday, their first call in months.\nThe leaders discussed reopening the Orsk crossing.\n" + bg},
		{ID: "call1-b", Published: day("2025-03-10"), Title: "Kestria and Halvland leaders hold first call in months",
			Text: "Kestria's Anika Sorvald and Halvland's Tomas Brenner held a telephone call on Sunday, officials in Vensk said.\nThey talked about the Orsk crossing and trade.\n" + bg},
		{ID: "dam-a", Published: day("2025-03-11"), Title: "Dam gives way above Velmora",
			Text: "Part of the Upper Selva Dam gave way on Tuesday morning, flooding the evacuated town of Velmora.\nTwo workers are missing, rescue officials said.\nThe dam was built in 1964."},
		{ID: "dam-b", Published: day("2025-03-11"), Title: "Velmora flooded as dam collapses",
			Text: "A section of the Upper Selva Dam collapsed on Tuesday and water rushed into Velmora, which had been evacuated a week earlier.\nRescuers searched for two missing workers."},
		{ID: "call1-copy", Published: day("2025-03-10"), Title: "Sorvald and Brenner speak by phone",
			Text: "President Anika Sorvald of Kestria spoke by phone with President Tomas Brenner of Halvland on Sunday, their first call in months.\nThe leaders discussed reopening the Orsk crossing.\n" + bg + " (With inputs from Nordwire)"},
		{ID: "call2-a", Published: day("2025-03-31"), Title: "Sorvald and Brenner speak again",
			Text: "President Anika Sorvald and President Tomas Brenner spoke by phone again on Sunday, two weeks after their summit, and agreed a timetable for Orsk rail traffic.\n" + bg},
	}
}

func TestIngestIdempotentAndResumable(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	in, err := NewIngester(ctx, st, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	arts := corpus()
	if err := in.Add(ctx, arts[:3]); err != nil {
		t.Fatal(err)
	}
	if err := in.Close(ctx); err != nil {
		t.Fatal(err)
	}
	st.Close()

	// Re-open: the engine is rebuilt from the store; re-adding the same
	// articles changes nothing; the rest is added.
	st, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	in, err = NewIngester(ctx, st, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if err := in.Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	if err := in.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if in.Stats.Unchanged != 3 || in.Stats.New != 3 {
		t.Fatalf("stats = %+v, want 3 unchanged, 3 new", in.Stats)
	}
	n, _, _, err := st.Counts(ctx)
	if err != nil || n != 6 {
		t.Fatalf("articles = %d (%v), want 6", n, err)
	}
	ev := map[string]string{}
	for _, a := range arts {
		sa, err := st.Article(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		ev[a.ID] = sa.Event
	}
	if ev["call1-a"] != ev["call1-b"] {
		t.Errorf("two reports of the same call are in different events: %v", ev)
	}
	if ev["call1-copy"] != ev["call1-a"] {
		t.Errorf("a syndicated copy is not in its original's event: %v", ev)
	}
	if ev["dam-a"] != ev["dam-b"] {
		t.Errorf("two reports of the dam collapse are in different events: %v", ev)
	}
	if ev["call2-a"] == ev["call1-a"] {
		t.Errorf("the second call (two weeks later) joined the first call's event")
	}
	if ev["dam-a"] == ev["call1-a"] {
		t.Errorf("unrelated happenings share an event")
	}
	e1, _ := st.Event(ctx, ev["call1-a"])
	e2, _ := st.Event(ctx, ev["call2-a"])
	ed, _ := st.Event(ctx, ev["dam-a"])
	if e1.Story != e2.Story {
		t.Errorf("the two calls are in different storylines (%s, %s)", e1.Story, e2.Story)
	}
	if ed.Story == e1.Story {
		t.Errorf("the dam collapse joined the diplomacy storyline")
	}
	// "on Sunday" in a Monday article dates the event to the Sunday.
	if e1.Date != "2025-03-09" {
		t.Errorf("first call dated %q, want 2025-03-09", e1.Date)
	}
	if e1.Headline == "" || len(e1.Summary) == 0 {
		t.Errorf("event without headline or summary: %+v", e1)
	}

	// Reuse: the second call recycles the first call's background.
	reuse, err := st.ReuseOf(ctx, "call2-a")
	if err != nil || len(reuse) == 0 || reuse[0].From != "call1-a" || len(reuse[0].Passages) == 0 {
		t.Errorf("reuse of call2-a: %+v %v", reuse, err)
	}
	if !strings.Contains(reuse[0].Passages[0].Text, "Orsk border crossing") {
		t.Errorf("copied passage: %q", reuse[0].Passages[0].Text)
	}
	dups, _ := st.Duplicates(ctx, store.Filter{})
	found := false
	for _, d := range dups {
		found = found || (d.A == "call1-a" && d.B == "call1-copy")
	}
	if !found {
		t.Errorf("syndicated copy not listed as a duplicate: %+v", dups)
	}
	if a, _ := st.Article(ctx, "call2-a"); a.Novelty <= 0 || a.Novelty >= 1 {
		t.Errorf("novelty of call2-a = %v, want strictly between 0 and 1", a.Novelty)
	}

	// Entities: spellings of one person merge across articles.
	ents, err := st.Entities(ctx, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var sorvald *store.Entity
	for i := range ents {
		if ents[i].Type == "PER" && strings.Contains(ents[i].Name, "Sorvald") {
			if sorvald != nil {
				t.Errorf("Sorvald split into %s and %s", sorvald.ID, ents[i].ID)
			}
			sorvald = &ents[i]
		}
	}
	if sorvald == nil || len(sorvald.Articles) < 4 {
		t.Errorf("Sorvald entity: %+v", sorvald)
	}
	if evs, _ := st.Events(ctx, store.Filter{Entity: sorvald.ID}); len(evs) < 2 {
		t.Errorf("events naming Sorvald: %d", len(evs))
	}

	// Changed text updates the article in place.
	arts[5].Text += "\nThey will meet again in May."
	if err := in.Add(ctx, arts[5:]); err != nil {
		t.Fatal(err)
	}
	if in.Stats.Updated != 1 {
		t.Errorf("updated = %d, want 1", in.Stats.Updated)
	}
	if n, _, _, _ := st.Counts(ctx); n != 6 {
		t.Errorf("articles after update = %d, want 6", n)
	}
	_ = fmt.Sprint()
}

func TestNotEnglishIsStoredButNotClustered(t *testing.T) {
	ctx := context.Background()
	st, in := newTestIngester(t)
	de := "Die Präsidentin von Kestria, Anika Sorvald, hat am Sonntag mit dem Präsidenten von Halvland telefoniert. Die beiden sprachen über den Grenzübergang und den Handel zwischen den Ländern."
	arts := append(corpus()[:2], article.Article{ID: "de-1", Published: day("2025-03-10"), Text: de},
		article.Article{ID: "de-2", Published: day("2025-03-10"), Text: de + " Weitere Gespräche sind geplant."})
	if err := in.Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	if err := in.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if in.Stats.NotEnglish != 2 {
		t.Errorf("not_english = %d, want 2", in.Stats.NotEnglish)
	}
	a1, _ := st.Article(ctx, "de-1")
	a2, _ := st.Article(ctx, "de-2")
	en, _ := st.Article(ctx, "call1-a")
	if a1.Lang != "de" || a1.Extra["lang_confidence"] == "" {
		t.Errorf("language not identified: %q %v", a1.Lang, a1.Extra)
	}
	if a1.Event == a2.Event || a1.Event == en.Event {
		t.Errorf("a non-English article shares an event: %s %s %s", a1.Event, a2.Event, en.Event)
	}
	if evs, _ := st.Events(ctx, store.Filter{Lang: "de"}); len(evs) != 2 {
		t.Errorf("events in German: %d, want 2", len(evs))
	}
}

// TestRestartGivesTheSameEvents: an ingest interrupted after a commit and
// continued by a new Ingester (rebuilt from the store) ends with exactly
// the events of an uninterrupted one.
func TestRestartGivesTheSameEvents(t *testing.T) {
	ctx := context.Background()
	var pool []string
	for i := 0; i < 90; i++ {
		pool = append(pool, fmt.Sprintf("Officials in Town%d said the river %d rose near bridge %d on day %d.", i%9, i%13, i*3, i%5))
	}
	arts := gen.Articles(gen.Pools{pool[:30], pool[30:60], pool[60:]}, 1500, 3)
	SortForStream(arts)
	batches := [][]article.Article{arts[:500], arts[500:1000], arts[1000:]}
	events := func(st store.Store) map[string]string {
		out := map[string]string{}
		for _, a := range arts {
			sa, err := st.Article(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			out[a.ID] = sa.Event
		}
		return out
	}
	open := func(name string) store.Store {
		st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// Reference: one Ingester; a Close (full settle) after the first
	// batch, as when a first ingest run ends, and at the end.
	ref := open("ref.db")
	in, _ := NewIngester(ctx, ref, DefaultOptions())
	must(in.Add(ctx, batches[0]))
	must(in.Close(ctx))
	must(in.Add(ctx, batches[1]))
	must(in.Add(ctx, batches[2]))
	must(in.Close(ctx))
	// Cut: the first run ends after batch 0; the second dies after batch 1
	// (no Close); a third rebuilds from the store and finishes.
	st := open("cut.db")
	in1, _ := NewIngester(ctx, st, DefaultOptions())
	must(in1.Add(ctx, batches[0]))
	must(in1.Close(ctx))
	in2, err := NewIngester(ctx, st, DefaultOptions())
	must(err)
	must(in2.Add(ctx, batches[1]))
	in3, err := NewIngester(ctx, st, DefaultOptions())
	must(err)
	must(in3.Add(ctx, batches[2]))
	must(in3.Close(ctx))
	want, got := events(ref), events(st)
	diff := 0
	for id, ev := range want {
		if got[id] != ev {
			diff++
		}
	}
	if diff > 0 {
		t.Errorf("%d of %d articles in other events after a restart", diff, len(want))
	}
}

func TestSpanUnion(t *testing.T) {
	for _, c := range []struct {
		in   []text.Span
		want int
	}{
		{nil, 0},
		{[]text.Span{{Start: 0, End: 10}}, 10},
		{[]text.Span{{Start: 5, End: 15}, {Start: 0, End: 10}}, 15},
		{[]text.Span{{Start: 0, End: 10}, {Start: 2, End: 4}, {Start: 20, End: 25}}, 15},
	} {
		if got := spanUnion(c.in); got != c.want {
			t.Errorf("spanUnion(%v) = %d, want %d", c.in, got, c.want)
		}
	}
}

// TestAnalyzeStreamOrder checks that AnalyzeStream delivers every article
// in input order, also past its window, and stops on cancellation.
func TestAnalyzeStreamOrder(t *testing.T) {
	var arts []article.Article
	for i := range 3*streamWindow + 7 {
		arts = append(arts, article.Article{ID: fmt.Sprintf("a%d", i), Title: "Storm hits coast",
			Text: fmt.Sprintf("A storm hit the coast on Monday, officials said. Report %d follows.", i)})
	}
	var got []string
	if err := AnalyzeStream(context.Background(), arts, 3, nil, func(a *Analyzed) { got = append(got, a.Article.ID) }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(arts) {
		t.Fatalf("got %d results, want %d", len(got), len(arts))
	}
	for i, id := range got {
		if id != arts[i].ID {
			t.Fatalf("result %d is %s, want %s", i, id, arts[i].ID)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err := AnalyzeStream(ctx, arts, 2, nil, func(*Analyzed) {
		if n++; n == 10 {
			cancel()
		}
	})
	if err == nil || n >= len(arts) {
		t.Fatalf("after cancel: err %v, %d results", err, n)
	}
}

// TestSameInputSameRows ingests the same stream into two stores and
// expects identical event rows, headlines and attributed summaries
// included (summaries break ties by article order, which must not
// depend on map iteration).
func TestSameInputSameRows(t *testing.T) {
	ctx := context.Background()
	// Real sentences (ECB+, as the bench uses) make the ties that matter:
	// the same sentence in several articles of one event.
	arts := genArticles(t, 4000, 1)
	SortForStream(arts)
	rows := func() []store.Event {
		st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		in, _ := NewIngester(ctx, st, DefaultOptions())
		for k := 0; k < len(arts); k += 1000 {
			if err := in.Add(ctx, arts[k:min(k+1000, len(arts))]); err != nil {
				t.Fatal(err)
			}
		}
		if err := in.Close(ctx); err != nil {
			t.Fatal(err)
		}
		evs, err := st.Events(ctx, store.Filter{Limit: 100000})
		if err != nil {
			t.Fatal(err)
		}
		return evs
	}
	a, b := rows(), rows()
	if len(a) != len(b) || len(a) < 10 {
		t.Fatalf("%d and %d events", len(a), len(b))
	}
	for i := range a {
		if fmt.Sprint(a[i]) != fmt.Sprint(b[i]) {
			t.Fatalf("event %d differs between runs:\n%v\n%v", i, a[i], b[i])
		}
	}
}

// TestKnownEventsMatchTheStore: every time a batch summarizes an event
// from what an earlier batch left (instead of reading its articles back),
// those articles are exactly what the store returns at that moment,
// through settle moves and articles updated in place.
func TestKnownEventsMatchTheStore(t *testing.T) {
	ctx := context.Background()
	arts := genArticles(t, 8000, 2)
	SortForStream(arts)
	st, in := newTestIngester(t)
	var hits, partial atomic.Int64 // eventRows runs on two goroutines
	in.checkKnown = func(ev string, known knownList) {
		hits.Add(1)
		if !known.all {
			partial.Add(1)
		}
		want, err := st.EventArticles(ctx, ev, maxSummaryArticles)
		if err != nil {
			t.Error(err)
			return
		}
		id := func(as []store.Article) string {
			var b strings.Builder
			for _, a := range as {
				fmt.Fprintf(&b, "%s/%d/%x/%s/%s;", a.ID, a.Seq, sha256.Sum256([]byte(a.Title+"\x00"+a.Text)), a.Source, a.EventTime.Format("2006-01-02"))
			}
			return b.String()
		}
		if id(known.arts) != id(want) {
			t.Errorf("event %s: known articles\n%s\nstore holds\n%s", ev, id(known.arts), id(want))
		}
		if known.all {
			if every, _ := st.EventArticles(ctx, ev, 0); len(every) != len(known.arts) {
				t.Errorf("event %s: %d articles known as all, the store holds %d", ev, len(known.arts), len(every))
			}
		}
	}
	const batch = 250
	for k := 0; k < len(arts); k += batch {
		next := arts[k:min(k+batch, len(arts))]
		if k >= 1000 {
			// Articles of two batches back come again, changed: updated in place.
			for i := k - 500; i < k-500+20; i++ {
				a := arts[i]
				a.Text += " A correction was appended to this report."
				next = append(slices.Clone(next), a)
			}
		}
		if k >= 2000 && k < 6000 {
			// Copies of one report, a few per batch: an event that grows
			// past maxSummaryArticles.
			for j := range 4 {
				a := arts[1000]
				a.ID = fmt.Sprintf("copy-%d-%d", k, j)
				a.Published = next[0].Published
				a.Text += fmt.Sprintf(" Reported by outlet %d.", j)
				next = append(slices.Clone(next), a)
			}
		}
		if err := in.Add(ctx, next); err != nil {
			t.Fatal(err)
		}
	}
	if err := in.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if hits.Load() < 50 || partial.Load() == 0 {
		t.Fatalf("only %d summaries used known articles (%d of them an event's first articles only)", hits.Load(), partial.Load())
	}
	t.Logf("%d summaries used known articles (%d of them an event's first articles only)", hits.Load(), partial.Load())
}

// TestPooledAnalyzersAnalyzeAlike: analyzers kept from batch to batch
// (warm stem caches) analyze exactly as fresh ones do.
func TestPooledAnalyzersAnalyzeAlike(t *testing.T) {
	arts := corpus()
	for round := range 3 {
		got := AnalyzeAll(context.Background(), arts, 2, nil)
		for i, a := range arts {
			want := newAnalyzer(nil).analyze(a)
			if !reflect.DeepEqual(got[i], want) {
				t.Fatalf("round %d, %s: pooled analyzer gave\n%+v\nfresh one\n%+v", round, a.ID, got[i], want)
			}
		}
	}
}

// TestUpdatedArticleLeavesOldSummary: an article ingested again with a
// different text, which takes it to another event, no longer lends its
// old sentences to the summary of the event it left, also when it comes
// back after leaving the dedup window (a later article moved it on).
func TestUpdatedArticleLeavesOldSummary(t *testing.T) {
	for _, later := range []bool{false, true} {
		ctx := context.Background()
		st, in := newTestIngester(t)
		arts := corpus()
		if err := in.Add(ctx, arts); err != nil {
			t.Fatal(err)
		}
		if later {
			far := article.Article{ID: "far", Published: day("2025-07-01"), Title: "Harvest festival opens",
				Text: "The annual harvest festival opened in Vensk on Friday with a parade of tractors and a brass band."}
			if err := in.Add(ctx, []article.Article{far}); err != nil {
				t.Fatal(err)
			}
			if in.eventOf["dam-a"] != "" {
				t.Fatal("dam-a still in the dedup window")
			}
		}
		dam := arts[2] // dam-a
		dam.Text = "The national football cup final in Tarnholm ended in a draw on Saturday, and the replay was set for next week."
		dam.Title = "Cup final drawn"
		if err := in.Add(ctx, []article.Article{dam}); err != nil {
			t.Fatal(err)
		}
		if err := in.Close(ctx); err != nil {
			t.Fatal(err)
		}
		damB, err := st.Article(ctx, "dam-b")
		if err != nil {
			t.Fatal(err)
		}
		now, err := st.Article(ctx, "dam-a")
		if err != nil {
			t.Fatal(err)
		}
		if now.Event == damB.Event {
			t.Fatalf("later %v: the changed article stayed in its event %s", later, now.Event)
		}
		ev, err := st.Event(ctx, damB.Event)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range ev.Summary {
			if s.Article == "dam-a" || strings.Contains(s.Text, "Upper Selva Dam gave way") {
				t.Errorf("later %v: event %s still summarizes the old dam-a: %q", later, ev.ID, s.Text)
			}
		}
	}
}

// genArticles generates n articles from the shared corpora's sentences (as
// the bench does); the corpora are part of the test setup (see
// corpora.Data).
func genArticles(tb testing.TB, n int, seed uint64) []article.Article {
	tb.Helper()
	arts, err := gen.SharedArticles(n, seed)
	if err != nil {
		tb.Fatal(err)
	}
	return arts
}

// newTestIngester opens an ingester on a fresh SQLite store in the test's
// directory (closed with the test).
func newTestIngester(t *testing.T) (*sqlite.Store, *Ingester) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	in, err := NewIngester(context.Background(), st, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	return st, in
}

// slowCommits is a real store whose commits take a while, so that
// analysis and the sequential stages run ahead of the writes.
type slowCommits struct {
	store.Store
	delay time.Duration
}

func (s *slowCommits) Commit(ctx context.Context, b *store.Batch) error {
	time.Sleep(s.delay)
	return s.Store.Commit(ctx, b)
}

// TestRepeatsWhileCommitsLag streams batches into a store that is slow to
// write: an article sent again four batches later, while the batch that
// first carried it may not be written yet, is still recognized as
// unchanged (or as an update when its text changed), never ingested
// twice.
func TestRepeatsWhileCommitsLag(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	slow := &slowCommits{Store: st, delay: 150 * time.Millisecond}
	in, err := NewIngester(ctx, slow, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	arts := corpus()
	var batches [][]article.Article
	for i, a := range arts {
		batches = append(batches, []article.Article{a})
		if i == 0 {
			for j := range 3 {
				filler := a
				filler.ID = fmt.Sprintf("filler-%d", j)
				filler.Text = strings.Replace(a.Text, "Sunday", []string{"Monday", "Tuesday", "Friday"}[j], 1)
				batches = append(batches, []article.Article{filler})
			}
		}
	}
	again := arts[0]
	changed := arts[2]
	changed.Text += "\nA third worker was found alive on Wednesday."
	batches = append(batches, []article.Article{again, changed})
	if err := in.Stream(ctx, batches, nil); err != nil {
		t.Fatal(err)
	}
	if err := in.Close(ctx); err != nil {
		t.Fatal(err)
	}
	want := Stats{Read: len(arts) + 3 + 2, New: len(arts) + 3, Updated: 1, Unchanged: 1}
	if got := in.Stats; got.Read != want.Read || got.New != want.New || got.Updated != want.Updated || got.Unchanged != want.Unchanged {
		t.Errorf("stats = %+v, want read %d, new %d, updated %d, unchanged %d", got, want.Read, want.New, want.Updated, want.Unchanged)
	}
	if n, _, _, err := st.Counts(ctx); err != nil || n != len(arts)+3 {
		t.Errorf("stored articles = %d (%v), want %d", n, err, len(arts)+3)
	}
	if sa, err := st.Article(ctx, changed.ID); err != nil || sa.Text != changed.Text {
		t.Errorf("the updated article is stored with text %q (%v)", sa.Text, err)
	}
}

// TestEmptiedEventIsRemoved: an event whose only article is updated into
// another event is gone from the store, with its place in its storyline.
func TestEmptiedEventIsRemoved(t *testing.T) {
	ctx := context.Background()
	st, in := newTestIngester(t)
	arts := corpus()
	if err := in.Add(ctx, arts); err != nil {
		t.Fatal(err)
	}
	was, err := st.Article(ctx, "call2-a")
	if err != nil {
		t.Fatal(err)
	}
	if ev, err := st.Event(ctx, was.Event); err != nil || len(ev.Articles) != 1 {
		t.Fatalf("call2-a's event %s: %+v (%v), want it alone there", was.Event, ev.Articles, err)
	}
	call := arts[5]
	call.Title = "Cup final drawn"
	call.Text = "The national football cup final in Tarnholm ended in a draw on Saturday, and the replay was set for next week."
	if err := in.Add(ctx, []article.Article{call}); err != nil {
		t.Fatal(err)
	}
	if err := in.Close(ctx); err != nil {
		t.Fatal(err)
	}
	now, err := st.Article(ctx, "call2-a")
	if err != nil {
		t.Fatal(err)
	}
	if now.Event == was.Event {
		t.Fatalf("the changed article stayed in its event %s", now.Event)
	}
	if ev, err := st.Event(ctx, was.Event); err == nil {
		t.Errorf("the emptied event %s is still stored: %+v", was.Event, ev)
	}
	evs, err := st.Events(ctx, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		if ev.ID == was.Event || len(ev.Articles) == 0 {
			t.Errorf("events lists %s with articles %v", ev.ID, ev.Articles)
		}
	}
	stories, err := st.Stories(ctx, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stories {
		if slices.Contains(s.Events, was.Event) {
			t.Errorf("storyline %s still lists the emptied event %s", s.ID, was.Event)
		}
	}
}
