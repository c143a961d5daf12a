package pipeline

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/cluster"
	"github.com/storyline/storyline/dedup"
	"github.com/storyline/storyline/entity"
	"github.com/storyline/storyline/store"
	"github.com/storyline/storyline/summary"
	"github.com/storyline/storyline/text"
	"github.com/zeebo/xxh3"
)

// Stats counts what an ingest did.
type Stats struct {
	Read      int `json:"read"`
	New       int `json:"new"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Rejected  int `json:"rejected"`
	// NotEnglish counts articles stored without the English-only stages.
	NotEnglish int `json:"not_english"`
}

// Options configure an Ingester.
type Options struct {
	Cluster cluster.Options
	// Workers analyze articles in parallel (0: one per CPU).
	Workers int
	// SummarySentences is the summary length per event.
	SummarySentences int
}

// DefaultOptions returns the ingest defaults.
func DefaultOptions() Options {
	return Options{Cluster: cluster.DefaultOptions(), SummarySentences: 3}
}

// Ingester feeds batches of articles through analysis and the engine into
// a store. Each batch is committed in one transaction, so a crash leaves
// the store at a batch boundary and a re-run picks up what is missing.
type Ingester struct {
	st        store.Store
	dx        *dedup.Index
	indexed   []indexedArticle // FIFO of articles in dx, for eviction
	res       *entity.Resolver
	dirtyEnts map[string]bool
	// applied holds the ids and hashes of the applied batches a batch
	// being prepared may not have seen in the store: their commits had
	// not returned when it read the stored hashes. Each is numbered by
	// its commit (1 for the first), as launched counts them; committed
	// counts the commits that have returned.
	applied   []appliedBatch
	launched  int64
	committed atomic.Int64
	// slots bounds the commits in flight (see maxPendingCommits).
	slots chan struct{}
	// eventOf maps the articles in the dedup index to their events, so
	// the sequential stage never reads back what is still being written.
	eventOf map[string]string
	// last is the last batch handed to the background, where batches are
	// summarized and written in order (see finish).
	last *background
	// summarized holds each event's size at its last summary; waiting,
	// the events whose summary is due at Close (see summaryDue).
	summarized map[string]int
	waiting    map[string]bool
	// broken is set once a commit failed: the engine then holds articles
	// the store does not, and the Ingester refuses more work (open a new
	// one, which rebuilds its state from the store).
	broken atomic.Pointer[error]
	opt    Options
	eng    *cluster.Engine
	seq    int64
	// bounds are the batch boundaries committed so far (see metaBatches).
	bounds []int64
	// known is what the store holds for recently summarized events (see
	// knownEvents); only the commit chain touches it.
	// left holds events that updated articles of this batch left.
	left  map[string]bool
	known knownEvents
	// checkKnown, when set (tests), is given every known entry used.
	checkKnown func(event string, known knownList)
	Stats      Stats
}

// NewIngester opens an ingester on st, rebuilding the state of the engine,
// the dedup index and the entity resolver by replaying what st holds
// through the same stages, batch by batch: the result is exactly the state
// after the last commit, so an interrupted ingest continues as if it had
// never stopped. (The replay costs time in proportion to the store; an
// engine snapshot would bound it.)
func NewIngester(ctx context.Context, st store.Store, opt Options) (*Ingester, error) {
	in := newIngester(st, opt)
	if err := in.restore(ctx); err != nil {
		return nil, fmt.Errorf("restore engine: %w", err)
	}
	return in, nil
}

func newIngester(st store.Store, opt Options) *Ingester {
	return &Ingester{st: st, opt: opt, eng: cluster.New(opt.Cluster),
		dx:  dedup.NewIndex(dedup.DefaultOptions()),
		res: entity.NewResolver(), dirtyEnts: map[string]bool{}, eventOf: map[string]string{},
		summarized: map[string]int{}, waiting: map[string]bool{}, known: newKnownEvents(), left: map[string]bool{},
		slots: make(chan struct{}, maxPendingCommits)}
}

// Engine returns the clustering engine.
func (in *Ingester) Engine() *cluster.Engine { return in.eng }

func (in *Ingester) restore(ctx context.Context) error {
	raw, err := in.st.Meta(ctx, metaBatches)
	if err != nil {
		return err
	}
	bounds, err := decodeBounds(raw)
	if err != nil {
		return fmt.Errorf("batch boundaries: %w", err)
	}
	var all []store.Article
	err = in.st.Replay(ctx, func(a store.Article) error {
		all = append(all, a)
		return nil
	})
	if err != nil || len(all) == 0 {
		return err
	}
	// Replay every stored article through the same stages, batch by batch
	// as they were committed (each boundary: assign the batch's articles,
	// then settle as that commit did), so that the engine, the dedup index
	// and the entity resolver end exactly as after the last commit.
	mismatch := 0
	start := 0
	step := func(last int64, final bool) {
		end := start
		for end < len(all) && (last < 0 || all[end].Seq <= last) {
			end++
		}
		if end > start {
			arts := make([]article.Article, end-start)
			for i := range arts {
				arts[i] = all[start+i].Article
			}
			an := AnalyzeAll(ctx, arts, in.opt.Workers, in.dx)
			for i := range an {
				as, _ := in.assign(&an[i], func(id string) string { return in.eventOf[id] })
				in.eventOf[an[i].Article.ID] = as.Event
			}
		}
		in.settle(final)
		in.eng.TakeDirty()
		clear(in.dirtyEnts)
		start = end
	}
	for _, bd := range bounds {
		last := bd
		if last < 0 {
			last = -last
		}
		step(last, bd < 0)
		in.bounds = append(in.bounds, bd)
	}
	if start < len(all) {
		// Articles past the last recorded boundary (a store written before
		// boundaries were recorded): one batch, settled in full.
		step(-1, true)
	}
	in.seq = all[len(all)-1].Seq
	for _, a := range all {
		if ev, ok := in.eventOf[a.ID]; ok && ev != a.Event {
			mismatch++
		}
	}
	if mismatch > 0 {
		slog.Warn("replay placed some articles differently from the store (articles updated in place, or a store written by another version)", "articles", mismatch)
	}
	slog.Debug("engine restored", "articles", len(all), "seq", in.seq)
	return nil
}

// settle re-partitions the storylines that grew (all of them when
// final) and keeps eventOf in step; it returns what moved.
func (in *Ingester) settle(final bool) ([]cluster.Move, []string) {
	var moves []cluster.Move
	var gone []string
	if final {
		moves, gone = in.eng.SettleAll()
	} else {
		moves, gone = in.eng.Settle()
	}
	for _, m := range moves {
		if _, ok := in.eventOf[m.Article]; ok {
			in.eventOf[m.Article] = m.To
		}
	}
	return moves, gone
}

// metaBatches stores the batch boundaries: the last seq of every committed
// batch, negative for a Close (a full settle, possibly of no new articles).
const metaBatches = "engine.batches"

func encodeBounds(b []int64) []byte {
	out := make([]byte, 0, 3*len(b))
	var prev int64
	for _, x := range b {
		out = binary.AppendVarint(out, x-prev)
		prev = x
	}
	return out
}

func decodeBounds(raw []byte) ([]int64, error) {
	var out []int64
	var prev int64
	for len(raw) > 0 {
		d, n := binary.Varint(raw)
		if n <= 0 {
			return nil, fmt.Errorf("corrupt")
		}
		prev += d
		out = append(out, prev)
		raw = raw[n:]
	}
	return out, nil
}

type indexedArticle struct {
	id   string
	time time.Time
}

// maxIndexed bounds the articles the near-duplicate index holds; older
// ones (and those older than the storyline window) leave it.
const maxIndexed = 200000

// remember adds an article to the near-duplicate and reuse index and
// evicts what is too old, so the index stays bounded; it returns the
// evicted articles (their eventOf entries are dropped by place).
func (in *Ingester) remember(id string, published time.Time, p *dedup.Prepared) (dedup.Result, []string) {
	r := in.dx.AddPrepared(id, published, p)
	in.indexed = append(in.indexed, indexedArticle{id, published})
	horizon := published.Add(-in.opt.Cluster.StoryWindow)
	n := 0
	var evicted []string
	for n < len(in.indexed) && (len(in.indexed)-n > maxIndexed ||
		(!published.IsZero() && !in.indexed[n].time.IsZero() && in.indexed[n].time.Before(horizon))) {
		in.dx.Remove(in.indexed[n].id)
		evicted = append(evicted, in.indexed[n].id)
		n++
	}
	// Drop the evicted from the front without copying the whole queue each
	// time: the slice moves forward (append reallocates, leaving the old
	// front behind, when it runs out of room), and it is copied when it has
	// much more room than content.
	in.indexed = in.indexed[n:]
	if cap(in.indexed) > 2*len(in.indexed)+1024 {
		in.indexed = append([]indexedArticle(nil), in.indexed...)
	}
	return r, evicted
}

// staged is an article after the sequential stages that do not depend on
// clustering: the near-duplicate and reuse index and entity resolution.
type staged struct {
	an      *Analyzed
	doc     *cluster.Doc
	dr      dedup.Result
	evicted []string // articles that left the dedup index
}

// stage runs the near-duplicate and reuse index (reused passages are
// re-weighted) and entity resolution for one analyzed article. It only
// touches state that clustering does not, so it may run one article ahead
// of place on another goroutine, in the same order.
func (in *Ingester) stage(an *Analyzed) staged {
	a := &an.Article
	if an.Foreign {
		return staged{an: an, doc: an.Doc(), dr: dedup.Result{Novelty: 1}}
	}
	if an.Dedup == nil {
		an.Dedup = in.dx.Prepare(a.Text)
	}
	r, evicted := in.remember(a.ID, StreamTime(a.Published), an.Dedup)
	an.Dedup = nil
	if len(r.ReusedSpans) > 0 {
		// Recycled background weighs less in event similarity.
		spans := make([]text.Span, len(r.ReusedSpans))
		for k, sp := range r.ReusedSpans {
			spans[k] = text.Span{Start: sp[0], End: sp[1]}
		}
		an.Analysis = an.Analysis.Discount(spans)
	}
	d := an.Doc()
	if len(an.Mentions) > 0 {
		an.Entities = map[string]int{}
		for _, ref := range in.res.Add(a.ID, a.Published, an.Mentions) {
			if ref.EntityID != "" {
				an.Entities[ref.EntityID]++
			}
		}
		d.Names = withEntities(d.Names, an.Entities)
	}
	return staged{an: an, doc: d, dr: r, evicted: evicted}
}

// place clusters a staged article: a near-duplicate joins its original's
// event (found through eventOf), anything else goes through the engine.
func (in *Ingester) place(s *staged, eventOf func(id string) string) cluster.Assignment {
	for _, id := range s.evicted {
		delete(in.eventOf, id)
	}
	if s.an.Foreign {
		return in.eng.Isolate(s.doc)
	}
	for _, dup := range s.dr.Duplicates() {
		if ev := eventOf(dup); ev != "" {
			s.doc.JoinEvent, s.doc.DupOf = ev, dup
			break
		}
	}
	return in.eng.Assign(s.doc)
}

// assign runs all the sequential stages for one analyzed article.
func (in *Ingester) assign(an *Analyzed, eventOf func(id string) string) (cluster.Assignment, dedup.Result) {
	s := in.stage(an)
	return in.place(&s, eventOf), s.dr
}

// replaceNames drops the capitalized-word names when entities were found.
var replaceNames = false

// entityWeight scales an entity's mention count in the names vector.
const entityWeight = 0.3

// withEntities adds canonical entity ids to a names vector, so that the
// engine compares articles by the entities they share (weighted by rarity
// through the engine's document frequencies) and not only by spellings.
func withEntities(names []text.Weighted, ents map[string]int) []text.Weighted {
	out := make([]text.Weighted, 0, len(names)+len(ents))
	if !replaceNames {
		out = append(out, names...)
	}
	for id, n := range ents {
		out = append(out, text.Weighted{Term: text.TermOf("entity:" + id), W: float32(entityWeight * float64(n))})
	}
	return text.Merge(out)
}

// storyNovelty is the share of an article's text not seen before in its
// own storyline: of the text the dedup index found reused (1-Novelty), only
// the part taken from articles of the same storyline counts (split by the
// bytes of the passages; overlapping passages counted once).
func (in *Ingester) storyNovelty(story string, r dedup.Result) float64 {
	if r.Novelty >= 1 || len(r.Reuse) == 0 {
		return r.Novelty
	}
	var same, all []text.Span
	for _, x := range r.Reuse {
		inStory := false
		if ev, ok := in.eventOf[x.From]; ok {
			st, _ := in.eng.StoryOf(ev)
			inStory = st == story
		}
		for _, p := range x.Passages {
			sp := text.Span{Start: p.ToOffset, End: p.ToOffset + p.Len}
			all = append(all, sp)
			if inStory {
				same = append(same, sp)
			}
		}
	}
	total := spanUnion(all)
	if total == 0 {
		return r.Novelty
	}
	return 1 - (1-r.Novelty)*float64(spanUnion(same))/float64(total)
}

// spanUnion is the number of bytes covered by the spans.
func spanUnion(sp []text.Span) int {
	slices.SortFunc(sp, func(a, b text.Span) int { return a.Start - b.Start })
	n, end := 0, -1
	for _, s := range sp {
		if s.Start > end {
			n += s.End - s.Start
			end = s.End
		} else if s.End > end {
			n += s.End - end
			end = s.End
		}
	}
	return n
}

// reuseRows converts what the dedup index found for one article into
// store rows.
func reuseRows(id string, r dedup.Result, b *store.Batch) {
	for _, x := range r.Reuse {
		rec := store.Reuse{From: x.From, To: id, SharedRatio: x.SharedRatio, Passages: make([]store.Passage, len(x.Passages))}
		for k, p := range x.Passages {
			rec.Passages[k] = store.Passage{Text: p.Text, FromOffset: p.FromOffset, ToOffset: p.ToOffset, Len: p.Len}
		}
		b.Reuse = append(b.Reuse, rec)
	}
	for _, e := range r.Exact {
		b.Duplicates = append(b.Duplicates, store.Duplicate{A: e, B: id, Similarity: 1})
	}
	for _, m := range r.Near {
		b.Duplicates = append(b.Duplicates, store.Duplicate{A: m.ID, B: id, Similarity: m.Similarity})
	}
}

// contentHash identifies an article's content for idempotent re-ingest.
func contentHash(a *article.Article) uint64 {
	h := xxh3.New()
	for _, s := range []string{a.Title, a.Text, a.Published.String(), a.URL, a.Source, a.Lang} {
		h.WriteString(s)
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// Prepared is a batch checked against the store and analyzed, ready for
// the sequential stages.
type Prepared struct {
	read, unchanged int
	// seen is how many commits had returned when the stored hashes were
	// read: those of later commits are looked up in Ingester.applied.
	seen    int64
	an      []Analyzed
	hashes  []uint64
	updated map[string]bool
}

// Add ingests one batch: new and changed articles are analyzed, assigned
// and committed together with their events in one transaction; articles
// already stored with the same content are skipped.
func (in *Ingester) Add(ctx context.Context, batch []article.Article) error {
	p, err := in.Prepare(ctx, batch)
	if err != nil {
		return err
	}
	if err := in.Apply(ctx, p); err != nil {
		return err
	}
	return in.wait()
}

// appliedBatch is the ids and content hashes of an applied batch, and
// the number of its commit.
type appliedBatch struct {
	commit int64
	hashes map[string]uint64
}

// recentHash looks id up, newest first, in the applied batches whose
// commits had not returned by the time seen was taken.
func (in *Ingester) recentHash(id string, seen int64) (uint64, bool) {
	for k := len(in.applied) - 1; k >= 0 && in.applied[k].commit > seen; k-- {
		if h, ok := in.applied[k].hashes[id]; ok {
			return h, true
		}
	}
	return 0, false
}

// fail marks the Ingester broken with err (Prepare may read it on
// another goroutine).
func (in *Ingester) fail(err error) { in.broken.Store(&err) }

// brokenErr returns why the Ingester is broken, or nil.
func (in *Ingester) brokenErr() error {
	if p := in.broken.Load(); p != nil {
		return *p
	}
	return nil
}

// wait returns once the background commit, if any, is done.
func (in *Ingester) wait() error {
	if in.last == nil {
		return nil
	}
	<-in.last.done
	err := in.last.err
	in.last = nil
	if err != nil {
		in.fail(fmt.Errorf("ingester out of step with the store after a failed commit (open a new one): %w", err))
	}
	return err
}

// Stream ingests batches with analysis of the next batch overlapping the
// sequential stages and commit of the current one. progress, if not nil,
// is called with the size of each batch once it is applied (its commit
// may still be under way: at most maxPendingCommits wait, and Stream
// returns once all are done); from then on the Ingester no longer reads
// the batch's articles (callers may release them).
func (in *Ingester) Stream(ctx context.Context, batches [][]article.Article, progress func(int)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		p   *Prepared
		n   int
		err error
	}
	ch := make(chan result, 1)
	go func() {
		defer close(ch)
		for _, b := range batches {
			p, err := in.Prepare(ctx, b)
			select {
			case ch <- result{p, len(b), err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	for r := range ch {
		if r.err != nil {
			in.wait() // the applied batches are written (ctx is canceled on return)
			return r.err
		}
		if err := in.Apply(ctx, r.p); err != nil {
			in.wait()
			return err
		}
		if progress != nil {
			progress(r.n)
		}
	}
	if err := in.wait(); err != nil {
		return err
	}
	return ctx.Err()
}

// Prepare checks a batch against the store (unchanged articles are
// skipped) and analyzes the rest in parallel. It may run while Apply
// commits the previous batch.
func (in *Ingester) Prepare(ctx context.Context, batch []article.Article) (*Prepared, error) {
	if err := in.brokenErr(); err != nil {
		return nil, err
	}
	p := &Prepared{read: len(batch), updated: map[string]bool{}}
	if len(batch) == 0 {
		return p, nil
	}
	// The last copy of an id within a batch wins.
	pos := map[string]int{}
	uniq := batch[:0:0]
	for _, a := range batch {
		if i, ok := pos[a.ID]; ok {
			uniq[i] = a
			continue
		}
		pos[a.ID] = len(uniq)
		uniq = append(uniq, a)
	}
	ids := make([]string, len(uniq))
	for i := range uniq {
		ids[i] = uniq[i].ID
	}
	p.seen = in.committed.Load()
	have, err := in.st.Hashes(ctx, ids)
	if err != nil {
		return nil, err
	}
	var todo []article.Article
	for i := range uniq {
		h := contentHash(&uniq[i])
		if old, ok := have[uniq[i].ID]; ok {
			if old == h {
				p.unchanged++
				continue
			}
			p.updated[uniq[i].ID] = true
		}
		todo = append(todo, uniq[i])
		p.hashes = append(p.hashes, h)
	}
	if len(todo) > 0 {
		p.an = AnalyzeAll(ctx, todo, in.opt.Workers, in.dx)
	}
	return p, ctx.Err()
}

// Apply runs the sequential stages on a prepared batch (dedup index,
// entity resolution, clustering, settling, summaries) and commits it.
func (in *Ingester) Apply(ctx context.Context, p *Prepared) error {
	if err := in.brokenErr(); err != nil {
		return err
	}
	in.Stats.Read += p.read
	in.Stats.Unchanged += p.unchanged
	b := &store.Batch{Moves: map[string]string{}}
	applied := make(map[string]uint64, len(p.an))
	n := 0
	// Dedup and entity resolution run one step ahead of clustering, on
	// their own goroutine, in order.
	type item struct {
		i       int
		skip    bool // unchanged since an earlier batch
		updated bool
		s       staged
	}
	items := make(chan item, 64)
	go func() {
		defer close(items)
		for i := range p.an {
			a := &p.an[i].Article
			it := item{i: i, updated: p.updated[a.ID]}
			// Prepared while earlier batches were still being applied or
			// written: an id they stored is unchanged or an update.
			if h, ok := in.recentHash(a.ID, p.seen); ok {
				if h == p.hashes[i] {
					it.skip = true
					items <- it
					continue
				}
				it.updated = true
			}
			it.s = in.stage(&p.an[i])
			items <- it
		}
	}()
	for it := range items {
		if it.skip {
			in.Stats.Unchanged++
			continue
		}
		i := it.i
		a := &p.an[i].Article
		applied[a.ID] = p.hashes[i]
		in.seq++
		old := in.eventOf[a.ID]
		if it.updated && old == "" {
			// Gone from the dedup window: the store says where it was.
			if sa, err := in.st.Article(ctx, a.ID); err == nil {
				old = sa.Event
			}
		}
		as := in.place(&it.s, func(id string) string { return in.eventOf[id] })
		dr := it.s.dr
		if it.updated && old != "" && old != as.Event {
			in.left[old] = true // its summary may quote the old text
		}
		in.eventOf[a.ID] = as.Event
		if p.an[i].Foreign {
			in.Stats.NotEnglish++
		}
		reuseRows(a.ID, dr, b)
		for id, n := range p.an[i].Entities {
			b.Mentions = append(b.Mentions, store.Mention{Article: a.ID, Entity: id, Count: n})
			in.dirtyEnts[id] = true
		}
		b.Articles = append(b.Articles, store.Article{Article: p.an[i].Article, Hash: p.hashes[i], Seq: in.seq,
			EventTime: p.an[i].EventTime, Event: as.Event, Novelty: in.storyNovelty(as.Story, dr)})
		if it.updated {
			in.Stats.Updated++
		} else {
			in.Stats.New++
		}
		n++
	}
	// Batches prepared from now on have seen every commit this one had
	// (they are prepared in order).
	in.applied = slices.DeleteFunc(in.applied, func(ab appliedBatch) bool { return ab.commit <= p.seen })
	if n == 0 {
		return nil
	}
	in.applied = append(in.applied, appliedBatch{commit: in.launched + 1, hashes: applied})
	if err := in.finish(ctx, b, false); err != nil {
		return err
	}
	return nil
}

// finish settles the engine, summarizes the events that changed and
// commits the batch.
func (in *Ingester) finish(ctx context.Context, b *store.Batch, final bool) error {
	moves, gone := in.settle(final)
	inBatch := map[string]int{}
	for i, a := range b.Articles {
		inBatch[a.ID] = i
	}
	// Events whose stored articles this batch changes (its articles may
	// also leave events of earlier batches: updated articles).
	touched := make([]string, 0, 2*len(moves)+len(gone))
	for _, m := range moves {
		touched = append(touched, m.From, m.To)
	}
	touched = append(touched, gone...)
	for _, m := range moves {
		if i, ok := inBatch[m.Article]; ok {
			b.Articles[i].Event = m.To
		} else {
			b.Moves[m.Article] = m.To
		}
	}
	b.Gone = gone
	for id := range in.dirtyEnts {
		if e, ok := in.res.Entity(id); ok {
			b.Entities = append(b.Entities, store.Entity{ID: e.ID, Name: e.Name, Type: e.Type, Aliases: e.Aliases,
				FirstSeen: dayOf(e.FirstSeen), LastSeen: dayOf(e.LastSeen)})
		}
	}
	clear(in.dirtyEnts)
	if err := in.brokenErr(); err != nil {
		return err
	}
	// The changed events and their storylines, taken now: the engine moves
	// on while this batch is summarized and written.
	dirty := in.summaryDue(in.eng.TakeDirty(), final)
	for ev := range in.left {
		if _, ok := in.eng.Size(ev); ok && !slices.Contains(dirty, ev) {
			dirty = append(dirty, ev)
		}
	}
	clear(in.left)
	storyOf := make(map[string]string, len(dirty))
	sizeOf := make(map[string]int, len(dirty))
	for _, ev := range dirty {
		storyOf[ev], _ = in.eng.StoryOf(ev)
		sizeOf[ev], _ = in.eng.Size(ev)
	}
	// Record the batch boundary with the batch, for an exact replay.
	bound := in.seq
	if final {
		bound = -bound
	}
	if n := len(in.bounds); in.seq > 0 && (n == 0 || in.bounds[n-1] != bound) {
		if n > 0 && bound < 0 && in.bounds[n-1] == in.seq {
			in.bounds[n-1] = bound // a final settle of an already recorded batch
		} else {
			in.bounds = append(in.bounds, bound)
		}
		if b.Meta == nil {
			b.Meta = map[string][]byte{}
		}
		b.Meta[metaBatches] = encodeBounds(in.bounds)
	}
	// Summarized and written in the background while the next batch is
	// assigned (at most maxPendingCommits batches wait there).
	select {
	case in.slots <- struct{}{}:
	case <-ctx.Done():
		// The batches handed over end first (their commits fail on ctx, or
		// finish): nothing of this Ingester touches the store once its
		// methods have returned.
		in.wait()
		in.fail(fmt.Errorf("ingester out of step with the store after a canceled commit (open a new one): %w", ctx.Err()))
		return ctx.Err()
	}
	in.launched++
	prev, job := in.last, &background{summarized: make(chan struct{}), done: make(chan struct{})}
	in.last = job
	go func() {
		defer func() { <-in.slots }()
		job.err = in.summarizeAndCommit(ctx, prev, job, b, dirty, storyOf, sizeOf, touched)
		close(job.done)
	}()
	return nil
}

// background is a batch being summarized and written after the
// sequential stages are done with it.
type background struct {
	summarized chan struct{} // closed once its events are summarized
	done       chan struct{} // closed once it is committed, or failed
	err        error         // set before done is closed
}

// summarizeAndCommit summarizes the events batch b changed and commits b
// with their rows, once the batch before it (prev, if any) is committed.
// Summaries are computed in batch order but need not wait for the
// previous commit: what the store will hold once it is done is mostly
// known (see knownEvents), and only the summaries that read the store
// wait for it. So the summaries of one batch overlap the writes of the
// one before, and the writes, the longest sequential stage, run back to
// back. A failed commit fails the batches after it (the Ingester is then
// broken, its knownEvents no longer used).
func (in *Ingester) summarizeAndCommit(ctx context.Context, prev, job *background, b *store.Batch, dirty []string, storyOf map[string]string, sizeOf map[string]int, touched []string) error {
	ready := func() error { // once the store holds the earlier batches
		if prev == nil {
			return nil
		}
		<-prev.done
		return prev.err
	}
	if prev != nil {
		<-prev.summarized // the knownEvents they leave
	}
	rows, full, err := in.eventRows(ctx, dirty, storyOf, sizeOf, b, ready)
	if err == nil {
		after := make(map[string]*knownList, len(rows))
		for i, r := range rows {
			if r.ID == "" {
				// No article left (its last one was updated into another
				// event): the event goes.
				b.Gone = append(b.Gone, dirty[i])
				touched = append(touched, dirty[i])
				continue
			}
			b.Events = append(b.Events, r)
			if full[i] != nil {
				after[r.ID] = full[i]
			}
		}
		in.known.update(b, touched, after)
	}
	close(job.summarized)
	if e, ok := in.st.(store.Encoder); ok && err == nil {
		e.Encode(b) // while the batch before is written
	}
	if perr := ready(); perr != nil {
		return perr
	}
	if err != nil {
		return err
	}
	if err := in.st.Commit(ctx, b); err != nil {
		return err
	}
	in.committed.Add(1)
	return nil
}

// maxPendingCommits bounds the batches waiting to be summarized and
// written in the background. The sequential stages may run ahead of the
// writes (a slow disk, a long stream), and every batch waiting holds its
// articles in memory.
const maxPendingCommits = 8

// resummarizeGrowth is how much an event of at least resummarizeMin
// articles must grow before its headline and summary are recomputed; until
// then (or until Close) its stored row keeps the previous ones.
const (
	resummarizeGrowth = 1.3
	resummarizeMin    = 6
)

// summaryDue picks, among the events that changed, those to summarize now:
// new and small events, events that grew enough since their last summary,
// and at the end (final) every event left waiting.
func (in *Ingester) summaryDue(changed []string, final bool) []string {
	var due []string
	for _, ev := range changed {
		n, ok := in.eng.Size(ev)
		if !ok {
			continue
		}
		last, seen := in.summarized[ev]
		if final || !seen || n < resummarizeMin || float64(n) >= resummarizeGrowth*float64(last) {
			due = append(due, ev)
			in.summarized[ev] = n
			delete(in.waiting, ev)
			continue
		}
		in.waiting[ev] = true
	}
	if final {
		for ev := range in.waiting {
			if n, ok := in.eng.Size(ev); ok {
				due = append(due, ev)
				in.summarized[ev] = n
			}
		}
		clear(in.waiting)
		slices.Sort(due)
		due = slices.Compact(due)
	}
	// Forget events the engine no longer holds.
	if len(in.summarized) > 4*maxIndexed/10 {
		for ev := range in.summarized {
			if _, ok := in.eng.Size(ev); !ok {
				delete(in.summarized, ev)
			}
		}
	}
	return due
}

// Close settles every storyline that grew and waits for the last commit.
func (in *Ingester) Close(ctx context.Context) error {
	b := &store.Batch{Moves: map[string]string{}}
	if err := in.finish(ctx, b, true); err != nil {
		return err
	}
	return in.wait()
}

// eventRows computes the rows of the given events, in their order, on
// up to two goroutines (the events are independent; reads of the store
// run concurrently).
// Next to each row it returns what the store will hold for the event once
// the batch is committed, when eventRow can tell (see knownAfter).
func (in *Ingester) eventRows(ctx context.Context, ids []string, storyOf map[string]string, sizeOf map[string]int, b *store.Batch, ready func() error) ([]store.Event, []*knownList, error) {
	m := indexBatch(b)
	rows := make([]store.Event, len(ids))
	full := make([]*knownList, len(ids))
	// The events whose summary reads the store (and so waits for the
	// previous commit) come last: the others are done meanwhile, and this
	// batch's commit can start soon after the previous one ends.
	order := make([]int, 0, len(ids))
	var later []int
	for i, id := range ids {
		if in.readsStore(id, sizeOf[id], m) {
			later = append(later, i)
		} else {
			order = append(order, i)
		}
	}
	order = append(order, later...)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := w; k < len(order); k += 2 {
				i := order[k]
				if rows[i], full[i], errs[w] = in.eventRow(ctx, ids[i], storyOf[ids[i]], sizeOf[ids[i]], m, ready); errs[w] != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	return rows, full, errors.Join(errs...)
}

// batchIndex lists, per event, the batch's articles (in batch order) and
// the articles of earlier batches the batch moves into it (by id), so
// that summarizing an event does not scan the whole batch.
type batchIndex struct {
	arts    map[string][]*store.Article
	movedIn map[string][]string
	moves   map[string]string // the batch's moves: article → new event
	ids     map[string]bool   // the batch's articles
}

func indexBatch(b *store.Batch) batchIndex {
	m := batchIndex{arts: map[string][]*store.Article{}, movedIn: map[string][]string{}, moves: b.Moves,
		ids: make(map[string]bool, len(b.Articles))}
	for i := range b.Articles {
		a := &b.Articles[i]
		m.arts[a.Event] = append(m.arts[a.Event], a)
		m.ids[a.ID] = true
	}
	for aid, to := range b.Moves { // articles of earlier batches only
		m.movedIn[to] = append(m.movedIn[to], aid)
	}
	for _, ids := range m.movedIn {
		slices.Sort(ids) // a fixed order: the summary breaks ties by article order
	}
	return m
}

// readsStore tells whether eventRow is likely to read the store for event
// id of the engine's size (a guess: it only orders the work).
func (in *Ingester) readsStore(id string, size int, m batchIndex) bool {
	inBatch, movedIn := m.arts[id], m.movedIn[id]
	if holdsStored(size, inBatch, movedIn) {
		if _, ok := in.known.get(id); !ok {
			return true
		}
	}
	for _, aid := range movedIn {
		if _, ok := in.known.article(aid); !ok {
			return true
		}
	}
	return false
}

// holdsStored tells whether an event of the engine's size holds articles
// besides those the batch brings (inBatch) or moves in (movedIn): stored
// ones, to be read from knownEvents or the store.
func holdsStored(size int, inBatch []*store.Article, movedIn []string) bool {
	return size == 0 || len(inBatch)+len(movedIn) < size
}

// maxSummaryArticles bounds the articles read to summarize one event.
const maxSummaryArticles = 24

// eventRow computes an event's stored row from its articles: those of the
// batch being committed and those already stored. Before it reads the
// store, it calls ready, which returns once the store holds every earlier
// batch.
func (in *Ingester) eventRow(ctx context.Context, id, story string, size int, m batchIndex, ready func() error) (store.Event, *knownList, error) {
	inBatch, movedIn := m.arts[id], m.movedIn[id]
	// The store is read only when the event holds (by the engine's count,
	// size) more articles than the batch brings: a new event, most often,
	// is all in the batch. What an earlier batch left is often known
	// without a read (see knownEvents).
	var stored []store.Article
	storeRead, allBefore := false, true // allBefore: stored is all the event's stored articles
	if holdsStored(size, inBatch, movedIn) {
		storeRead = true
		if k, ok := in.known.get(id); ok {
			stored, allBefore = k.arts, k.all
			if in.checkKnown != nil {
				if err := ready(); err != nil {
					return store.Event{}, nil, err
				}
				in.checkKnown(id, k)
			}
		} else {
			if err := ready(); err != nil {
				return store.Event{}, nil, err
			}
			var err error
			if stored, err = in.st.EventArticles(ctx, id, maxSummaryArticles); err != nil {
				return store.Event{}, nil, err
			}
			allBefore = len(stored) < maxSummaryArticles
		}
	}
	var arts []store.Article
	for _, a := range inBatch {
		if len(arts) < maxSummaryArticles {
			arts = append(arts, *a)
		}
	}
	for _, a := range stored {
		if m.ids[a.ID] || len(arts) >= maxSummaryArticles {
			continue // the batch holds it again (maybe changed, maybe elsewhere)
		}
		if _, moved := m.moves[a.ID]; moved {
			continue // moved out of this event by the batch
		}
		arts = append(arts, a)
	}
	var movedRows []store.Article // the rows of the articles moved in
	movedAll := true
	var movedErr error
	for _, aid := range movedIn {
		if len(arts) >= maxSummaryArticles {
			movedAll = false
			break
		}
		a, ok := in.known.article(aid)
		if !ok {
			if err := ready(); err != nil {
				return store.Event{}, nil, err
			}
			var err error
			a, err = in.st.Article(ctx, aid)
			ok = err == nil
			if err != nil {
				movedErr = err
			}
		}
		if !ok {
			movedAll = false
			continue
		}
		movedRows = append(movedRows, a)
		arts = append(arts, a)
	}
	after := knownAfter(storeRead, stored, allBefore, inBatch, movedRows, movedAll, m.moves, m.ids)
	if len(arts) == 0 && len(movedIn) > 0 {
		// Articles move into the event: it is not empty, their rows
		// could not be read.
		return store.Event{}, nil, fmt.Errorf("event %s: articles moved in: %w", id, movedErr)
	}
	if len(arts) == 0 && storeRead && !allBefore {
		// Every one of the event's first stored articles leaves it: those
		// past them (not read) may stay. Read them all.
		if err := ready(); err != nil {
			return store.Event{}, nil, err
		}
		all, err := in.st.EventArticles(ctx, id, 0)
		if err != nil {
			return store.Event{}, nil, err
		}
		for _, a := range all {
			if _, moved := m.moves[a.ID]; moved || m.ids[a.ID] {
				continue
			}
			if arts = append(arts, a); len(arts) >= maxSummaryArticles {
				break
			}
		}
		after = nil
	}
	if len(arts) == 0 {
		return store.Event{}, nil, nil // nothing left: the event goes
	}
	ev := store.Event{ID: id, Story: story, Size: len(arts)}
	inputs := make([]summary.Input, len(arts))
	days := map[string]int{}
	srcs := map[string]bool{}
	for i, a := range arts {
		inputs[i] = summary.Input{ID: a.ID, Title: a.Title, Text: a.Text, Source: a.Source}
		if !a.EventTime.IsZero() {
			days[a.EventTime.Format("2006-01-02")]++
		}
		if a.Source != "" && !srcs[a.Source] {
			srcs[a.Source] = true
			ev.Sources = append(ev.Sources, a.Source)
		}
	}
	slices.Sort(ev.Sources)
	ev.Date = modeDay(days)
	head, sum := summary.Summarize(inputs, in.opt.SummarySentences)
	ev.Headline = head
	for _, s := range sum {
		ev.Summary = append(ev.Summary, store.Sentence{Text: s.Text, Article: s.Article, Source: s.Source})
	}
	return ev, after, nil
}

// knownAfter tells what the store holds for an event once the batch is
// committed (its first maxSummaryArticles articles in seq order, and
// whether they are all), when that follows from what it held before
// (stored, all of them when allBefore; nothing but what moves in when
// the store was not read), the batch's articles of the event and the
// rows of the articles moved into it (movedAll: all of them); nil when
// it does not. A stored article that the batch holds again (fresh, under
// this event or another) is replaced by its new row.
func knownAfter(storeRead bool, stored []store.Article, allBefore bool, inBatch []*store.Article, movedRows []store.Article, movedAll bool, moves map[string]string, fresh map[string]bool) *knownList {
	if !movedAll {
		return nil
	}
	if storeRead && !allBefore {
		// Only the first articles are known: they stay first unless one
		// leaves (moved out, or updated: a new seq) or an older one
		// comes in.
		if len(movedRows) > 0 {
			return nil
		}
		for _, a := range stored {
			if _, moved := moves[a.ID]; moved || fresh[a.ID] {
				return nil
			}
		}
		return &knownList{arts: stored, all: false}
	}
	var out []store.Article
	for _, a := range stored {
		if _, moved := moves[a.ID]; !moved && !fresh[a.ID] {
			out = append(out, a)
		}
	}
	for _, a := range inBatch {
		out = append(out, *a)
	}
	out = append(out, movedRows...)
	return &knownList{arts: out, all: true}
}

func dayOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// modeDay returns the most frequent day, the earliest among ties.
func modeDay(days map[string]int) string {
	best, bn := "", 0
	for d, n := range days {
		if n > bn || (n == bn && d < best) {
			best, bn = d, n
		}
	}
	return best
}
