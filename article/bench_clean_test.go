package article_test

import (
	"testing"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/internal/gen"
)

// BenchmarkCleanIdentify runs the pipeline's first step (Clean, then
// Identify) on generated articles from the shared corpora
// (gen.SharedArticles); ns/op is per article.
func BenchmarkCleanIdentify(b *testing.B) {
	arts, err := gen.SharedArticles(2000, 1)
	if err != nil {
		b.Skip(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a := arts[i%len(arts)]
		a.Text = article.Clean(a.Text)
		article.Identify(&a)
	}
}
