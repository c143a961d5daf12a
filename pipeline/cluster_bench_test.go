package pipeline

import (
	"context"
	"testing"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/cluster"
)

// BenchmarkClusterAll clusters 2,000 generated articles without a store,
// as `storyline cluster` does.
func BenchmarkClusterAll(b *testing.B) {
	arts := benchArticles(b, 2000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cp := append([]article.Article(nil), arts...)
		if _, err := ClusterAll(context.Background(), cp, cluster.DefaultOptions()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(arts)*b.N)/b.Elapsed().Seconds(), "articles/s")
}
