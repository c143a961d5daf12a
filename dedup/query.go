package dedup

import (
	"cmp"
	"math"
	"slices"
	"sort"
)

// candKind says how a candidate was found; higher is stronger.
type candKind uint8

const (
	kindFingerprint candKind = iota // shares passage fingerprints only
	kindLSH                         // proposed by LSH, not (yet) confirmed
	kindNear                        // confirmed near-duplicate
	kindExact                       // identical normalized text
)

type cand struct {
	slot uint32
	kind candKind
	hits uint32
	sim  float64
}

// origin is a candidate kept for alignment, with its time order copied
// so that sorting does not chase entries.
type origin struct {
	slot  uint32
	kind  candKind
	hits  uint32
	order int64
	seq   uint64
}

func (a origin) cmpTime(b origin) int {
	if c := cmp.Compare(a.order, b.order); c != 0 {
		return c
	}
	return cmp.Compare(a.seq, b.seq)
}

// stronger orders candidates for alignment: stronger kind, then more
// shared fingerprints, then earlier.
func (a origin) stronger(b origin) bool {
	if a.kind != b.kind {
		return a.kind > b.kind
	}
	if a.hits != b.hits {
		return a.hits > b.hits
	}
	return a.cmpTime(b) < 0
}

// strongest moves the k strongest of cs to its front (strongest first)
// and returns them; fewer than k are returned as they are.
func strongest(cs []origin, k int) []origin {
	if len(cs) <= k {
		return cs
	}
	m := 0
	for _, x := range cs {
		if m == k && !x.stronger(cs[k-1]) {
			continue
		}
		// Insert x into the sorted cs[:m] (cs[m] was read already).
		i := min(m, k-1)
		for i > 0 && x.stronger(cs[i-1]) {
			cs[i] = cs[i-1]
			i--
		}
		cs[i] = x
		m = min(m+1, k)
	}
	return cs[:k]
}

// run is a shared stretch of words: a[i:i+n] == b[j:j+n].
type run struct{ i, j, n int32 }

// queryScratch is reused across queries under the index lock.
type queryScratch struct {
	mark        []uint32 // epoch in which a slot became a candidate
	idx         []int32  // its position in cands
	epoch       uint32
	cands       []cand
	cs          []origin // earlier candidates kept for alignment
	bset        []uint64
	aset, bseen gramSet
	aReady      bool
	runs        []run
	owner       []int32 // per word: index in cs of its origin, -1 if new
	from        []int32 // per owned word: its position in the origin
	offs        []int32 // decoded word offsets of origins
	offAt       []int32 // per origin in cs: start of its offsets in offs, -1 if not decoded
	reuseOf     []int32 // per origin in cs: index in Result.Reuse, -1 if none
	lastFrom    []int32 // per origin in cs: last of its words taken
	sink        uint64  // keeps touch's loads alive
}

func (q *queryScratch) begin(n int) {
	if len(q.mark) < n {
		q.mark = append(q.mark, make([]uint32, n-len(q.mark))...)
		q.idx = append(q.idx, make([]int32, n-len(q.idx))...)
	}
	q.epoch++
	if q.epoch == 0 {
		clear(q.mark)
		q.epoch = 1
	}
	q.cands = q.cands[:0]
	q.aReady = false
}

// get returns the candidate for slot, adding it with kind k if new.
func (q *queryScratch) get(slot uint32, k candKind) *cand {
	if q.mark[slot] == q.epoch {
		c := &q.cands[q.idx[slot]]
		if k > c.kind {
			c.kind = k
		}
		return c
	}
	q.mark[slot] = q.epoch
	q.idx[slot] = int32(len(q.cands))
	q.cands = append(q.cands, cand{slot: slot, kind: k})
	return &q.cands[len(q.cands)-1]
}

func (ix *Index) queryLocked(p *prepared, t stamp, text string, self uint32, passages bool) Result {
	q := &ix.q
	q.begin(len(ix.arts))
	o := &ix.opt
	alignPassages := passages && !o.NoPassages
	// Touch every table cell the lookups below need first: their cache
	// misses overlap.
	ix.lsh.prefetch(p.bands)
	if alignPassages {
		ix.fp.prefetch(p.fps)
	}
	if p.exact != 0 {
		ix.exact.each(p.exact, func(s uint32) {
			if s != self {
				q.get(s, kindExact)
			}
		})
	}
	for _, k := range p.bands {
		ix.lsh.each(k, func(s uint32) {
			if s != self {
				q.get(s, kindLSH)
			}
		})
	}
	// Winnowing is local: a run shared by two texts that spans a whole
	// window yields the same chosen fingerprint in both, so looking up the
	// article's own fingerprints suffices.
	if alignPassages {
		var one [1]uint32
		for _, k := range p.fps {
			for _, s := range ix.fp.slots(k, &one) {
				if s != self {
					q.get(s, kindFingerprint).hits++
				}
			}
		}
	}

	var r Result
	for i := range q.cands {
		c := &q.cands[i]
		other := ix.arts[c.slot]
		switch c.kind {
		case kindExact:
			if other.exact == p.exact {
				c.sim = 1
				r.Exact = append(r.Exact, other.id)
				continue
			}
			c.kind = kindLSH
			fallthrough
		case kindLSH:
			if sim, ok := ix.nearSim(p, other, q); ok {
				c.kind, c.sim = kindNear, sim
				r.Near = append(r.Near, Match{ID: other.id, Similarity: sim})
			}
		}
	}
	sort.Strings(r.Exact)
	slices.SortFunc(r.Near, func(a, b Match) int {
		if a.Similarity != b.Similarity {
			if a.Similarity > b.Similarity {
				return -1
			}
			return 1
		}
		if a.ID < b.ID {
			return -1
		}
		if a.ID > b.ID {
			return 1
		}
		return 0
	})
	if alignPassages {
		ix.reuseLocked(p, t, text, &r)
	} else {
		r.Novelty = 1
	}
	return r
}

// nearSim decides whether other is a near-duplicate of p. The MinHash
// estimate decides when it is clearly away from the threshold; otherwise
// (and for short texts, whose estimates are coarse) the exact Jaccard of
// the shingle sets is computed from the stored tokens.
func (ix *Index) nearSim(p *prepared, other *entry, q *queryScratch) (float64, bool) {
	o := &ix.opt
	t := o.Threshold
	if len(other.sig) == 0 || len(p.sig) == 0 {
		return 0, false
	}
	est := estimate(p.sig, other.sig)
	margin := 3*math.Sqrt(t*(1-t)/float64(o.NumHash)) + 1/float64(o.NumHash)
	short := len(p.grams) < 2*o.NumHash || len(other.toks) < 2*o.NumHash
	if !short {
		if est >= t+margin {
			return est, true
		}
		if est < t-margin {
			return est, false
		}
	} else if est < t-2*margin {
		return est, false
	}
	if !q.aReady {
		q.aset.reset(len(p.grams))
		for _, g := range p.grams {
			q.aset.insert(g)
		}
		q.aReady = true
	}
	q.bset = shingles(q.bset[:0], other.toks, o.Shingle)
	q.bseen.reset(len(q.bset))
	inter := 0
	for _, g := range q.bset {
		if q.bseen.insert(g) && q.aset.has(g) {
			inter++
		}
	}
	union := q.aset.n + q.bseen.n - inter
	if union == 0 {
		return 0, false
	}
	j := float64(inter) / float64(union)
	return j, j >= t
}

// reuseLocked aligns the article (stamped at) with its earlier candidates
// and fills r.Reuse, r.Novelty and r.ReusedSpans.
func (ix *Index) reuseLocked(p *prepared, at stamp, text string, r *Result) {
	q := &ix.q
	o := &ix.opt
	n := len(p.toks)
	r.Novelty = 1
	if n == 0 {
		return
	}
	// Keep earlier candidates that share something, strongest first.
	cs := q.cs[:0]
	for _, c := range q.cands {
		if c.kind < kindNear && c.hits == 0 {
			continue
		}
		if ct := ix.times[c.slot]; ct.before(at) {
			cs = append(cs, origin{slot: c.slot, kind: c.kind, hits: c.hits, order: ct.order, seq: ct.seq})
		}
	}
	q.cs = cs
	if len(cs) == 0 {
		return
	}
	cs = strongest(cs, o.MaxCandidates)
	// Earliest first: each word goes to the earliest holder.
	slices.SortFunc(cs, origin.cmpTime)

	q.owner = resize(q.owner, n)
	q.from = resize(q.from, n)
	for i := range q.owner {
		q.owner[i] = -1
	}
	ax := p.alignIndex(o)
	q.touch(ax, cs, ix.arts)
	owned := 0
	for ci, c := range cs {
		other := ix.arts[c.slot]
		q.runs = q.runs[:0]
		if other.exact == p.exact && len(other.toks) == n {
			q.runs = append(q.runs, run{0, 0, int32(n)})
		} else {
			q.runs = alignRuns(q.runs, ax, p.toks, other.toks, o.MinPassage)
		}
		for _, ru := range q.runs {
			for k := int32(0); k < ru.n; k++ {
				if pos := ru.i + k; q.owner[pos] < 0 {
					q.owner[pos] = int32(ci)
					q.from[pos] = ru.j + k
					owned++
				}
			}
		}
		if owned == n {
			break // later candidates cannot own anything
		}
	}
	if owned == 0 {
		return
	}
	r.Novelty = 1 - float64(owned)/float64(n)
	// Collect passages per origin and the merged reused spans. Origins'
	// word offsets are decoded once each, on first use.
	q.reuseOf = resize(q.reuseOf, len(cs))
	q.offAt = resize(q.offAt, len(cs))
	q.lastFrom = resize(q.lastFrom, len(cs))
	for i := range cs {
		q.reuseOf[i], q.offAt[i], q.lastFrom[i] = -1, -1, 0
	}
	for i, ci := range q.owner {
		if ci >= 0 {
			q.lastFrom[ci] = max(q.lastFrom[ci], q.from[i])
		}
	}
	q.offs = q.offs[:0]
	starts := p.starts
	ends := p.tk.end
	for i := 0; i < n; {
		ci := q.owner[i]
		if ci < 0 {
			i++
			continue
		}
		j := i + 1
		for j < n && q.owner[j] == ci && q.from[j] == q.from[j-1]+1 {
			j++
		}
		// Merged span (across origins).
		s, t := int(starts[i]), int(ends[j-1])
		if k := len(r.ReusedSpans); k > 0 && q.owner[i-1] >= 0 {
			r.ReusedSpans[k-1][1] = t
		} else {
			r.ReusedSpans = append(r.ReusedSpans, [2]int{s, t})
		}
		other := ix.arts[cs[ci].slot]
		if q.offAt[ci] < 0 {
			// Only the offsets up to the last word taken are needed.
			q.offAt[ci] = int32(len(q.offs))
			q.offs, _ = decodeOffsets(q.offs, other.offs, int(q.lastFrom[ci])+1)
		}
		offs := q.offs[q.offAt[ci]:]
		fo := int(offs[q.from[i]])
		fl := int(offs[q.from[j-1]]) + int(ends[j-1]-starts[j-1]) - fo
		ri := q.reuseOf[ci]
		if ri < 0 {
			ri = int32(len(r.Reuse))
			q.reuseOf[ci] = ri
			r.Reuse = append(r.Reuse, Reuse{From: other.id})
		}
		r.Reuse[ri].Passages = append(r.Reuse[ri].Passages, Passage{
			Text: text[s:t], FromOffset: fo, FromLen: fl, ToOffset: s, Len: t - s, Words: j - i,
		})
		r.Reuse[ri].SharedRatio += float64(j-i) / float64(n)
		i = j
	}
	slices.SortStableFunc(r.Reuse, func(a, b Reuse) int {
		switch {
		case a.SharedRatio > b.SharedRatio:
			return -1
		case a.SharedRatio < b.SharedRatio:
			return 1
		}
		return 0
	})
}

func resize(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}

// touch loads what alignment reads, the gram index of the article and the
// words of its origins, with independent loads (one per cache line), so
// that their cache misses overlap instead of stalling the alignment one
// by one.
func (q *queryScratch) touch(ax *gramIndex, cs []origin, arts []*entry) {
	var x uint64
	for i := 0; i < len(ax.keys); i += 8 {
		x ^= ax.keys[i]
	}
	for i := 0; i < len(ax.head); i += 16 {
		x ^= uint64(ax.head[i])
	}
	for i := 0; i < len(ax.filter); i += 8 {
		x ^= ax.filter[i]
	}
	for _, c := range cs {
		toks := arts[c.slot].toks
		for i := 0; i < len(toks); i += 32 {
			x ^= uint64(toks[i])
		}
	}
	q.sink = x
}
