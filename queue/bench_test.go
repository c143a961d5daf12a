package queue

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/dedup"
	"github.com/storyline/storyline/pipeline"
)

// benchArticles reads STORYLINE_BENCH_JSONL (e.g. written by `storyline
// bench --emit`), or falls back to the test corpus.
func benchArticles(b *testing.B) []article.Article {
	path := os.Getenv("STORYLINE_BENCH_JSONL")
	if path == "" {
		return corpus(2000)
	}
	var arts []article.Article
	err := article.ReadPaths(context.Background(), []string{path}, article.Sink{
		Article: func(a article.Article) error { arts = append(arts, a); return nil },
		Reject:  func(article.Rejection) {},
	})
	if err != nil {
		b.Fatal(err)
	}
	pipeline.SortForStream(arts)
	return arts
}

// BenchmarkAnalyze measures the stage that runs in parallel (cleaning,
// language, tokens, stems, signatures, entities, dates) with 1 and 2
// analysis workers.
func BenchmarkAnalyze(b *testing.B) {
	arts := benchArticles(b)
	ctx := context.Background()
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			for b.Loop() {
				pipeline.AnalyzeAll(ctx, arts, w, dedup.NewIndex(dedup.DefaultOptions()))
			}
			b.ReportMetric(float64(len(arts))*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
		})
	}
}
