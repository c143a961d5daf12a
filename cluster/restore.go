package cluster

import "github.com/storyline/storyline/text"

// Restore puts a stored article back into the engine under the event and
// storyline it was assigned to, without deciding anything; countDF also
// counts it in the document frequencies (for articles newer than the
// stored DF snapshot). It is how an engine is rebuilt from a store after
// a restart.
func (e *Engine) Restore(d *Doc, event, story string, countDF bool) {
	if countDF {
		e.df.Add(d.Terms, d.Names)
	}
	st := e.stories.byID[story]
	if st == nil {
		st = &cluster{id: story, local: map[text.Term]uint32{}}
		e.stories.add(st)
	}
	ev := e.events.byID[event]
	if ev == nil {
		ev = &cluster{id: event, story: st}
		e.events.add(ev)
		st.members = append(st.members, ev)
		st.events++
	}
	tv, nv := e.df.unit(d.Terms), e.df.unit(d.Names)
	st.addLocal(d.Terms, d.Names)
	for _, c := range []*cluster{ev, st} {
		c.n++
		c.addTime(d.Time)
		c.terms.add(tv, e.opt.CentroidTerms)
		c.names.add(nv, e.opt.CentroidTerms/2)
	}
	e.stories.index(st, topTerms(tv, e.opt.QueryTerms), e.opt.PostingCap)
	e.stories.index(st, topTerms(nv, e.opt.QueryTerms/2), e.opt.PostingCap)
	e.remember(st, d, ev)
	st.unsettled = false
}
