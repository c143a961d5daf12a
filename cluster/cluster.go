package cluster

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"time"

	"github.com/storyline/storyline/text"
)

// centroid is a bounded sparse vector, the sum of unit document vectors,
// kept as entries sorted by key so that updates and dot products are
// merges, not hash lookups. Storyline centroids are keyed by text.Term;
// event centroids by their storyline's local term ids (see cluster.vocab),
// stored in the same Term field.
type centroid struct {
	e    []text.Weighted
	norm float64
	// The norm of the centroid re-weighted by its storyline's local
	// factors (events only), and the storyline size it was computed at.
	lnorm   float64
	lnAt    int
	lnValid bool
}

// add adds v (sorted by key, keys unique) to the centroid, merging in
// place from the back, and prunes it to its limit heaviest entries once
// it holds more than 2*limit.
func (c *centroid) add(v []text.Weighted, limit int) {
	n2 := c.norm * c.norm
	// How many of v's keys are new: a merge that counts the common ones,
	// stepping without branches.
	common := 0
	for i, j := 0, 0; i < len(c.e) && j < len(v); {
		a, b := c.e[i].Term, v[j].Term
		i += b2i(a <= b)
		j += b2i(b <= a)
		common += b2i(a == b)
	}
	fresh := len(v) - common
	old := len(c.e)
	c.e = slices.Grow(c.e, fresh)[:old+fresh]
	for i, j, o := old-1, len(v)-1, old+fresh-1; j >= 0; o-- {
		switch {
		case i >= 0 && c.e[i].Term > v[j].Term:
			c.e[o] = c.e[i]
			i--
		case i >= 0 && c.e[i].Term == v[j].Term:
			ow := float64(c.e[i].W)
			nw := c.e[i].W + v[j].W
			n2 += float64(nw)*float64(nw) - ow*ow
			c.e[o] = text.Weighted{Term: v[j].Term, W: nw}
			i--
			j--
		default:
			n2 += float64(v[j].W) * float64(v[j].W)
			c.e[o] = v[j]
			j--
		}
	}
	if len(c.e) > 2*limit {
		n2 = c.prune(limit)
	}
	c.norm = math.Sqrt(max(n2, 0))
	c.lnValid = false
}

// b2i is 1 for true, 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// prune keeps the limit heaviest entries (ties broken by key, so the
// result is deterministic), in key order, and returns their squared norm.
func (c *centroid) prune(limit int) float64 {
	// The limit-th heaviest entry by selection on the entries' rank keys;
	// entries that rank before it stay.
	keys := make([]uint64, len(c.e))
	for i, x := range c.e {
		keys[i] = rankKey(x)
	}
	cut := selectNth(keys, limit-1)
	k := 0
	var n2 float64
	for _, x := range c.e {
		if rankKey(x) <= cut {
			c.e[k] = x
			k++
			n2 += float64(x.W) * float64(x.W)
		}
	}
	c.e = c.e[:k]
	return n2
}

// rankKey packs an entry into an integer that orders entries as byWeight
// does: the weight's bits mapped to an order-preserving unsigned integer,
// complemented (heaviest first), above the key. -0 counts as +0 and NaN
// as lighter than everything, as cmp.Compare has them.
func rankKey(x text.Weighted) uint64 {
	var w uint32
	switch b := math.Float32bits(x.W); {
	case x.W != x.W:
		w = math.MaxUint32 // NaN: last
	case x.W == 0:
		w = ^uint32(1 << 31)
	case b>>31 == 0:
		w = ^(b | 1<<31)
	default:
		w = b
	}
	return uint64(w)<<32 | uint64(x.Term)
}

// selectNth returns the value that would be v[n] if v were sorted
// (quickselect; v is reordered).
func selectNth(v []uint64, n int) uint64 {
	lo, hi := 0, len(v)-1
	for lo < hi {
		// median of three as pivot
		mid := lo + (hi-lo)/2
		if v[mid] < v[lo] {
			v[mid], v[lo] = v[lo], v[mid]
		}
		if v[hi] < v[lo] {
			v[hi], v[lo] = v[lo], v[hi]
		}
		if v[hi] < v[mid] {
			v[hi], v[mid] = v[mid], v[hi]
		}
		p := v[mid]
		i, j := lo, hi
		for i <= j {
			for v[i] < p {
				i++
			}
			for v[j] > p {
				j--
			}
			if i <= j {
				v[i], v[j] = v[j], v[i]
				i++
				j--
			}
		}
		switch {
		case n <= j:
			hi = j
		case n >= i:
			lo = i
		default:
			return v[n]
		}
	}
	return v[n]
}

func (c *centroid) clone() centroid {
	return centroid{e: slices.Clone(c.e), norm: c.norm}
}

// byWeight orders entries heaviest first, ties by key.
func byWeight(a, b text.Weighted) int {
	if c := cmp.Compare(b.W, a.W); c != 0 {
		return c
	}
	return cmp.Compare(a.Term, b.Term)
}

// cluster is an event or a storyline.
type cluster struct {
	id          string
	idx         int32
	n           int // articles
	first, last time.Time
	terms       centroid
	names       centroid
	story       *cluster // for events: their storyline
	events      int      // for storylines: how many events
	dead        bool
	// For storylines: their events, oldest first, and the storyline's own
	// document frequencies: vocab gives each term seen in the storyline a
	// dense local id, counts holds its document frequency by id.
	members []*cluster
	spans   []span // spans[i]: members[i]'s time range and liveness
	pos     int32  // for events: index in story.members and story.spans
	vocab   vocab
	counts  []uint32
	// For storylines: recent articles, re-partitioned by Settle.
	buffer    []*member
	unsettled bool
	settledN  int // size when last settled
	// For events: the centroid part of articles that left the buffer.
	frozenTerms, frozenNames centroid
}

func (c *cluster) gap(t time.Time) time.Duration {
	if t.IsZero() || c.first.IsZero() {
		return 0
	}
	if t.Before(c.first) {
		return c.first.Sub(t)
	}
	if t.After(c.last) {
		return t.Sub(c.last)
	}
	return 0
}

// span is an event's time range and liveness, kept by its storyline in
// an array beside its members: scanning a storyline's recent events for
// the ones in an article's window reads this array, not every event.
type span struct {
	firstS, lastS int64 // Unix seconds
	firstN, lastN int32 // and nanoseconds
	dead, undated bool
}

func spanOf(c *cluster) span {
	return span{firstS: c.first.Unix(), firstN: int32(c.first.Nanosecond()), lastS: c.last.Unix(),
		lastN: int32(c.last.Nanosecond()), dead: c.dead, undated: c.first.IsZero()}
}

// instant is a time as Unix seconds and nanoseconds, ordered like time.Time.
type instant struct {
	s int64
	n int32
}

func instantOf(t time.Time) instant { return instant{t.Unix(), int32(t.Nanosecond())} }

func (a instant) before(s int64, n int32) bool { return a.s < s || a.s == s && a.n < n }

// window is the range of times within w of an article's time t:
// lo = t-w, hi = t+w (zero t: every time is within).
type window struct {
	lo, hi instant
	any    bool
}

func windowOf(t time.Time, w time.Duration) window {
	if t.IsZero() {
		return window{any: true}
	}
	return window{lo: instantOf(t.Add(-w)), hi: instantOf(t.Add(w))}
}

// outside reports whether the span is dead or its gap to the window's
// time is more than the window's width: what c.dead || c.gap(t) > w
// says of the span's event.
func (s *span) outside(w *window) bool {
	if s.dead {
		return true
	}
	if w.any || s.undated {
		return false
	}
	return w.hi.before(s.firstS, s.firstN) || // first after t+w
		instant{s.lastS, s.lastN}.before(w.lo.s, w.lo.n) // last before t-w
}

// addMember appends event ev to storyline st.
func (st *cluster) addMember(ev *cluster) {
	ev.pos = int32(len(st.members))
	st.members = append(st.members, ev)
	st.spans = append(st.spans, spanOf(ev))
}

// syncSpan copies event ev's time range and liveness to its storyline.
func (ev *cluster) syncSpan() {
	if st := ev.story; st != nil && int(ev.pos) < len(st.spans) && st.members[ev.pos] == ev {
		st.spans[ev.pos] = spanOf(ev)
	}
}

func (c *cluster) addTime(t time.Time) {
	if t.IsZero() {
		return
	}
	if c.first.IsZero() || t.Before(c.first) {
		c.first = t
	}
	if t.After(c.last) {
		c.last = t
	}
}

// newStory returns an empty storyline.
func newStory(id string) *cluster {
	return &cluster{id: id}
}

// addLocal counts a document's list of terms in a storyline's own
// document frequencies, giving new terms local ids. It returns the terms'
// ids (in the list's order), v (unit weights of the same terms, in the
// same order) keyed by local id and sorted by it, and the order of that
// sort (see withIDs).
func (c *cluster) addLocal(terms, v []text.Weighted) ([]uint32, []text.Weighted, []int32) {
	ids := make([]uint32, len(terms))
	c.vocab.touch(terms)
	for i, x := range terms {
		id, known := c.vocab.id(x.Term, uint32(len(c.counts)))
		if !known {
			c.counts = append(c.counts, 0)
		}
		ids[i] = id
	}
	for _, id := range ids {
		c.counts[id]++
	}
	lv, order := withIDs(v, ids)
	return ids, lv, order
}

// withIDs returns v keyed by the local ids ids (parallel to v, each id
// once), sorted by id, and the order of the sort: out[k] is v[order[k]].
func withIDs(v []text.Weighted, ids []uint32) ([]text.Weighted, []int32) {
	// Sorted as packed integers (id, position): no comparator calls.
	packed := make([]uint64, len(v))
	for i := range v {
		packed[i] = uint64(ids[i])<<32 | uint64(i)
	}
	sortIDs(packed)
	out := make([]text.Weighted, len(v))
	order := make([]int32, len(v))
	for k, p := range packed {
		i := int32(uint32(p))
		out[k] = text.Weighted{Term: text.Term(p >> 32), W: v[i].W}
		order[k] = i
	}
	return out, order
}

// sortIDs sorts packed (id, position) integers whose ids are unique:
// by a two-pass radix sort on the id's two low bytes when the ids are below
// 1<<16 (as in all but the largest storylines), else by slices.Sort. The
// ids being unique, both give the one ascending order.
func sortIDs(p []uint64) {
	if len(p) < 32 {
		slices.Sort(p)
		return
	}
	var top uint64
	for _, x := range p {
		top |= x
	}
	if top>>48 != 0 {
		slices.Sort(p)
		return
	}
	tmp := make([]uint64, len(p))
	for pass, src, dst := 0, p, tmp; pass < 2; pass, src, dst = pass+1, dst, src {
		shift := 32 + 8*uint(pass)
		var at [256]int
		for _, x := range src {
			at[byte(x>>shift)]++
		}
		sum := 0
		for b, n := range at {
			at[b] = sum
			sum += n
		}
		for _, x := range src {
			b := byte(x >> shift)
			dst[at[b]] = x
			at[b]++
		}
	}
}

// permuted is withIDs for ids whose sort order is known (withIDs gave
// it for the same ids): v keyed by ids, in that order.
func permuted(v []text.Weighted, ids []uint32, order []int32) []text.Weighted {
	out := make([]text.Weighted, len(order))
	for k, i := range order {
		out[k] = text.Weighted{Term: text.Term(ids[i]), W: v[i].W}
	}
	return out
}

// vocab gives each term seen in a storyline a dense local id. It is an
// open-addressing table (linear probing) whose slots pack a term and its
// id+1, 0 marking an empty slot: one load per probe, in a loop simple
// enough for the processor to overlap the cache misses of successive
// lookups (storyline vocabularies run to tens of thousands of terms).
type vocab struct {
	slots []uint64
	shift uint8 // 32 - log2(len(slots))
	n     int
	sink  uint64 // for touch
}

func (v *vocab) home(t text.Term) uint32 { return uint32(t) * 0x9E3779B1 >> v.shift }

// id returns t's local id and true, or gives t the id next and returns it
// and false.
func (v *vocab) id(t text.Term, next uint32) (uint32, bool) {
	if 2*(v.n+1) > len(v.slots) {
		v.grow()
	}
	mask := uint32(len(v.slots) - 1)
	for k := v.home(t); ; k = (k + 1) & mask {
		s := v.slots[k]
		if s == 0 {
			v.slots[k] = uint64(t)<<32 | uint64(next+1)
			v.n++
			return next, false
		}
		if uint32(s>>32) == uint32(t) {
			return uint32(s) - 1, true
		}
	}
}

// touch loads the home slots of the terms in a loop of independent
// loads, so that their cache misses overlap before they are looked up.
func (v *vocab) touch(terms []text.Weighted) {
	if len(v.slots) == 0 {
		return
	}
	var s uint64
	for _, x := range terms {
		s += v.slots[v.home(x.Term)]
	}
	v.sink += s
}

// lookup returns t's local id, if t has one.
func (v *vocab) lookup(t text.Term) (uint32, bool) {
	if v.n == 0 {
		return 0, false
	}
	mask := uint32(len(v.slots) - 1)
	for k := v.home(t); ; k = (k + 1) & mask {
		s := v.slots[k]
		if s == 0 {
			return 0, false
		}
		if uint32(s>>32) == uint32(t) {
			return uint32(s) - 1, true
		}
	}
}

// grow doubles the table (64 slots at first).
func (v *vocab) grow() {
	old := v.slots
	size := max(64, 2*len(old))
	v.slots = make([]uint64, size)
	v.shift = uint8(32 - bits.TrailingZeros(uint(size)))
	mask := uint32(size - 1)
	for _, s := range old {
		if s == 0 {
			continue
		}
		k := v.home(text.Term(s >> 32))
		for v.slots[k] != 0 {
			k = (k + 1) & mask
		}
		v.slots[k] = s
	}
}

// local is the storyline-local document frequency of term t.
func (c *cluster) local(t text.Term) uint32 {
	if id, ok := c.vocab.lookup(t); ok {
		return c.counts[id]
	}
	return 0
}

// localRamp is how many documents a storyline needs before its own
// document frequencies count fully.
const localRamp = 8

// localFactors computes how much a term distinguishes documents within a
// storyline from its local document frequency: 1 while the storyline is
// young, falling towards 0 for terms that every document of a grown
// storyline has. The factor depends only on the count (for a given
// storyline size), so it is tabulated by count, lazily, for one
// comparison round.
type localFactors struct {
	n      int
	weight float64
	tab    memo[float64] // by count
	// For n and weight: math.Log(n+2) and the ramp (see of)
	logM, ramp float64
	cnts       []uint32 // counts' scratch
}

// reset prepares the table for storyline st.
func (f *localFactors) reset(st *cluster, weight float64) {
	f.n, f.weight = st.n, weight
	f.tab.reset()
	f.logM = math.Log(float64(f.n+1) + 1)
	f.ramp = math.Min(1, float64(f.n)/localRamp) * f.weight
}

// of returns the factor of a term with local document frequency cnt.
func (f *localFactors) of(cnt uint32) float64 {
	if f.weight == 0 || f.n < 2 {
		return 1
	}
	if v, ok := f.tab.get(int(cnt)); ok {
		return v
	}
	m := float64(f.n + 1)
	v := math.Sqrt(math.Log((m+1)/(float64(cnt)+1)) / f.logM)
	v = (1 - f.ramp) + f.ramp*v
	f.tab.set(int(cnt), v)
	return v
}

// counts returns the local document frequencies in storyline c of the
// entries of v (keyed by local id), in f's scratch.
func (f *localFactors) counts(c *cluster, v []text.Weighted) []uint32 {
	if cap(f.cnts) < len(v) {
		f.cnts = make([]uint32, len(v)+len(v)/2)
	}
	cnts := f.cnts[:len(v)]
	for i, y := range v {
		cnts[i] = c.counts[y.Term]
	}
	return cnts
}

// localize re-weights a unit vector keyed by local ids by the local
// factors and renormalizes it.
func (c *cluster) localize(v []text.Weighted, f *localFactors) []text.Weighted {
	out := slices.Clone(v)
	cnts := f.counts(c, v)
	var s float64
	for i, x := range out {
		w := float64(x.W) * f.of(cnts[i])
		out[i].W = float32(w)
		s += w * w
	}
	if s > 0 {
		n := float32(1 / math.Sqrt(s))
		for i := range out {
			out[i].W *= n
		}
	}
	return out
}

// localCos is the cosine of a localized unit vector with an event
// centroid (keyed by the same local ids) localized the same way. The
// vector comes scattered into dense: dense[id] is its weight times the
// term's local factor (0 for ids it lacks), so the dot product is a gather
// over the centroid's entries.
func (c *cluster) localCos(cent *centroid, dense []float64, f *localFactors) float64 {
	if cent.norm == 0 {
		return 0
	}
	if !cent.lnValid || !normFresh(cent.lnAt, f.n) {
		// The counts first, in a loop of independent loads.
		cnts := f.counts(c, cent.e)
		var norm float64
		for i, y := range cent.e {
			x := float64(y.W) * f.of(cnts[i])
			norm += x * x
		}
		cent.lnorm, cent.lnAt, cent.lnValid = math.Sqrt(norm), f.n, true
	}
	if cent.lnorm == 0 {
		return 0
	}
	var d float64
	for _, y := range cent.e {
		d += dense[y.Term] * float64(y.W)
	}
	return d / cent.lnorm
}

// scatter writes a localized vector into dense (see localCos).
func (c *cluster) scatter(lv []text.Weighted, dense []float64, f *localFactors) {
	for _, x := range lv {
		dense[x.Term] = float64(x.W) * f.of(c.counts[x.Term])
	}
}

// unscatter zeroes what scatter wrote.
func unscatter(lv []text.Weighted, dense []float64) {
	for _, x := range lv {
		dense[x.Term] = 0
	}
}

// normFresh reports whether a localized norm computed when the storyline
// held at articles is still good now that it holds n: exactly while the
// storyline is small, then until it has grown by 2 % (the local factors
// of a large storyline drift slowly, and recomputing the norm of every
// compared event for every article is the engine's largest cost).
func normFresh(at, n int) bool {
	return at == n || (at >= 50 && n >= at && (n-at)*50 <= at)
}

// level is one clustering level (events or storylines) with its own
// inverted index.
type level struct {
	byID map[string]*cluster
	all  []*cluster // by idx
	// Posting lists by term: terms gives each indexed term the position
	// of its list in lists.
	terms vocab
	lists [][]int32
	// candidates' scratch: hit weights by idx (each with the call's
	// generation when set in it), the idxs hit and their rank keys
	hits    []hitSlot
	gen     uint32
	touched []int32
	keys    []uint64
	found   [][]int32
	sink    int32
}

func newLevel() *level {
	return &level{byID: map[string]*cluster{}}
}

func (l *level) add(c *cluster) {
	c.idx = int32(len(l.all))
	l.all = append(l.all, c)
	l.byID[c.id] = c
}

// index adds c to the posting lists of the query terms, each list keeping
// its capN most recent clusters.
func (l *level) index(c *cluster, q []text.Weighted, capN int) {
	for _, x := range q {
		id, known := l.terms.id(x.Term, uint32(len(l.lists)))
		if !known {
			l.lists = append(l.lists, nil)
		}
		p := l.lists[id]
		if slices.Contains(p, c.idx) {
			continue
		}
		if len(p) >= capN {
			copy(p, p[1:])
			p = p[:len(p)-1]
		}
		l.lists[id] = append(p, c.idx)
	}
}

// posting returns the posting list of term t.
func (l *level) posting(t text.Term) []int32 {
	if id, ok := l.terms.lookup(t); ok {
		return l.lists[id]
	}
	return nil
}

// hitSlot is a cluster's hit weight in one call of candidates.
type hitSlot struct {
	gen uint32
	w   float32
}

// candidates returns the live clusters sharing the most query terms
// (weighted by the terms' weights), at most limit of them, so that the
// cost of comparing an article does not grow with the posting lists.
func (l *level) candidates(queries [][]text.Weighted, limit int, out []*cluster) []*cluster {
	// Hits accumulate in a table indexed by cluster; a generation stamp
	// tells this call's entries.
	if len(l.hits) < len(l.all) {
		l.hits = append(l.hits, make([]hitSlot, len(l.all)-len(l.hits)+len(l.all)/2)...)
	}
	if l.gen++; l.gen == 0 {
		clear(l.hits)
		l.gen = 1
	}
	gen, hits := l.gen, l.hits
	// The lists first, so that their cache misses overlap.
	lists := l.found[:0]
	for _, q := range queries {
		for _, x := range q {
			lists = append(lists, l.posting(x.Term))
		}
	}
	l.found = lists
	var sink int32
	for _, p := range lists {
		if len(p) > 0 {
			sink += p[0] + p[len(p)-1]
		}
	}
	l.sink += sink
	touched := l.touched[:0]
	k := 0
	for _, q := range queries {
		for _, x := range q {
			p := lists[k]
			k++
			for _, i := range p {
				h := &hits[i]
				if h.gen != gen {
					h.gen, h.w = gen, 0
					touched = append(touched, i)
				}
				h.w += x.W
			}
		}
	}
	l.touched = touched
	// The live ones, as rank keys: weight heaviest first (as in rankKey),
	// then newer (larger idx) first.
	keys := l.keys[:0]
	for _, i := range touched {
		if c := l.all[i]; c != nil && !c.dead {
			keys = append(keys, rankKey(text.Weighted{W: hits[i].w})|uint64(^uint32(i)))
		}
	}
	l.keys = keys
	if limit > 0 && len(keys) > limit {
		// The limit best, sorted: keys are unique, so this is the order a
		// full sort would give.
		cut := selectNth(keys, limit-1)
		k := 0
		for _, key := range keys {
			if key <= cut {
				keys[k] = key
				k++
			}
		}
		keys = keys[:k]
		slices.Sort(keys)
	}
	for _, key := range keys {
		out = append(out, l.all[^uint32(key)])
	}
	return out
}
