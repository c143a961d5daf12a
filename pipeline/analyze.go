// Package pipeline runs storyline's data flow for a stream of articles:
// read → analyze (in parallel) → dedup → cluster (sequential) → store.
package pipeline

import (
	"context"
	"runtime"
	"sync"
	"time"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/cluster"
	"github.com/storyline/storyline/text"
)

// Analyzed is an article with everything the sequential stages need,
// computed in parallel.
type Analyzed struct {
	Article  article.Article
	Analysis text.Analysis
	// EventTime is the best estimate of when the reported happening took
	// place (zero when unknown).
	EventTime time.Time
}

// analyzer is one worker's state.
type analyzer struct {
	a *text.Analyzer
}

func newAnalyzer() *analyzer { return &analyzer{a: text.NewAnalyzer()} }

func (w *analyzer) analyze(a article.Article) Analyzed {
	out := Analyzed{Article: a}
	out.Analysis = w.a.Analyze(a.Title, a.Text, nil)
	out.EventTime = a.Published
	return out
}

// AnalyzeAll analyzes arts with workers goroutines (0: one per CPU) and
// returns the results in input order.
func AnalyzeAll(ctx context.Context, arts []article.Article, workers int) []Analyzed {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := make([]Analyzed, len(arts))
	var wg sync.WaitGroup
	next := make(chan int, 64)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newAnalyzer()
			for i := range next {
				out[i] = w.analyze(arts[i])
			}
		}()
	}
	for i := range arts {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// Doc converts an analyzed article for the clustering engine.
func (a *Analyzed) Doc() *cluster.Doc {
	return &cluster.Doc{ID: a.Article.ID, Time: a.EventTime, Terms: a.Analysis.Terms, Names: a.Analysis.Names}
}
