package cluster

import (
	"math"
	"slices"
	"time"

	"github.com/storyline/storyline/text"
)

// centroid is a bounded sparse vector: the sum of unit document vectors.
type centroid struct {
	w    map[text.Term]float32
	norm float64
}

func (c *centroid) add(v []text.Weighted, limit int) {
	if c.w == nil {
		c.w = make(map[text.Term]float32, len(v))
	}
	n2 := c.norm * c.norm
	for _, x := range v {
		old := float64(c.w[x.Term])
		nw := float64(c.w[x.Term] + x.W)
		c.w[x.Term] = float32(nw)
		n2 += nw*nw - old*old
	}
	if len(c.w) > 2*limit {
		n2 = prune(c.w, limit)
	}
	c.norm = math.Sqrt(max(n2, 0))
}

// cos returns the cosine of unit vector v with the centroid.
func (c *centroid) cos(v []text.Weighted) float64 {
	if c.norm == 0 || len(v) == 0 {
		return 0
	}
	var d float64
	for _, x := range v {
		if y, ok := c.w[x.Term]; ok {
			d += float64(x.W) * float64(y)
		}
	}
	return d / c.norm
}

// prune keeps the limit heaviest entries of m (ties broken by term, so
// the result never depends on map order) and returns their squared norm.
func prune(m map[text.Term]float32, limit int) float64 {
	all := make([]text.Weighted, 0, len(m))
	for t, w := range m {
		all = append(all, text.Weighted{Term: t, W: w})
	}
	slices.SortFunc(all, func(a, b text.Weighted) int {
		switch {
		case a.W > b.W:
			return -1
		case a.W < b.W:
			return 1
		case a.Term < b.Term:
			return -1
		case a.Term > b.Term:
			return 1
		}
		return 0
	})
	var n2 float64
	for i, x := range all {
		if i >= limit {
			delete(m, x.Term)
			continue
		}
		n2 += float64(x.W) * float64(x.W)
	}
	return n2
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
	// document frequencies.
	members []*cluster
	local   map[text.Term]uint32
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

// addLocal counts a document in a storyline's own document frequencies.
func (c *cluster) addLocal(lists ...[]text.Weighted) {
	for _, l := range lists {
		for _, x := range l {
			c.local[x.Term]++
		}
	}
}

// localRamp is how many documents a storyline needs before its own
// document frequencies count fully.
const localRamp = 8

// localFactor is how much term t distinguishes documents within the
// storyline: 1 while the storyline is young, falling towards 0 for terms
// that every document of a grown storyline has.
func (c *cluster) localFactor(t text.Term, weight float64) float64 {
	if weight == 0 || c.n < 2 {
		return 1
	}
	m := float64(c.n + 1)
	f := math.Sqrt(math.Log((m+1)/(float64(c.local[t])+1)) / math.Log(m+1))
	ramp := math.Min(1, float64(c.n)/localRamp) * weight
	return (1 - ramp) + ramp*f
}

// localize re-weights a unit vector by the storyline's local factors and
// renormalizes it.
func (c *cluster) localize(v []text.Weighted, weight float64) []text.Weighted {
	out := make([]text.Weighted, len(v))
	var s float64
	for i, x := range v {
		w := float64(x.W) * c.localFactor(x.Term, weight)
		out[i] = text.Weighted{Term: x.Term, W: float32(w)}
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

// localCos is the cosine of a localized unit vector with a centroid
// localized the same way.
func (c *cluster) localCos(cent *centroid, lv []text.Weighted, weight float64) float64 {
	if cent.norm == 0 || len(lv) == 0 {
		return 0
	}
	var norm float64
	for t, w := range cent.w {
		x := float64(w) * c.localFactor(t, weight)
		norm += x * x
	}
	if norm == 0 {
		return 0
	}
	var d float64
	for _, x := range lv {
		if y, ok := cent.w[x.Term]; ok {
			d += float64(x.W) * float64(y) * c.localFactor(x.Term, weight)
		}
	}
	return d / math.Sqrt(norm)
}

// level is one clustering level (events or storylines) with its own
// inverted index.
type level struct {
	byID     map[string]*cluster
	all      []*cluster // by idx
	postings map[text.Term][]int32
}

func newLevel() *level {
	return &level{byID: map[string]*cluster{}, postings: map[text.Term][]int32{}}
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
		p := l.postings[x.Term]
		if slices.Contains(p, c.idx) {
			continue
		}
		if len(p) >= capN {
			copy(p, p[1:])
			p = p[:len(p)-1]
		}
		l.postings[x.Term] = append(p, c.idx)
	}
}

// candidates returns the live clusters sharing the most query terms
// (weighted by the terms' weights), at most limit of them, so that the
// cost of comparing an article does not grow with the posting lists.
func (l *level) candidates(queries [][]text.Weighted, hits map[int32]float32, limit int, out []*cluster) []*cluster {
	clear(hits)
	for _, q := range queries {
		for _, x := range q {
			for _, i := range l.postings[x.Term] {
				hits[i] += x.W
			}
		}
	}
	type hit struct {
		i int32
		w float32
	}
	hs := make([]hit, 0, len(hits))
	for i, w := range hits {
		if c := l.all[i]; c != nil && !c.dead {
			hs = append(hs, hit{i, w})
		}
	}
	if limit > 0 && len(hs) > limit {
		slices.SortFunc(hs, func(a, b hit) int {
			switch {
			case a.w > b.w:
				return -1
			case a.w < b.w:
				return 1
			}
			return int(b.i - a.i) // newer first among equals
		})
		hs = hs[:limit]
	}
	for _, h := range hs {
		out = append(out, l.all[h.i])
	}
	return out
}
