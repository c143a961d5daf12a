// Package pipeline runs storyline's data flow for a stream of articles:
// read → analyze (in parallel) → dedup → cluster (sequential) → store.
package pipeline

import (
	"context"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/cluster"
	"github.com/storyline/storyline/dedup"
	"github.com/storyline/storyline/entity"
	"github.com/storyline/storyline/text"
	"github.com/storyline/storyline/timex"
)

// Analyzed is an article with everything the sequential stages need,
// computed in parallel.
type Analyzed struct {
	Article  article.Article
	Analysis text.Analysis
	// EventTime is the best estimate of when the reported happening took
	// place (zero when unknown).
	EventTime time.Time
	// Mentions are the named entities of title and text (offsets into
	// Title + "\n" + Text).
	Mentions []entity.Mention
	// Entities counts the canonical entity ids of the mentions (set by the
	// sequential stage, which owns the resolver).
	Entities map[string]int
	// Dedup is the article prepared for the near-duplicate index.
	Dedup *dedup.Prepared
	// Foreign is true for an article not in English: it is stored and
	// listed but not analyzed, deduplicated or clustered with others.
	Foreign bool
}

// analyzer is one worker's state.
type analyzer struct {
	a   *text.Analyzer
	ner *entity.Tagger // nil: no entity recognition
	dx  *dedup.Index   // nil: no near-duplicate preparation
}

func newAnalyzer(dx *dedup.Index) *analyzer {
	w := &analyzer{a: text.NewAnalyzer(), dx: dx}
	if t, err := entity.Default(); err == nil {
		w.ner = t
	} else {
		slog.Warn("entity recognition off", "err", err)
	}
	return w
}

// analyzers keeps workers' analyzers from one batch to the next: their
// stem caches stay warm (a batch's words are mostly the last batch's).
var analyzers sync.Pool

// getAnalyzer returns a pooled analyzer set to prepare for dx.
func getAnalyzer(dx *dedup.Index) *analyzer {
	if w, ok := analyzers.Get().(*analyzer); ok {
		w.dx = dx
		return w
	}
	return newAnalyzer(dx)
}

func putAnalyzer(w *analyzer) {
	w.dx = nil
	analyzers.Put(w)
}

func (w *analyzer) analyze(a article.Article) Analyzed {
	a.Text = article.Clean(a.Text)
	article.Identify(&a)
	if !article.IsEnglish(&a) {
		// Stored and listed, but kept out of the English-only stages.
		return Analyzed{Article: a, EventTime: a.Published, Foreign: true}
	}
	if a.Published.IsZero() {
		if t, ok := timex.InferDCT(a.Title, a.Text); ok {
			a.Published, a.DateInferred = t, true
		}
	}
	out := Analyzed{Article: a}
	out.Analysis = w.a.Analyze(a.Title, a.Text, nil)
	if w.dx != nil {
		out.Dedup = w.dx.Prepare(a.Text)
	}
	if w.ner != nil {
		out.Mentions = w.ner.Tag(a.Title + "\n" + a.Text)
	}
	out.EventTime = a.Published
	if !a.Published.IsZero() {
		if day, _, ok := timex.EventDate(a.Title, a.Text, a.Published); ok {
			out.EventTime = day
		}
	}
	return out
}

// AnalyzeAll analyzes arts with workers goroutines (0: one per CPU) and
// returns the results in input order (AnalyzeStream, collected). With a
// dedup index, each article is also prepared for it. When ctx is
// cancelled the results not reached are zero.
func AnalyzeAll(ctx context.Context, arts []article.Article, workers int, dx *dedup.Index) []Analyzed {
	out := make([]Analyzed, 0, len(arts))
	AnalyzeStream(ctx, arts, workers, dx, func(a *Analyzed) { out = append(out, *a) })
	return out[:len(arts)]
}

// streamWindow bounds how far analysis may run ahead of the consumer
// in AnalyzeStream.
const streamWindow = 256

// AnalyzeStream analyzes arts with workers goroutines (0: one per CPU)
// and calls fn with each result in input order as soon as it and those
// before it are ready, so that a sequential consumer overlaps with the
// analysis; fn may keep the pointer (each result is its own value). At
// most streamWindow results wait at once. It returns early,
// with ctx's error, when ctx is cancelled.
func AnalyzeStream(ctx context.Context, arts []article.Article, workers int, dx *dedup.Index, fn func(*Analyzed)) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var (
		mu       sync.Mutex
		cond     = sync.NewCond(&mu)
		slots    = make([]Analyzed, streamWindow)
		ready    = make([]bool, streamWindow)
		finished bool
	)
	free := make(chan struct{}, streamWindow)
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range arts {
			select {
			case free <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := getAnalyzer(dx)
			defer putAnalyzer(w)
			for i := range next {
				r := w.analyze(arts[i])
				mu.Lock()
				slots[i%streamWindow], ready[i%streamWindow] = r, true
				cond.Broadcast()
				mu.Unlock()
			}
		}()
	}
	go func() {
		wg.Wait()
		mu.Lock()
		finished = true
		cond.Broadcast()
		mu.Unlock()
	}()
	for i := range arts {
		k := i % streamWindow
		mu.Lock()
		for !ready[k] && !finished {
			cond.Wait()
		}
		if !ready[k] {
			mu.Unlock()
			return ctx.Err()
		}
		r := slots[k]
		slots[k], ready[k] = Analyzed{}, false
		mu.Unlock()
		<-free
		fn(&r)
	}
	return ctx.Err()
}

// Doc converts an analyzed article for the clustering engine. An
// article whose publication date was only inferred from its text is placed
// in time for views, but its date does not veto clustering decisions.
func (a *Analyzed) Doc() *cluster.Doc {
	d := &cluster.Doc{ID: a.Article.ID, Time: a.Article.Published, Terms: a.Analysis.Terms, Names: a.Analysis.Names}
	if a.Article.DateInferred {
		d.Time = time.Time{}
	}
	return d
}
