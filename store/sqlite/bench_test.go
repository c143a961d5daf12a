package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/internal/gen"
	"github.com/storyline/storyline/store"
)

// benchBatch is the batch size the pipeline commits.
const benchBatch = 1000

// benchCorpus generates n articles from the shared corpora
// (gen.SharedArticles); the benchmark is skipped when they are missing.
func benchCorpus(b *testing.B, n int) []article.Article {
	arts, err := gen.SharedArticles(n, 1)
	if err != nil {
		b.Skip(err)
	}
	return arts
}

// benchGen shapes generated articles into batches like those the
// ingest pipeline commits (proportions measured on a 10k-article ingest):
// per article ~14 mentions, ~5 reuse records of ~250 bytes of passages,
// ~2 entity upserts, 0.6 event rows, 0.1 duplicate pairs, a few moves and
// gone events. Events are read back with EventArticles before each commit,
// as the pipeline does to summarize them.
type benchGen struct {
	r       *rand.Rand
	zipf    *rand.Zipf
	seq     int64
	events  []string // recent event ids
	storyEv map[string]string
}

func newBenchGen() *benchGen {
	r := rand.New(rand.NewPCG(7, 11))
	return &benchGen{r: r, zipf: rand.NewZipf(r, 1.2, 4, 60000), storyEv: map[string]string{}}
}

func (g *benchGen) batch(arts []article.Article) (*store.Batch, []string) {
	r := g.r
	b := &store.Batch{Moves: map[string]string{}, Meta: map[string][]byte{"batches": []byte(strings.Repeat("x", 64))}}
	ents := map[string]bool{}
	var dirty []string
	for _, a := range arts {
		g.seq++
		// Events follow the generated storylines ("gen-<story>-<k>"), a
		// storyline splitting into a few events.
		story := a.ID[:strings.LastIndexByte(a.ID, '-')]
		key := fmt.Sprintf("%s/%d", story, r.IntN(3))
		ev, ok := g.storyEv[key]
		if !ok {
			ev = fmt.Sprintf("E%010x", r.Uint64()&0xffffffffff)
			g.storyEv[key] = ev
		}
		dirty = append(dirty, ev)
		b.Articles = append(b.Articles, store.Article{Article: a, Hash: r.Uint64() >> 1, Seq: g.seq,
			EventTime: a.Published, Event: ev, Novelty: r.Float64()})
		seen := map[string]bool{}
		for k := 0; k < 10+r.IntN(9); k++ {
			id := fmt.Sprintf("%s:entity-%d", [...]string{"per", "org", "loc", "misc"}[r.IntN(4)], g.zipf.Uint64())
			if seen[id] {
				continue
			}
			seen[id] = true
			ents[id] = true
			b.Mentions = append(b.Mentions, store.Mention{Article: a.ID, Entity: id, Count: 1 + r.IntN(3)})
		}
		for k := 0; k < r.IntN(11); k++ {
			b.Reuse = append(b.Reuse, store.Reuse{From: fmt.Sprintf("%s-%d", story, k), To: a.ID, SharedRatio: r.Float64(),
				Passages: []store.Passage{{Text: a.Text[:min(len(a.Text), 120)], FromOffset: 10, ToOffset: 20, Len: 120},
					{Text: a.Title, FromOffset: 0, ToOffset: 0, Len: len(a.Title)}}})
		}
		if r.IntN(10) == 0 {
			b.Duplicates = append(b.Duplicates, store.Duplicate{A: fmt.Sprintf("%s-0", story), B: a.ID, Similarity: 0.9})
		}
	}
	for id := range ents {
		if len(b.Entities) >= 2*len(arts) {
			break
		}
		day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(365)).Format("2006-01-02")
		b.Entities = append(b.Entities, store.Entity{ID: id, Name: strings.ToUpper(id[4:5]) + id[5:], Type: strings.ToUpper(id[:3]),
			Aliases: []string{id[4:]}, FirstSeen: "2024-01-01", LastSeen: day})
	}
	// Six in ten articles' events are summarized this batch; some older
	// ones are moved or gone.
	seenEv := map[string]bool{}
	var due []string
	for _, ev := range dirty {
		if !seenEv[ev] && len(due) < 6*len(arts)/10 {
			seenEv[ev] = true
			due = append(due, ev)
			b.Events = append(b.Events, store.Event{ID: ev, Story: "S" + ev[1:], Date: "2024-05-10", Headline: arts[0].Title,
				Summary: []store.Sentence{{Text: arts[0].Title, Article: arts[0].ID}, {Text: arts[1].Title, Article: arts[1].ID}},
				Sources: []string{"a", "b"}, Size: 3})
		}
	}
	if len(g.events) > 0 {
		for k := 0; k < len(arts)/6; k++ {
			b.Gone = append(b.Gone, g.events[r.IntN(len(g.events))])
		}
	}
	g.events = append(g.events[max(0, len(g.events)-5000):], due...)
	return b, due
}

// cpuTime is the process's user+system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCommit fills a fresh store with SQLITE_BENCH_N (default 10000)
// generated articles in pipeline-shaped batches of 1,000, each preceded by
// the EventArticles reads that summarize its events, and reports the CPU
// and wall time per article over the first and the last 10,000 articles
// and the CPU time per article over all of them.
//
//	SQLITE_BENCH_N=100000 go test -run XXX -bench Commit -benchtime 1x ./store/sqlite
func BenchmarkCommit(b *testing.B) {
	n := 10000
	if v := os.Getenv("SQLITE_BENCH_N"); v != "" {
		fmt.Sscan(v, &n)
	}
	arts := benchCorpus(b, n)
	g := newBenchGen()
	var batches []*store.Batch
	var due [][]string
	for k := 0; k < len(arts); k += benchBatch {
		bt, d := g.batch(arts[k:min(k+benchBatch, len(arts))])
		batches, due = append(batches, bt), append(due, d)
	}
	ctx := context.Background()
	window := 10000 / benchBatch
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, err := Open(ctx, filepath.Join(b.TempDir(), "b.db"))
		if err != nil {
			b.Fatal(err)
		}
		var cpuFirst, cpuLast, wallFirst, wallLast time.Duration
		cpuAll0 := cpuTime()
		for k, bt := range batches {
			c0, w0 := cpuTime(), time.Now()
			for _, ev := range due[k] {
				if _, err := st.EventArticles(ctx, ev, 24); err != nil {
					b.Fatal(err)
				}
			}
			if err := st.Commit(ctx, bt); err != nil {
				b.Fatal(err)
			}
			c, w := cpuTime()-c0, time.Since(w0)
			if k < window {
				cpuFirst, wallFirst = cpuFirst+c, wallFirst+w
			}
			if k >= len(batches)-window {
				cpuLast, wallLast = cpuLast+c, wallLast+w
			}
		}
		cpuAll := cpuTime() - cpuAll0
		st.Close()
		b.ReportMetric(float64(cpuAll.Microseconds())/float64(len(arts)), "cpu-us/art-all")
		per := float64(min(len(batches), window) * benchBatch)
		b.ReportMetric(float64(cpuFirst.Microseconds())/per, "cpu-us/art-first10k")
		b.ReportMetric(float64(wallFirst.Microseconds())/per, "wall-us/art-first10k")
		b.ReportMetric(float64(cpuLast.Microseconds())/per, "cpu-us/art-last10k")
		b.ReportMetric(float64(wallLast.Microseconds())/per, "wall-us/art-last10k")
	}
}
