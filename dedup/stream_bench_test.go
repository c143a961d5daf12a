package dedup

import (
	"sync"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/gen"
)

// genStream is the generated article stream of the ingest benchmark
// (corpora under corpora.Data); nil when they are missing.
var genStream = sync.OnceValue(func() []genArticle {
	arts, err := gen.SharedArticles(10000, 1)
	if err != nil || len(arts) == 0 {
		return nil
	}
	out := make([]genArticle, len(arts))
	for i, a := range arts {
		out[i] = genArticle{a.ID, a.Published, a.Text}
	}
	return out
})

type genArticle struct {
	id   string
	pub  time.Time
	text string
}

// BenchmarkAddPreparedStream isolates the sequential step of the ingest
// pipeline: 10k generated articles (8–16 sentences, storylines reusing
// the sentences of their source documents, ~10% syndicated copies) are
// prepared untimed, then added with AddPrepared in stream order, evicting
// articles older than 45 days as the pipeline does.
func BenchmarkAddPreparedStream(b *testing.B) {
	arts := genStream()
	if arts == nil {
		b.Skip("no shared corpora (set SHARED)")
	}
	const window = 45 * 24 * time.Hour
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		ix := NewIndex(DefaultOptions())
		pps := make([]*Prepared, len(arts))
		for i, a := range arts {
			pps[i] = ix.Prepare(a.text)
		}
		type held struct {
			id  string
			pub time.Time
		}
		var indexed []held
		b.StartTimer()
		for i, a := range arts {
			ix.AddPrepared(a.id, a.pub, pps[i])
			indexed = append(indexed, held{a.id, a.pub})
			horizon := a.pub.Add(-window)
			n := 0
			for n < len(indexed) && indexed[n].pub.Before(horizon) {
				ix.Remove(indexed[n].id)
				n++
			}
			indexed = indexed[n:]
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(arts)), "ns/article")
}
