package cluster

import (
	"math"
	"slices"
	"time"

	"github.com/storyline/storyline/text"
)

// member is an article kept in its storyline's recent buffer, so that the
// storyline's events can be re-partitioned as evidence accumulates.
type member struct {
	id    string
	time  time.Time
	dupOf string
	terms []text.Weighted // raw weights, re-weighted at settle time
	names []text.Weighted
	// Local ids of terms and names in the storyline, parallel to them.
	tids, nids []uint32
	// The orders of the terms and names sorted by local id (see withIDs).
	tord, nord []int32
	event      *cluster
}

// Move reports that settling moved an article to another event.
type Move struct {
	Article string
	From    string
	To      string
}

// Settle re-partitions the recent articles of every storyline that grew
// since the last call: average-linkage clustering of their TF-IDF vectors
// re-weighted by the storyline's own document frequencies, with current
// statistics. New partitions are matched to the existing events by
// overlap so ids stay stable. It returns the articles that changed event
// and the events that disappeared. Cost is bounded by the buffer size per
// storyline (Options.SettleBuffer).
func (e *Engine) Settle() (moves []Move, gone []string) {
	return e.settle(false)
}

// SettleAll is Settle for every storyline that grew since it was last
// settled, however little; Settle itself re-partitions a storyline only
// once it has grown by half since then, so that its cost per article stays
// bounded.
func (e *Engine) SettleAll() (moves []Move, gone []string) {
	return e.settle(true)
}

func (e *Engine) settle(all bool) (moves []Move, gone []string) {
	for _, st := range e.stories.all {
		if st != nil && !all && st.unsettled && 2*st.n < 3*st.settledN {
			continue
		}
		if st == nil || st.dead || !st.unsettled || len(st.buffer) < 2 {
			if st != nil {
				st.unsettled = false
			}
			continue
		}
		st.unsettled = false
		st.settledN = st.n
		m, g := e.settleStory(st)
		moves = append(moves, m...)
		gone = append(gone, g...)
	}
	return moves, gone
}

func (e *Engine) settleStory(st *cluster) (moves []Move, gone []string) {
	buf := st.buffer
	n := len(buf)
	// Unit vectors keyed by local id; term weights tabulated by id.
	sn := float64(st.n)
	e.sfac.reset()
	weight := func(t text.Term, id uint32) float64 {
		if f, ok := e.sfac.get(int(id)); ok {
			return f
		}
		loc := math.Log((sn + 1) / float64(max(1, st.counts[id])))
		f := e.df.IDF(t) * math.Pow(max(loc, 0), e.opt.SettleLocalPower)
		e.sfac.set(int(id), f)
		return f
	}
	vecs := make([][]sparse, n)
	for i, m := range buf {
		v := make([]sparse, 0, len(m.terms)+len(m.names))
		for k, l := range [2][]text.Weighted{m.terms, m.names} {
			ids := m.tids
			if k == 1 {
				ids = m.nids
			}
			for x, y := range l {
				w := float64(y.W)
				if w >= 1 {
					w = 1 + math.Log(w)
				}
				v = append(v, sparse{text.Term(ids[x]), w * weight(y.Term, ids[x])})
			}
		}
		vecs[i] = unit(v)
	}
	// Similarity matrix: each vector scattered into a dense array by local
	// id, the later ones gathered from it.
	sim := make([][]float64, n)
	for i := range sim {
		sim[i] = make([]float64, n)
	}
	acc := dense(&e.tdense, len(st.counts))
	for i := 0; i < n; i++ {
		for _, x := range vecs[i] {
			acc[x.t] += x.w
		}
		for j := i + 1; j < n; j++ {
			var d float64
			for _, x := range vecs[j] {
				d += acc[x.t] * x.w
			}
			if ti, tj := buf[i].time, buf[j].time; !ti.IsZero() && !tj.IsZero() {
				gap := ti.Sub(tj)
				if gap < 0 {
					gap = -gap
				}
				switch {
				case gap > 2*e.opt.EventWindow:
					// Far apart in time: different happenings.
					d = -1
				case gap > e.opt.EventWindow:
					d /= 2
				}
			}
			sim[i][j], sim[j][i] = d, d
		}
		for _, x := range vecs[i] {
			acc[x.t] = 0
		}
	}
	size := make([]int, n)
	alive := make([]bool, n)
	groups := make([][]int, n)
	for i := range size {
		size[i], alive[i], groups[i] = 1, true, []int{i}
	}
	for {
		bi, bj, bs := -1, -1, e.opt.SettleThreshold
		for i := 0; i < n; i++ {
			if !alive[i] {
				continue
			}
			for j := i + 1; j < n; j++ {
				if alive[j] && sim[i][j] > bs {
					bi, bj, bs = i, j, sim[i][j]
				}
			}
		}
		if bi < 0 {
			break
		}
		for k := 0; k < n; k++ {
			if alive[k] && k != bi && k != bj {
				v := (sim[bi][k]*float64(size[bi]) + sim[bj][k]*float64(size[bj])) / float64(size[bi]+size[bj])
				sim[bi][k], sim[k][bi] = v, v
			}
		}
		size[bi] += size[bj]
		groups[bi] = append(groups[bi], groups[bj]...)
		alive[bj] = false
		groups[bj] = nil
	}
	// Near-duplicates follow their originals.
	groupOf := make([]int, n)
	for g, mem := range groups {
		for _, i := range mem {
			groupOf[i] = g
		}
	}
	pos := make(map[string]int, n)
	for i, m := range buf {
		pos[m.id] = i
	}
	for i, m := range buf {
		if m.dupOf == "" {
			continue
		}
		j, ok := pos[m.dupOf]
		if !ok || groupOf[i] == groupOf[j] {
			continue
		}
		from, to := groupOf[i], groupOf[j]
		groups[from] = slices.DeleteFunc(groups[from], func(k int) bool { return k == i })
		if len(groups[from]) == 0 {
			alive[from] = false
		}
		groups[to] = append(groups[to], i)
		groupOf[i] = to
	}
	// Match groups to old events by overlap, largest first.
	type pair struct {
		g   int
		ev  *cluster
		cnt int
	}
	var pairs []pair
	for g, mem := range groups {
		if !alive[g] {
			continue
		}
		cnt := map[*cluster]int{}
		for _, i := range mem {
			cnt[buf[i].event]++
		}
		for ev, c := range cnt {
			pairs = append(pairs, pair{g, ev, c})
		}
	}
	slices.SortStableFunc(pairs, func(a, b pair) int {
		if a.cnt != b.cnt {
			return b.cnt - a.cnt
		}
		return int(a.ev.idx - b.ev.idx)
	})
	target := map[int]*cluster{}
	used := map[*cluster]bool{}
	for _, p := range pairs {
		if _, done := target[p.g]; done || used[p.ev] {
			continue
		}
		target[p.g], used[p.ev] = p.ev, true
	}
	touched := map[*cluster]bool{}
	for g, mem := range groups {
		if !alive[g] {
			continue
		}
		ev := target[g]
		if ev == nil {
			first := buf[mem[0]].id
			for _, i := range mem {
				if i < mem[0] {
					first = buf[i].id
				}
			}
			ev = &cluster{id: e.newID("E", first, e.events), story: st}
			e.events.add(ev)
			st.addMember(ev)
			st.events++
		}
		for _, i := range mem {
			m := buf[i]
			touched[m.event] = true
			if m.event != ev {
				moves = append(moves, Move{Article: m.id, From: m.event.id, To: ev.id})
				m.event.n--
				ev.n++
				m.event = ev
			}
			touched[ev] = true
		}
	}
	// Rebuild the centroids of touched events from their frozen part and
	// their buffered articles.
	for ev := range touched {
		ev.terms = ev.frozenTerms.clone()
		ev.names = ev.frozenNames.clone()
		e.dirty[ev.id] = true
	}
	for _, m := range buf {
		if touched[m.event] {
			m.event.terms.add(permuted(e.df.unit(m.terms), m.tids, m.tord), e.opt.CentroidTerms)
			m.event.names.add(permuted(e.df.unit(m.names), m.nids, m.nord), e.opt.CentroidTerms/2)
		}
	}
	for ev := range touched {
		if ev.n <= 0 {
			ev.dead = true
			ev.syncSpan()
			gone = append(gone, ev.id)
			delete(e.dirty, ev.id)
		}
	}
	slices.Sort(gone)
	return moves, gone
}

// remember adds an article to its storyline's buffer; an article leaving
// the buffer is frozen into its event's centroid.
func (e *Engine) remember(st *cluster, d *Doc, ev *cluster, tids, nids []uint32, tord, nord []int32) {
	st.unsettled = true
	st.buffer = append(st.buffer, &member{id: d.ID, time: d.Time, dupOf: d.DupOf, terms: d.Terms, names: d.Names,
		tids: tids, nids: nids, tord: tord, nord: nord, event: ev})
	if len(st.buffer) > e.opt.SettleBuffer {
		old := st.buffer[0]
		st.buffer[0] = nil
		st.buffer = st.buffer[1:]
		old.event.frozenTerms.add(permuted(e.df.unit(old.terms), old.tids, old.tord), e.opt.CentroidTerms)
		old.event.frozenNames.add(permuted(e.df.unit(old.names), old.nids, old.nord), e.opt.CentroidTerms/2)
	}
}

// sparse is one weighted term of a sorted sparse vector.
type sparse struct {
	t text.Term
	w float64
}

// unit scales v to unit length.
func unit(v []sparse) []sparse {
	var s float64
	for _, x := range v {
		s += x.w * x.w
	}
	if s > 0 {
		s = 1 / math.Sqrt(s)
		for i := range v {
			v[i].w *= s
		}
	}
	return v
}
