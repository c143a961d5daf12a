package text_test

import (
	"testing"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/internal/gen"
	"github.com/storyline/storyline/text"
)

// benchArticles generates n articles from the shared corpora
// (gen.SharedArticles); the benchmark is skipped when they are missing.
func benchArticles(b *testing.B, n int) []article.Article {
	arts, err := gen.SharedArticles(n, 1)
	if err != nil {
		b.Skip(err)
	}
	return arts
}

// BenchmarkAnalyze analyzes generated articles with one warm Analyzer, as
// a pipeline worker does; ns/op is per article.
func BenchmarkAnalyze(b *testing.B) {
	arts := benchArticles(b, 2000)
	a := text.NewAnalyzer()
	for _, x := range arts {
		a.Analyze(x.Title, x.Text, nil)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		x := arts[i%len(arts)]
		a.Analyze(x.Title, x.Text, nil)
	}
}

// BenchmarkTokensTerm tokenizes and stems generated articles the way
// summary.Summarize does; ns/op is per article.
func BenchmarkTokensTerm(b *testing.B) {
	arts := benchArticles(b, 2000)
	st := text.NewStemmer()
	n := 0
	run := func(s string) {
		text.Tokens(s, func(t text.Token) {
			if _, stop := st.Term(s[t.Start:t.End]); !stop {
				n++
			}
		})
	}
	for _, x := range arts {
		run(x.Text)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		run(arts[i%len(arts)].Text)
	}
}

// BenchmarkAnalyzeBatches takes a new Analyzer every 1000 articles, as the
// pipeline's workers do per batch; ns/op is per article.
func BenchmarkAnalyzeBatches(b *testing.B) {
	arts := benchArticles(b, 5000)
	var a *text.Analyzer
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%1000 == 0 {
			a = text.NewAnalyzer()
		}
		x := arts[i%len(arts)]
		a.Analyze(x.Title, x.Text, nil)
	}
}
