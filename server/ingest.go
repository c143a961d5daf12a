package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/pipeline"
	"github.com/storyline/storyline/store"
)

// errClosed is returned for ingest requests after shutdown began.
var errClosed = errors.New("server is shutting down")

// ingestJob is one request's articles waiting for the ingester.
type ingestJob struct {
	arts []article.Article
	done chan ingestOutcome
}

// ingestOutcome is what the worker answers a job: a status per article id.
type ingestOutcome struct {
	status map[string]string
	err    error
}

// IngestEvent describes one committed ingest batch; it is broadcast to
// the live-update subscribers.
type IngestEvent struct {
	New       int `json:"new"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	// Articles is the number of articles stored after the batch.
	Articles int `json:"articles"`
}

// ingestWorker owns the pipeline.Ingester (the engine is sequential): one
// goroutine takes jobs in arrival order and commits the jobs waiting at
// the same moment together in one Ingester.Add (one transaction), so
// concurrent clients share the per-batch cost.
type ingestWorker struct {
	in       *pipeline.Ingester
	st       store.Store
	m        *metrics
	log      *slog.Logger
	onCommit func(IngestEvent)
	maxMerge int

	mu     sync.RWMutex // guards closed against sends on jobs
	closed bool
	jobs   chan *ingestJob
	done   chan struct{}
}

func newIngestWorker(in *pipeline.Ingester, st store.Store, m *metrics, log *slog.Logger, onCommit func(IngestEvent)) *ingestWorker {
	w := &ingestWorker{in: in, st: st, m: m, log: log, onCommit: onCommit, maxMerge: 2000,
		jobs: make(chan *ingestJob, 64), done: make(chan struct{})}
	go w.run()
	return w
}

// submit queues articles and waits for their outcome, or for ctx (the
// wait is abandoned, the work is not: a job taken by the worker is
// committed or failed as a whole).
func (w *ingestWorker) submit(ctx context.Context, arts []article.Article) (map[string]string, error) {
	j := &ingestJob{arts: arts, done: make(chan ingestOutcome, 1)}
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return nil, errClosed
	}
	select {
	case w.jobs <- j:
	case <-ctx.Done():
		w.mu.RUnlock()
		return nil, ctx.Err()
	}
	w.mu.RUnlock()
	select {
	case o := <-j.done:
		return o.status, o.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// close stops taking jobs, lets the worker finish the queued ones, then
// settles the engine and writes its final snapshot (Ingester.Close).
func (w *ingestWorker) close(ctx context.Context) error {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.jobs)
	}
	w.mu.Unlock()
	select {
	case <-w.done:
	case <-ctx.Done():
		return ctx.Err()
	}
	if err := w.in.Close(ctx); err != nil {
		return fmt.Errorf("close ingester: %w", err)
	}
	return nil
}

func (w *ingestWorker) run() {
	defer close(w.done)
	for j := range w.jobs {
		batch := []*ingestJob{j}
		n := len(j.arts)
	more:
		for n < w.maxMerge {
			select {
			case j2, ok := <-w.jobs:
				if !ok {
					break more
				}
				batch = append(batch, j2)
				n += len(j2.arts)
			default:
				break more
			}
		}
		o := w.commit(batch, n)
		for _, j := range batch {
			j.done <- o
		}
	}
}

// commit ingests the articles of several jobs as one Ingester.Add. The
// context is not any client's: a batch taken is finished even if its
// client went away, so the engine never runs ahead of the store.
func (w *ingestWorker) commit(batch []*ingestJob, n int) (o ingestOutcome) {
	t0 := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			w.log.Error("ingest panic", "panic", p)
			o = ingestOutcome{err: fmt.Errorf("internal error")}
		}
	}()
	arts := make([]article.Article, 0, n)
	for _, j := range batch {
		arts = append(arts, j.arts...)
	}
	ids := make([]string, 0, len(arts))
	for _, a := range arts {
		ids = append(ids, a.ID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	before, err := w.st.Hashes(ctx, ids)
	if err != nil {
		return ingestOutcome{err: fmt.Errorf("ingest: %w", err)}
	}
	pipeline.SortForStream(arts)
	if err := w.in.Add(ctx, arts); err != nil {
		w.m.add("storyline_ingest_failures_total", "Ingest batches that failed to commit.", 1)
		return ingestOutcome{err: fmt.Errorf("ingest: %w", err)}
	}
	after, err := w.st.Hashes(ctx, ids)
	if err != nil {
		return ingestOutcome{err: fmt.Errorf("ingest: %w", err)}
	}
	ev := IngestEvent{}
	status := make(map[string]string, len(ids))
	for _, id := range ids {
		old, had := before[id]
		now, has := after[id]
		switch {
		case !has:
			status[id] = StatusRejected
		case !had:
			status[id] = StatusNew
			ev.New++
		case old != now:
			status[id] = StatusUpdated
			ev.Updated++
		default:
			status[id] = StatusUnchanged
			ev.Unchanged++
		}
	}
	const help = "Articles ingested over HTTP, by outcome."
	w.m.add("storyline_ingest_articles_total", help, float64(ev.New), "status", StatusNew)
	w.m.add("storyline_ingest_articles_total", help, float64(ev.Updated), "status", StatusUpdated)
	w.m.add("storyline_ingest_articles_total", help, float64(ev.Unchanged), "status", StatusUnchanged)
	w.m.since("storyline_ingest_batch_seconds", "Time to analyze, cluster and commit one ingest batch.", t0)
	w.m.add("storyline_ingest_batches_total", "Committed ingest batches (concurrent requests are merged into one).", 1)
	w.m.add("storyline_ingest_requests_merged_total", "Ingest requests committed (several may share a batch).", float64(len(batch)))
	if a, _, _, err := w.st.Counts(ctx); err == nil {
		ev.Articles = a
	}
	if w.onCommit != nil && ev.New+ev.Updated > 0 {
		w.onCommit(ev)
	}
	return ingestOutcome{status: status}
}
