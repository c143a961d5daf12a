package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/store/sqlite"
)

// BenchmarkIngest ingests generated articles end to end into SQLite.
// It needs the shared corpora (see corpora.Data).
func BenchmarkIngest(b *testing.B) {
	n := 5000
	if v := os.Getenv("BENCH_N"); v != "" {
		fmt.Sscan(v, &n)
	}
	arts := benchArticles(b, n)
	SortForStream(arts) // as the bench command: a stream in publication order
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "b.db"))
		if err != nil {
			b.Fatal(err)
		}
		in, _ := NewIngester(ctx, st, DefaultOptions())
		var batches [][]article.Article
		for k := 0; k < len(arts); k += 1000 {
			batches = append(batches, arts[k:min(k+1000, len(arts))])
		}
		if err := in.Stream(ctx, batches, nil); err != nil {
			b.Fatal(err)
		}
		in.Close(ctx)
		st.Close()
	}
	b.ReportMetric(float64(len(arts)*b.N)/b.Elapsed().Seconds(), "articles/s")
}

// benchArticles generates n articles from the shared corpora; the
// benchmark fails when they are missing.
func benchArticles(b *testing.B, n int) []article.Article {
	return genArticles(b, n, 1)
}
