// Package cluster assigns articles to storylines and events, online: each
// article is placed on arrival, against a bounded set of candidates found
// through an inverted index and time windows, so the cost per article does
// not grow with the size of the store.
package cluster

import (
	"fmt"
	"slices"
	"time"

	"github.com/storyline/storyline/text"
	"github.com/zeebo/xxh3"
)

// Options tune the engine. The defaults (DefaultOptions) were chosen on
// ECB+ and are meant to hold on news they were not tuned on.
type Options struct {
	// EventThreshold is the least (storyline-local) similarity for an
	// article to join an event.
	EventThreshold float64
	// StoryThreshold is the least similarity for an article to join a storyline.
	StoryThreshold float64
	// EventWindow is the largest gap between an article's date and an
	// event's date range for it to join the event.
	EventWindow time.Duration
	// StoryWindow is the same for articles joining a storyline.
	StoryWindow time.Duration
	// NameWeight is the share of the similarity given to proper names
	// (and entities); the rest goes to content terms.
	NameWeight float64
	// CentroidTerms bounds the terms kept per event or storyline centroid.
	CentroidTerms int
	// QueryTerms is how many of an article's heaviest terms look up candidates.
	QueryTerms int
	// PostingCap bounds each term's posting list to its most recent storylines.
	PostingCap int
	// MaxCandidates bounds the storylines an article is compared with: those
	// sharing the most of its query terms.
	MaxCandidates int
	// LocalWeight (0..1) is how much a storyline's own document
	// frequencies re-weight terms when an article is compared with the
	// storyline's events.
	LocalWeight float64
	// MaxStoryEvents bounds how many of a storyline's newest events an
	// article is compared with.
	MaxStoryEvents int
	// SettleThreshold is the average-linkage similarity at which Settle
	// keeps two groups of a storyline's articles in one event.
	SettleThreshold float64
	// SettleLocalPower is the exponent of the storyline-local inverse
	// document frequency in Settle's term weights.
	SettleLocalPower float64
	// SettleBuffer bounds how many recent articles per storyline Settle
	// re-partitions.
	SettleBuffer int
}

// DefaultOptions returns the engine defaults.
func DefaultOptions() Options {
	return Options{
		EventThreshold:   0.20,
		StoryThreshold:   0.06,
		EventWindow:      4 * 24 * time.Hour,
		StoryWindow:      45 * 24 * time.Hour,
		NameWeight:       0.35,
		CentroidTerms:    160,
		QueryTerms:       16,
		PostingCap:       64,
		MaxCandidates:    24,
		LocalWeight:      1,
		MaxStoryEvents:   64,
		SettleThreshold:  0.08,
		SettleLocalPower: 0.5,
		SettleBuffer:     64,
	}
}

// Doc is one article as the engine sees it.
type Doc struct {
	ID string
	// Time is when the reported happening took place (the event date
	// estimate), or the publication time; zero when unknown.
	Time time.Time
	// Terms and Names are raw term weights sorted by Term, each Term once
	// (as text.Analysis gives them).
	Terms []text.Weighted
	Names []text.Weighted
	// JoinEvent, when set, forces the article into that event (it is a
	// near-duplicate of an article already there).
	JoinEvent string
	// DupOf names the article d is a near-duplicate of; settling keeps
	// the two in one event.
	DupOf string
}

// Assignment is where an article went.
type Assignment struct {
	Event    string
	Story    string
	NewEvent bool
	NewStory bool
	// Score is the similarity to the joined event (1 for forced joins,
	// 0 for new events).
	Score float64
}

// Engine is the online event and storyline clusterer. It is not safe for
// concurrent use: assignment is sequential by design (analysis is not).
type Engine struct {
	opt     Options
	df      *DF
	events  *level
	stories *level
	cands   []*cluster
	fac     localFactors
	// Settle's term weights by local id.
	sfac memo[float64]
	// Dense vectors by local id: the document's localized vectors in
	// bestEvent (terms, names); settle uses the first.
	tdense, ndense []float64
	// bestStory's article vectors, for dot products with storylines
	tprobe, nprobe probe
	dirty          map[string]bool // events whose statistics changed
	// retired holds the ids of evicted events and storylines: they stay
	// in the store, so a new one must not take the same id (an article
	// updated long after it opened an event would otherwise reopen it).
	retired map[string]bool
	// latest is the newest article time seen; assigned counts articles.
	latest   time.Time
	assigned int
	// bestEvent's scratch: the events compared; and what it touches
	evs  []*cluster
	sink uint32
}

// New returns an empty Engine.
func New(opt Options) *Engine {
	return &Engine{opt: opt, df: NewDF(), events: newLevel(), stories: newLevel(),
		dirty: map[string]bool{}, retired: map[string]bool{}}
}

// Options returns the engine's options.
func (e *Engine) Options() Options { return e.opt }

// DF returns the engine's document-frequency table.
func (e *Engine) DF() *DF { return e.df }

// Assign places d in a storyline and an event and updates the engine.
//
// The storyline comes first: d is compared with storyline centroids by
// global TF-IDF. Within the chosen storyline, d is compared with the
// storyline's events by TF-IDF re-weighted with the storyline's own
// document frequencies, so that what every article of the storyline says
// (its recycled background) counts little and what tells one happening from
// another (names, numbers, places, new facts) counts much.
func (e *Engine) Assign(d *Doc) Assignment {
	if d.Time.After(e.latest) {
		e.latest = d.Time
	}
	if e.assigned++; e.assigned%evictEvery == 0 {
		e.evict()
	}
	d.Terms, d.Names = sortedUnique(d.Terms), sortedUnique(d.Names)
	e.df.Add(d.Terms, d.Names)
	tv, nv := e.df.unit(d.Terms), e.df.unit(d.Names)
	q := topTerms(tv, e.opt.QueryTerms)
	qn := topTerms(nv, e.opt.QueryTerms/2)
	a := Assignment{}

	var ev, st *cluster
	if d.JoinEvent != "" {
		if c := e.events.byID[d.JoinEvent]; c != nil && !c.dead {
			ev, st, a.Score = c, c.story, 1
		}
	}
	if st == nil {
		st = e.bestStory(d, tv, nv, q, qn)
	}
	if st == nil {
		st = newStory(e.newID("S", d.ID, e.stories))
		e.stories.add(st)
		a.NewStory = true
	}
	tids, ltv, tord := st.addLocal(d.Terms, tv)
	nids, lnv, nord := st.addLocal(d.Names, nv)
	if ev == nil {
		ev, a.Score = e.bestEvent(st, d, ltv, lnv)
	}
	if ev == nil {
		ev = &cluster{id: e.newID("E", d.ID, e.events), story: st}
		e.events.add(ev)
		st.addMember(ev)
		st.events++
		a.NewEvent, a.Score = true, 0
	}
	for _, c := range []*cluster{ev, st} {
		c.n++
		c.addTime(d.Time)
	}
	ev.syncSpan()
	st.terms.add(tv, e.opt.CentroidTerms)
	st.names.add(nv, e.opt.CentroidTerms/2)
	ev.terms.add(ltv, e.opt.CentroidTerms)
	ev.names.add(lnv, e.opt.CentroidTerms/2)
	e.stories.index(st, q, e.opt.PostingCap)
	e.stories.index(st, qn, e.opt.PostingCap)
	e.remember(st, d, ev, tids, nids, tord, nord)
	e.dirty[ev.id] = true
	a.Event, a.Story = ev.id, st.id
	return a
}

// Isolate gives d an event and a storyline of its own that no other
// article can join: for articles the engine cannot compare (e.g. not in
// English).
func (e *Engine) Isolate(d *Doc) Assignment {
	st := newStory(e.newID("S", d.ID, e.stories))
	st.n = 1
	e.stories.add(st)
	ev := &cluster{id: e.newID("E", d.ID, e.events), story: st, n: 1}
	e.events.add(ev)
	ev.addTime(d.Time)
	st.addTime(d.Time)
	st.addMember(ev)
	st.events = 1
	e.dirty[ev.id] = true
	return Assignment{Event: ev.id, Story: st.id, NewEvent: true, NewStory: true}
}

// newID derives a stable id from the first article's id, so the same input
// gives the same ids on every backend.
func (e *Engine) newID(prefix, seed string, l *level) string {
	id := prefix + shortHash(seed)
	for i := 1; ; i++ {
		if _, taken := l.byID[id]; !taken && !e.retired[id] {
			return id
		}
		id = prefix + shortHash(fmt.Sprintf("%s\x00%d", seed, i))
	}
}

// bestStory returns the storyline d belongs to, or nil for a new one.
func (e *Engine) bestStory(d *Doc, tv, nv, q, qn []text.Weighted) *cluster {
	var best *cluster
	bestScore := 0.0
	e.cands = e.stories.candidates([][]text.Weighted{q, qn}, e.opt.MaxCandidates, e.cands[:0])
	if len(e.cands) == 0 {
		return nil
	}
	e.tprobe.set(tv)
	e.nprobe.set(nv)
	for _, c := range e.cands {
		if c.gap(d.Time) > e.opt.StoryWindow {
			continue
		}
		if s := e.sim(c); s > bestScore {
			best, bestScore = c, s
		}
	}
	if bestScore < e.opt.StoryThreshold {
		return nil
	}
	return best
}

// bestEvent returns the event of storyline st that d reports, or nil; tv
// and nv are d's unit vectors keyed by the storyline's local ids.
func (e *Engine) bestEvent(st *cluster, d *Doc, tv, nv []text.Weighted) (*cluster, float64) {
	f := &e.fac
	f.reset(st, e.opt.LocalWeight)
	ltv, lnv := st.localize(tv, f), st.localize(nv, f)
	td, nd := dense(&e.tdense, len(st.counts)), dense(&e.ndense, len(st.counts))
	st.scatter(ltv, td, f)
	st.scatter(lnv, nd, f)
	defer unscatter(ltv, td)
	defer unscatter(lnv, nd)
	var best *cluster
	bestScore := 0.0
	// Newest events first; at most MaxStoryEvents are compared, among at
	// most 4×MaxStoryEvents scanned (older ones are out of the window).
	win := windowOf(d.Time, e.opt.EventWindow)
	evs := e.evs[:0]
	for i, n := len(st.members)-1, 0; i >= 0 && n < e.opt.MaxStoryEvents && i >= len(st.members)-4*e.opt.MaxStoryEvents; i-- {
		if st.spans[i].outside(&win) {
			continue
		}
		evs = append(evs, st.members[i])
		n++
	}
	e.evs = evs
	// The events' centroids are touched line by line first, in a loop of
	// independent loads, so that their cache misses overlap.
	var sink uint32
	for _, c := range evs {
		for i := 0; i < len(c.terms.e); i += 8 {
			sink += uint32(c.terms.e[i].Term)
		}
		for i := 0; i < len(c.names.e); i += 8 {
			sink += uint32(c.names.e[i].Term)
		}
	}
	e.sink += sink
	for _, c := range evs {
		var s float64
		if len(lnv) == 0 || c.names.norm == 0 {
			s = st.localCos(&c.terms, td, f) * (1 - e.opt.NameWeight/2)
		} else {
			s = (1-e.opt.NameWeight)*st.localCos(&c.terms, td, f) + e.opt.NameWeight*st.localCos(&c.names, nd, f)
		}
		if s > bestScore {
			best, bestScore = c, s
		}
	}
	if bestScore < e.opt.EventThreshold {
		return nil, bestScore
	}
	return best, bestScore
}

// sim is the similarity of the article in e.tprobe and e.nprobe (its
// term and name unit vectors) to storyline c.
func (e *Engine) sim(c *cluster) float64 {
	st := e.tprobe.cos(&c.terms)
	if e.nprobe.n == 0 || c.names.norm == 0 {
		return st * (1 - e.opt.NameWeight/2)
	}
	return (1-e.opt.NameWeight)*st + e.opt.NameWeight*e.nprobe.cos(&c.names)
}

// Size returns how many articles an event holds; ok is false for an event
// the engine does not hold (unknown, merged away or evicted).
func (e *Engine) Size(event string) (n int, ok bool) {
	c := e.events.byID[event]
	if c == nil || c.dead {
		return 0, false
	}
	return c.n, true
}

// evictEvery is how many assignments pass between eviction scans.
const evictEvery = 1024

// evict forgets storylines (and their events) whose last article is
// older than the storyline window before the newest article seen: they
// can no longer be joined, and keeping them would make memory grow with
// the store. Undated storylines are kept.
func (e *Engine) evict() {
	if e.latest.IsZero() {
		return
	}
	horizon := e.latest.Add(-e.opt.StoryWindow)
	for i, st := range e.stories.all {
		if st == nil || st.last.IsZero() || !st.last.Before(horizon) {
			continue
		}
		for _, ev := range st.members {
			delete(e.events.byID, ev.id)
			delete(e.dirty, ev.id)
			e.events.all[ev.idx] = nil
			e.retired[ev.id] = true
		}
		delete(e.stories.byID, st.id)
		e.stories.all[i] = nil
		e.retired[st.id] = true
	}
}

// StoryOf returns the storyline of an event.
func (e *Engine) StoryOf(event string) (string, bool) {
	c := e.events.byID[event]
	if c == nil || c.story == nil {
		return "", false
	}
	return c.story.id, true
}

// TakeDirty returns the events whose statistics changed since the last
// call, and forgets them.
func (e *Engine) TakeDirty() []string {
	out := make([]string, 0, len(e.dirty))
	for id := range e.dirty {
		out = append(out, id)
	}
	clear(e.dirty)
	slices.Sort(out)
	return out
}

// topTerms returns the k heaviest entries of v (ties: smaller term first),
// heaviest first.
func topTerms(v []text.Weighted, k int) []text.Weighted {
	if len(v) <= k {
		return v
	}
	// Insertion into a sorted list of the best k so far, compared by rank
	// keys (see rankKey).
	top := make([]text.Weighted, 0, k)
	keys := make([]uint64, 0, k)
	for _, x := range v {
		key := rankKey(x)
		if len(keys) == k && key >= keys[k-1] {
			continue
		}
		if len(keys) < k {
			keys, top = append(keys, 0), append(top, text.Weighted{})
		}
		pos := len(keys) - 1
		for ; pos > 0 && keys[pos-1] > key; pos-- {
			keys[pos], top[pos] = keys[pos-1], top[pos-1]
		}
		keys[pos], top[pos] = key, x
	}
	return top
}

func shortHash(s string) string {
	return fmt.Sprintf("%010x", xxh3.HashString(s)&(1<<40-1))
}

// sortedUnique returns v if it is sorted by Term with each Term once, or
// else a sorted, merged copy.
func sortedUnique(v []text.Weighted) []text.Weighted {
	for i := 1; i < len(v); i++ {
		if v[i-1].Term >= v[i].Term {
			return text.Merge(slices.Clone(v))
		}
	}
	return v
}
