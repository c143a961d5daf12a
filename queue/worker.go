package queue

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/pipeline"
	"github.com/storyline/storyline/store"
)

// Leaser is a store that elects a single writer (store/postgres: a
// session advisory lock). A store without it (SQLite) has one writer by
// construction: run one worker per file.
type Leaser interface {
	// TryLead takes the leadership named name if nobody holds it.
	TryLead(ctx context.Context, name string) (bool, error)
}

// WorkerOptions configure a Worker.
type WorkerOptions struct {
	// Batch is the number of articles committed per transaction; the same
	// as `storyline ingest` (1000) so the same stream gives the same
	// events.
	Batch int
	// Idle is how long the stream must stay quiet before a partial batch
	// is committed and the engine settles every storyline (default 1s).
	Idle time.Duration
	// ExitWhenIdle makes Run return once the stream is idle and every
	// message is acknowledged.
	ExitWhenIdle bool
	// Lead names the leadership (the advisory lock); workers sharing a
	// store and a stream must use the same name (default: the consumer).
	Lead string
	// LeadPoll is how often a standby worker retries the leadership
	// (default 500ms).
	LeadPoll time.Duration
	// Ingest configures the leader's pipeline (analysis workers, etc.).
	Ingest pipeline.Options
}

// WorkerStats counts what a worker did.
type WorkerStats struct {
	pipeline.Stats
	Batches     int  `json:"batches"`
	Redelivered int  `json:"redelivered"` // messages delivered more than once
	Led         bool `json:"led"`         // this worker was the leader
}

// Worker consumes the article stream into a store. Any number may run:
// the one holding the store's leadership runs the ingest pipeline (its
// analysis in parallel over Ingest.Workers goroutines, the clustering
// sequential); the others wait as hot standbys and take over when the
// leader dies, its unacknowledged articles being redelivered to them.
type Worker struct {
	cons  *Consumer
	st    store.Store
	opt   WorkerOptions
	Stats WorkerStats
	// newEngine builds the leader's engine once leadership is won, so it is
	// restored from the store as the previous leader left it.
	newEngine func(ctx context.Context) (*pipeline.Ingester, error)
}

// NewWorker returns a worker consuming cons into st.
func NewWorker(cons *Consumer, st store.Store, opt WorkerOptions) *Worker {
	if opt.Batch <= 0 {
		opt.Batch = 1000
	}
	if opt.Idle <= 0 {
		opt.Idle = time.Second
	}
	if opt.LeadPoll <= 0 {
		opt.LeadPoll = 500 * time.Millisecond
	}
	if opt.Lead == "" {
		opt.Lead = "storyline/" + cons.c.cfg.Stream + "/" + cons.c.cfg.Consumer
	}
	w := &Worker{cons: cons, st: st, opt: opt}
	w.newEngine = func(ctx context.Context) (*pipeline.Ingester, error) {
		return pipeline.NewIngester(ctx, st, opt.Ingest)
	}
	return w
}

// Run works until ctx ends, an error occurs, or (with ExitWhenIdle) the
// stream is drained.
func (w *Worker) Run(ctx context.Context) error {
	if err := w.awaitLead(ctx); err != nil {
		return err
	}
	if w.Stats.Led {
		return w.lead(ctx)
	}
	return nil
}

// awaitLead blocks until this worker leads (Stats.Led), or returns with
// Led false when ExitWhenIdle is set and the stream is drained.
func (w *Worker) awaitLead(ctx context.Context) error {
	l, ok := w.st.(Leaser)
	if !ok {
		w.Stats.Led = true
		return nil
	}
	logged := false
	for {
		ok, err := l.TryLead(ctx, w.opt.Lead)
		if err != nil {
			return err
		}
		if ok {
			slog.Info("worker leads", "lock", w.opt.Lead)
			w.Stats.Led = true
			return nil
		}
		if !logged {
			slog.Info("worker on standby: another worker leads", "lock", w.opt.Lead)
			logged = true
		}
		if w.opt.ExitWhenIdle {
			p, u, err := w.cons.Backlog(ctx)
			if err == nil && p == 0 && u == 0 {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(w.opt.LeadPoll):
		}
	}
}

// held is the partial batch: delivered, not yet committed nor acked,
// keyed by stream sequence (a redelivery replaces the earlier copy).
type held struct {
	mu   sync.Mutex
	msgs map[uint64]Msg
}

func (h *held) put(ms []Msg) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, m := range ms {
		h.msgs[m.Seq] = m
	}
}

func (h *held) len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.msgs)
}

// take returns the held messages in stream order and empties the set.
func (h *held) take() []Msg {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]Msg, 0, len(h.msgs))
	for _, m := range h.msgs {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b Msg) int {
		switch {
		case a.Seq < b.Seq:
			return -1
		case a.Seq > b.Seq:
			return 1
		}
		return 0
	})
	h.msgs = map[uint64]Msg{}
	return out
}

// keepAlive tells the server the held messages are being worked on, so
// they are not redelivered while a batch fills or commits.
func (h *held) keepAlive(ms []Msg) {
	if ms == nil {
		h.mu.Lock()
		for _, m := range h.msgs {
			ms = append(ms, m)
		}
		h.mu.Unlock()
	}
	for i := range ms {
		ms[i].InProgress()
	}
}

func (w *Worker) lead(ctx context.Context) error {
	eng, err := w.newEngine(ctx)
	if err != nil {
		return fmt.Errorf("worker: start engine: %w", err)
	}
	h := &held{msgs: map[uint64]Msg{}}
	var inFlight []Msg // the batch being committed
	var mu sync.Mutex
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		t := time.NewTicker(w.cons.c.cfg.AckWait / 3)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				h.keepAlive(nil)
				mu.Lock()
				f := inFlight
				mu.Unlock()
				h.keepAlive(f)
			}
		}
	}()
	dirty := false // articles added since the engine last settled everything
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		ms, err := w.cons.Fetch(ctx, w.opt.Batch-h.len(), w.opt.Idle)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			// The server is away (restarting): keep what is held, retry.
			slog.Warn("worker: fetch failed, retrying", "err", err)
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(250 * time.Millisecond):
			}
			continue
		}
		for _, m := range ms {
			if m.Delivered > 1 {
				w.Stats.Redelivered++
			}
		}
		h.put(ms)
		full := h.len() >= w.opt.Batch
		if !full && (len(ms) > 0 || h.len() == 0) {
			if len(ms) == 0 && h.len() == 0 {
				// Idle with nothing held: settle, maybe exit.
				if dirty {
					if err := eng.Close(ctx); err != nil {
						return fmt.Errorf("worker: settle: %w", err)
					}
					dirty = false
				}
				if w.opt.ExitWhenIdle {
					p, u, err := w.cons.Backlog(ctx)
					if err != nil {
						slog.Warn("worker: backlog", "err", err)
					} else if p == 0 && u == 0 {
						return nil
					}
				}
			}
			continue
		}
		// A full batch, or a partial one after an idle wait.
		batch := h.take()
		mu.Lock()
		inFlight = batch
		mu.Unlock()
		arts := make([]article.Article, len(batch))
		for i := range batch {
			arts[i] = batch[i].Article
		}
		pipeline.SortForStream(arts)
		before := eng.Stats
		if err := eng.Add(ctx, arts); err != nil {
			return fmt.Errorf("worker: ingest batch: %w", err)
		}
		w.Stats.Stats = eng.Stats
		if eng.Stats.New != before.New || eng.Stats.Updated != before.Updated {
			dirty = true
		}
		w.Stats.Batches++
		// Committed: acknowledge. An ack lost here only means a harmless
		// redelivery (the articles are then unchanged).
		for i := range batch {
			if err := batch[i].Ack(ctx); err != nil {
				slog.Warn("worker: ack failed; the article will be redelivered and skipped", "seq", batch[i].Seq, "err", err)
			}
		}
		mu.Lock()
		inFlight = nil
		mu.Unlock()
	}
}
