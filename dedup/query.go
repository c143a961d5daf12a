package dedup

import (
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

// run is a shared stretch of words: a[i:i+n] == b[j:j+n].
type run struct{ i, j, n int32 }

// queryScratch is reused across queries under the index lock.
type queryScratch struct {
	mark        []uint32 // epoch in which a slot became a candidate
	idx         []int32  // its position in cands
	epoch       uint32
	cands       []cand
	bset        []uint64
	aset, bseen gramSet
	aReady      bool
	amap        map[uint64]int32
	runs        []run
	owner       []int32
	from        []int32
	offs        []int32
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

func (ix *Index) queryLocked(p *prepared, e *entry, text string, self uint32, passages bool) Result {
	q := &ix.q
	q.begin(len(ix.arts))
	o := &ix.opt
	if p.exact != 0 {
		ix.exact.each(p.exact, func(s uint32) {
			if s != self {
				q.get(s, kindExact)
			}
		})
	}
	if len(p.sig) > 0 {
		for b := 0; b < o.Bands; b++ {
			ix.lsh.each(bandKey(p.sig, b, o.Rows), func(s uint32) {
				if s != self {
					q.get(s, kindLSH)
				}
			})
		}
	}
	// Winnowing is local: a run shared by two texts that spans a whole
	// window yields the same chosen fingerprint in both, so looking up the
	// article's own fingerprints suffices.
	for _, k := range p.fps {
		if !passages || ix.opt.NoPassages {
			break
		}
		ix.fp.each(k, func(s uint32) {
			if s != self {
				q.get(s, kindFingerprint).hits++
			}
		})
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
	if passages && !ix.opt.NoPassages {
		ix.reuseLocked(p, e, text, &r)
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

// reuseLocked aligns the article with its earlier candidates and fills
// r.Reuse, r.Novelty and r.ReusedSpans.
func (ix *Index) reuseLocked(p *prepared, e *entry, text string, r *Result) {
	q := &ix.q
	o := &ix.opt
	n := len(p.toks)
	r.Novelty = 1
	if n == 0 {
		return
	}
	// Keep earlier candidates that share something, strongest first.
	cs := q.cands[:0:0]
	for _, c := range q.cands {
		if !ix.arts[c.slot].before(e) {
			continue
		}
		if c.kind >= kindNear || c.hits > 0 {
			cs = append(cs, c)
		}
	}
	if len(cs) == 0 {
		return
	}
	slices.SortFunc(cs, func(a, b cand) int {
		if a.kind != b.kind {
			return int(b.kind) - int(a.kind)
		}
		if a.hits != b.hits {
			if a.hits > b.hits {
				return -1
			}
			return 1
		}
		return cmpEntries(ix.arts[a.slot], ix.arts[b.slot])
	})
	if len(cs) > o.MaxCandidates {
		cs = cs[:o.MaxCandidates]
	}
	// Earliest first: each word goes to the earliest holder.
	slices.SortFunc(cs, func(a, b cand) int { return cmpEntries(ix.arts[a.slot], ix.arts[b.slot]) })

	q.owner = resize(q.owner, n)
	q.from = resize(q.from, n)
	for i := range q.owner {
		q.owner[i] = -1
	}
	if q.amap == nil {
		q.amap = map[uint64]int32{}
	}
	clear(q.amap)
	for i := len(p.pgrams) - 1; i >= 0; i-- {
		q.amap[p.pgrams[i]] = int32(i) // first occurrence wins
	}
	owned := 0
	for ci, c := range cs {
		other := ix.arts[c.slot]
		q.runs = q.runs[:0]
		if other.exact == p.exact && len(other.toks) == n {
			q.runs = append(q.runs, run{0, 0, int32(n)})
		} else {
			q.runs = alignRuns(q.runs, p.toks, other.toks, q.amap, o.MinPassage)
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
	}
	if owned == 0 {
		return
	}
	r.Novelty = 1 - float64(owned)/float64(n)
	// Collect passages per origin and the merged reused spans.
	byOrigin := map[int32]int{}
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
		q.offs, _ = decodeOffsets(q.offs[:0], other.offs, len(other.toks))
		fo := int(q.offs[q.from[i]])
		fl := int(q.offs[q.from[j-1]]) + int(ends[j-1]-starts[j-1]) - fo
		ri, ok := byOrigin[ci]
		if !ok {
			ri = len(r.Reuse)
			byOrigin[ci] = ri
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

// alignRuns appends every maximal run of at least k equal words between a
// and b that starts at a k-gram of b found in amap (a's k-gram hashes →
// first position in a).
func alignRuns(dst []run, a, b []uint16, amap map[uint64]int32, k int) []run {
	for j := 0; j+k <= len(b); j++ {
		i, ok := amap[gramHash(b, j, k)]
		if !ok {
			continue
		}
		ii, jj := int(i), j
		if ii > 0 && jj > 0 && a[ii-1] == b[jj-1] {
			continue // inside a run already found
		}
		n := 0
		for ii+n < len(a) && jj+n < len(b) && a[ii+n] == b[jj+n] {
			n++
		}
		if n >= k {
			dst = append(dst, run{int32(ii), int32(jj), int32(n)})
		}
	}
	return dst
}

func resize(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}
