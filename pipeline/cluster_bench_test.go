package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/cluster"
	"github.com/storyline/storyline/internal/gen"
)

// BenchmarkClusterAll clusters 2,000 generated articles without a store,
// as `storyline cluster` does.
func BenchmarkClusterAll(b *testing.B) {
	dir := os.Getenv("SHARED")
	if dir == "" {
		dir = "../../shared"
	}
	pools, err := gen.LoadJSONL(filepath.Join(dir, "data"))
	if err != nil {
		b.Skip("no corpus:", err)
	}
	arts := gen.Articles(pools, 2000, 1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cp := append([]article.Article(nil), arts...)
		if _, err := ClusterAll(context.Background(), cp, cluster.DefaultOptions()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(arts)*b.N)/b.Elapsed().Seconds(), "articles/s")
}
