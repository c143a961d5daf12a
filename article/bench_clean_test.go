package article_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/internal/gen"
)

// BenchmarkCleanIdentify runs the pipeline's first step (Clean, then
// Identify) on generated articles from the shared corpora (SHARED, default
// /work/shared); ns/op is per article.
func BenchmarkCleanIdentify(b *testing.B) {
	dir := os.Getenv("SHARED")
	if dir == "" {
		dir = "/work/shared"
	}
	pools, err := gen.LoadJSONL(filepath.Join(dir, "data"))
	if err != nil {
		b.Skip("no corpus (set SHARED):", err)
	}
	arts := gen.Articles(pools, 2000, 1)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a := arts[i%len(arts)]
		a.Text = article.Clean(a.Text)
		article.Identify(&a)
	}
}
