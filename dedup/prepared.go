package dedup

import "time"

// Prepared is an article's words, MinHash signature and passage
// fingerprints, computed without the index so that many articles can be
// prepared in parallel; AddPrepared then indexes it. A Prepared is used
// once.
type Prepared struct {
	p    *prepared
	text string
}

// Prepare computes what Add needs from text, including the gram index
// that passage alignment looks candidates up in and the copies the index
// keeps. It is safe to call from many
// goroutines, also while the index is in use.
func (ix *Index) Prepare(text string) *Prepared {
	p := getPrepared()
	p.fromText(&ix.opt, text)
	if !ix.opt.NoPassages {
		p.alignIndex(&ix.opt)
	}
	p.detach()
	return &Prepared{p: p, text: text}
}

// AddPrepared is Add for a prepared article; it releases pp.
func (ix *Index) AddPrepared(id string, published time.Time, pp *Prepared) Result {
	return ix.add(id, published, pp, true)
}

// add indexes a prepared article (releasing it) and returns what it shares
// with the indexed ones; passages turns passage alignment on.
func (ix *Index) add(id string, published time.Time, pp *Prepared, passages bool) Result {
	p := pp.p
	pp.p = nil
	defer putPrepared(p)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.removeLocked(id)
	e, t := ix.newEntry(id, published, p)
	r := ix.queryLocked(p, t, pp.text, noSlot, passages)
	ix.insertLocked(e, t, p)
	return r
}
