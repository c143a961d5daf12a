package pipeline

import (
	"testing"

	"github.com/storyline/storyline/dedup"
)

// BenchmarkAnalyzeArticle runs the per-article analysis stage (cleaning,
// language, terms, near-duplicate preparation, entities, event date) on
// generated articles, one per op, in one goroutine.
func BenchmarkAnalyzeArticle(b *testing.B) {
	arts := benchArticles(b, 2000)
	w := newAnalyzer(dedup.NewIndex(dedup.DefaultOptions()))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		w.analyze(arts[i%len(arts)])
		i++
	}
}
