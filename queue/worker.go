package queue

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
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
	cur   *cursorStore
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
	w.cur = &cursorStore{Store: st, key: "queue.cursor/" + cons.c.cfg.Stream + "/" + cons.c.cfg.Consumer}
	w.newEngine = func(ctx context.Context) (*pipeline.Ingester, error) {
		return pipeline.NewIngester(ctx, w.cur, opt.Ingest)
	}
	return w
}

// cursorStore adds the stream position of the batch being ingested to
// every batch the pipeline commits, in the same transaction: the store
// then knows exactly which messages it holds, so a redelivered message
// (a lost ack, a dead leader) is recognized by its stream sequence and
// never counted into a new batch.
type cursorStore struct {
	store.Store
	key string
	mu  sync.Mutex
	seq uint64 // last stream sequence of the batch being ingested
	n   int    // commits since the batch began
}

// Commit implements store.Store.
func (c *cursorStore) Commit(ctx context.Context, b *store.Batch) error {
	c.mu.Lock()
	seq := c.seq
	c.n++
	c.mu.Unlock()
	if b.Meta == nil {
		b.Meta = map[string][]byte{}
	}
	b.Meta[c.key] = []byte(strconv.FormatUint(seq, 10))
	return c.Store.Commit(ctx, b)
}

// Encode implements store.Encoder when the store under it does (the
// position is added to the batch by Commit, after).
func (c *cursorStore) Encode(b *store.Batch) {
	if e, ok := c.Store.(store.Encoder); ok {
		e.Encode(b)
	}
}

// begin sets the position committed with the next batches.
func (c *cursorStore) begin(seq uint64) {
	c.mu.Lock()
	c.seq, c.n = seq, 0
	c.mu.Unlock()
}

// commits returns the commits since begin.
func (c *cursorStore) commits() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// load reads the stored position (0 when none).
func (c *cursorStore) load(ctx context.Context) (uint64, error) {
	v, err := c.Store.Meta(ctx, c.key)
	if err != nil || v == nil {
		return 0, err
	}
	return strconv.ParseUint(string(v), 10, 64)
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

// step is what the fetching stage hands the applying stage: a batch
// cut from the stream and analyzed, or (batch nil) the news that the
// stream is quiet and nothing is held.
type step struct {
	batch []Msg
	prep  *pipeline.Prepared
	err   error
}

// lead runs the leader's two stages: one goroutine fetches, cuts batches
// and analyzes them (Ingester.Prepare, in parallel); the caller's
// goroutine applies each batch (the sequential stages), waits for its
// commit and only then acknowledges it. Analysis of batch k+1 thus
// overlaps the clustering and commit of batch k, as in `storyline ingest`.
func (w *Worker) lead(ctx context.Context) error {
	eng, err := w.newEngine(ctx)
	if err != nil {
		return fmt.Errorf("worker: start engine: %w", err)
	}
	done, err := w.cur.load(ctx)
	if err != nil {
		return fmt.Errorf("worker: stream position: %w", err)
	}
	var doneSeq atomic.Uint64 // last stream sequence committed
	doneSeq.Store(done)
	h := &held{msgs: map[uint64]Msg{}}
	var mu sync.Mutex
	var inFlight [][]Msg // cut, not yet acknowledged
	setFlight := func(f func([][]Msg) [][]Msg) {
		mu.Lock()
		inFlight = f(inFlight)
		mu.Unlock()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		t := time.NewTicker(w.cons.c.cfg.AckWait / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				h.keepAlive(nil)
				mu.Lock()
				fl := append([][]Msg(nil), inFlight...)
				mu.Unlock()
				for _, b := range fl {
					h.keepAlive(b)
				}
			}
		}
	}()
	// Unbuffered: batch k+1 is analyzed only once batch k-1 is committed
	// (the ingester checks a prepared batch against every applied batch
	// whose commit it has not seen, so this bounds memory, not correctness).
	steps := make(chan step)
	var redelivered, skipped atomic.Int64
	defer func() {
		w.Stats.Redelivered += int(redelivered.Load())
		w.Stats.Read += int(skipped.Load())
		w.Stats.Unchanged += int(skipped.Load())
	}()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(steps)
		w.fetchStage(ctx, eng, h, &doneSeq, setFlight, steps, &redelivered, &skipped)
	}()
	defer wg.Wait()
	defer cancel()

	dirty := false // articles added since the engine last settled everything
	for st := range steps {
		if st.err != nil {
			return st.err
		}
		if st.batch == nil {
			// Quiet, nothing held or in flight: settle, maybe exit.
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
			continue
		}
		batch := st.batch
		slog.Debug("worker: batch", "first", batch[0].Seq, "last", batch[len(batch)-1].Seq, "n", len(batch))
		before := eng.Stats
		last := batch[len(batch)-1].Seq
		w.cur.begin(last)
		if err := eng.Apply(ctx, st.prep); err != nil {
			return fmt.Errorf("worker: ingest batch: %w", err)
		}
		// Add of nothing waits for the batch's commit (in the background
		// since Apply) without analysing anything.
		if err := eng.Add(ctx, nil); err != nil {
			return fmt.Errorf("worker: commit batch: %w", err)
		}
		if w.cur.commits() == 0 {
			// Nothing new in the batch: still record the position.
			if err := w.cur.Commit(ctx, &store.Batch{}); err != nil {
				return fmt.Errorf("worker: stream position: %w", err)
			}
		}
		doneSeq.Store(last)
		w.Stats.Stats.Read += eng.Stats.Read - before.Read
		w.Stats.Stats.New += eng.Stats.New - before.New
		w.Stats.Stats.Updated += eng.Stats.Updated - before.Updated
		w.Stats.Stats.Unchanged += eng.Stats.Unchanged - before.Unchanged
		w.Stats.Stats.NotEnglish += eng.Stats.NotEnglish - before.NotEnglish
		if eng.Stats.New != before.New || eng.Stats.Updated != before.Updated {
			dirty = true
		}
		w.Stats.Batches++
		// Committed: acknowledge. An ack lost here only means a harmless
		// redelivery (skipped by the stream position).
		if failed, err := w.cons.AckAll(ctx, batch); failed > 0 || err != nil {
			slog.Warn("worker: acks failed; those articles will be redelivered and skipped", "failed", failed, "batch", len(batch), "err", err)
		}
		setFlight(func(f [][]Msg) [][]Msg { return f[1:] })
	}
	return ctx.Err()
}

// fetchStage pulls messages, cuts batches and analyzes them for lead.
func (w *Worker) fetchStage(ctx context.Context, eng *pipeline.Ingester, h *held, doneSeq *atomic.Uint64,
	setFlight func(func([][]Msg) [][]Msg), steps chan<- step, redelivered, skipped *atomic.Int64) {
	send := func(s step) bool {
		select {
		case steps <- s:
			return true
		case <-ctx.Done():
			return false
		}
	}
	for ctx.Err() == nil {
		ms, err := w.cons.Fetch(ctx, w.opt.Batch-h.len(), w.opt.Idle)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			// The server is away (restarting): keep what is held, retry.
			slog.Warn("worker: fetch failed, retrying", "err", err)
			select {
			case <-ctx.Done():
				return
			case <-time.After(250 * time.Millisecond):
			}
			continue
		}
		fresh := ms[:0]
		for _, m := range ms {
			if m.Delivered > 1 {
				redelivered.Add(1)
			}
			if m.Seq <= doneSeq.Load() {
				// Already committed; only its ack was lost.
				skipped.Add(1)
				if err := m.Ack(ctx); err != nil {
					slog.Debug("worker: ack failed", "seq", m.Seq, "err", err)
				}
				continue
			}
			fresh = append(fresh, m)
		}
		h.put(fresh)
		full := h.len() >= w.opt.Batch
		if !full && len(ms) == 0 {
			// Quiet. Commit a partial batch only if the stream has nothing
			// else for us: messages still out (a dead leader's, awaiting
			// redelivery, or our own batch being committed) or not yet
			// delivered belong before the batch is cut, or it would not be
			// the batch `ingest` makes.
			p, u, err := w.cons.Backlog(ctx)
			if err != nil || p > 0 || u > uint64(h.len()) {
				continue
			}
			if h.len() == 0 {
				if !send(step{}) {
					return
				}
				continue
			}
		} else if !full {
			continue
		}
		batch := h.take()
		setFlight(func(f [][]Msg) [][]Msg { return append(f, batch) })
		arts := make([]article.Article, len(batch))
		for i := range batch {
			arts[i] = batch[i].Article
		}
		pipeline.SortForStream(arts)
		prep, err := eng.Prepare(ctx, arts)
		if err != nil {
			send(step{err: fmt.Errorf("worker: analyze batch: %w", err)})
			return
		}
		if !send(step{batch: batch, prep: prep}) {
			return
		}
	}
}
