package dedup

import (
	"math"
	"slices"
	"sync"
	"time"
)

// Match is a near-duplicate found for an article.
type Match struct {
	ID string `json:"id"`
	// Similarity is the Jaccard similarity of the shingle sets: exact when
	// the MinHash estimate was too close to the threshold to decide,
	// estimated otherwise.
	Similarity float64 `json:"similarity"`
}

// Passage is a run of words an article shares with its origin.
type Passage struct {
	// Text is the passage as written in this article.
	Text string `json:"text"`
	// FromOffset is the byte offset of the passage in the origin.
	FromOffset int `json:"from_offset"`
	// FromLen is the byte length of the passage in the origin (estimated
	// from this article's spelling of its last word).
	FromLen int `json:"from_len"`
	// ToOffset is the byte offset of the passage in this article.
	ToOffset int `json:"to_offset"`
	// Len is the byte length of the passage in this article.
	Len int `json:"len"`
	// Words is the number of words in the passage.
	Words int `json:"words"`
}

// Reuse lists the passages an article takes from one origin.
type Reuse struct {
	// From is the origin: the earliest published article holding the passages.
	From string `json:"from"`
	// SharedRatio is the share of this article's words taken from From.
	SharedRatio float64   `json:"shared_ratio"`
	Passages    []Passage `json:"passages"`
}

// Result is what an article shares with the articles in the index.
type Result struct {
	// Exact lists articles whose normalized text is identical.
	Exact []string `json:"exact,omitempty"`
	// Near lists near-duplicates (not exact), most similar first.
	Near []Match `json:"near,omitempty"`
	// Reuse lists, per origin, the passages taken from earlier articles,
	// largest share first.
	Reuse []Reuse `json:"reuse,omitempty"`
	// Novelty is the share of this article's words not seen in earlier
	// articles (1 for an article without words).
	Novelty float64 `json:"novelty"`
	// ReusedSpans are the merged byte spans [start,end) of this article's
	// text already seen in earlier articles.
	ReusedSpans [][2]int `json:"reused_spans,omitempty"`
}

// Duplicates returns the ids of Exact and Near together.
func (r Result) Duplicates() []string {
	out := append([]string(nil), r.Exact...)
	for _, m := range r.Near {
		out = append(out, m.ID)
	}
	return out
}

// entry is one indexed article (its stamp is kept apart, in Index.times).
type entry struct {
	id    string
	exact uint64
	sig   []uint16
	toks  []uint16
	offs  []byte   // uvarint deltas of word starts
	fps   []uint32 // its passage fingerprints, to remove them without deriving them again
}

// stamp orders articles for origins.
type stamp struct {
	order int64 // published UnixNano; math.MaxInt64 when unknown
	seq   uint64
}

func (a stamp) before(b stamp) bool {
	if a.order != b.order {
		return a.order < b.order
	}
	return a.seq < b.seq
}

// Index finds exact copies, near-duplicates and reused passages. It is safe
// for concurrent use; the text work of Add runs outside its lock.
type Index struct {
	opt Options

	mu    sync.Mutex
	arts  []*entry
	times []stamp // per slot, beside arts: candidates are ordered without reading their entries
	free  []uint32
	ids   map[string]uint32
	exact *multimap[uint64]
	lsh   *multimap[uint32]
	fp    *multimap[uint32]
	seq   uint64
	q     queryScratch
	// rmKeys is removeLocked's scratch for an entry's band keys.
	rmKeys []uint32
}

// NewIndex returns an empty index. Invalid options are replaced by their
// defaults (see Options.Validate).
func NewIndex(opt Options) *Index {
	if opt.Validate() != nil {
		opt = Options{}
	}
	opt = opt.withDefaults()
	return &Index{
		opt:   opt,
		ids:   map[string]uint32{},
		exact: newMultimap[uint64](opt.MaxPostings),
		lsh:   newMultimap[uint32](opt.MaxPostings),
		fp:    newMultimap[uint32](opt.MaxPostings),
	}
}

// Options returns the options in force, defaults filled in.
func (ix *Index) Options() Options { return ix.opt }

// Len is the number of indexed articles.
func (ix *Index) Len() int {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return len(ix.ids)
}

func orderOf(published time.Time) int64 {
	if published.IsZero() {
		return math.MaxInt64
	}
	return published.UnixNano()
}

// Add indexes an article and returns what it shares with the articles
// already in the index: exact and near copies (in either time direction)
// and the passages it reuses from earlier ones. published orders articles
// for origins; an unknown (zero) time counts as later than every known one,
// ties go to the article added first. Re-adding an id replaces it.
func (ix *Index) Add(id string, published time.Time, text string) Result {
	return ix.add(id, published, ix.Prepare(text), true)
}

// AddNear is Add without passage alignment: the Result holds only Exact
// and Near (Novelty 1). The article is fully indexed, so later articles
// still find passages they take from it.
func (ix *Index) AddNear(id string, published time.Time, text string) Result {
	return ix.add(id, published, ix.Prepare(text), false)
}

// Query returns what an article would share with the indexed articles
// without indexing it. If id is indexed, it is left out of the comparison
// and its stored seq orders ties, so Query recomputes an indexed article's
// Result against the current index.
func (ix *Index) Query(id string, published time.Time, text string) Result {
	p := getPrepared()
	defer putPrepared(p)
	p.fromText(&ix.opt, text)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	self := noSlot
	_, t := ix.newEntry(id, published, p)
	if s, ok := ix.ids[id]; ok {
		self = s
		t.seq = ix.times[s].seq
	}
	return ix.queryLocked(p, t, text, self, true)
}

// Remove drops an article; removing an unknown id does nothing.
func (ix *Index) Remove(id string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.removeLocked(id)
}

// Has reports whether id is indexed.
func (ix *Index) Has(id string) bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	_, ok := ix.ids[id]
	return ok
}

const noSlot = ^uint32(0)

// newEntry builds the stored form of a prepared article. Its slices are
// the ones p.detach made (in Prepare, outside the lock) or fresh copies, so
// the prepared scratch can be reused.
func (ix *Index) newEntry(id string, published time.Time, p *prepared) (*entry, stamp) {
	ix.seq++
	e := &entry{id: id, exact: p.exact}
	p.detach()
	e.sig, e.toks, e.offs = p.own.sig, p.own.toks, p.own.offs
	p.own = owned{}
	return e, stamp{order: orderOf(published), seq: ix.seq}
}

func (ix *Index) insertLocked(e *entry, t stamp, p *prepared) {
	var slot uint32
	if n := len(ix.free); n > 0 {
		slot = ix.free[n-1]
		ix.free = ix.free[:n-1]
		ix.arts[slot] = e
		ix.times[slot] = t
	} else {
		slot = uint32(len(ix.arts))
		ix.arts = append(ix.arts, e)
		ix.times = append(ix.times, t)
	}
	ix.ids[e.id] = slot
	if e.exact != 0 {
		ix.exact.add(e.exact, slot)
	}
	for _, k := range p.bands {
		ix.lsh.add(k, slot)
	}
	if !ix.opt.NoPassages {
		for _, k := range p.fps {
			ix.fp.add(k, slot)
		}
		e.fps = slices.Clone(p.fps)
	}
}

func (ix *Index) removeLocked(id string) {
	slot, ok := ix.ids[id]
	if !ok {
		return
	}
	e := ix.arts[slot]
	if e.exact != 0 {
		ix.exact.remove(e.exact, slot)
	}
	// The band keys and fingerprints are looked up in large tables:
	// touching all their cells first overlaps the cache misses.
	keys := ix.rmKeys[:0]
	if len(e.sig) > 0 {
		for b := 0; b < ix.opt.Bands; b++ {
			keys = append(keys, bandKey(e.sig, b, ix.opt.Rows))
		}
	}
	ix.rmKeys = keys
	ix.lsh.prefetch(keys)
	if !ix.opt.NoPassages {
		ix.fp.prefetch(e.fps)
	}
	for _, k := range keys {
		ix.lsh.remove(k, slot)
	}
	if ix.opt.NoPassages {
		ix.arts[slot] = nil
		ix.free = append(ix.free, slot)
		delete(ix.ids, id)
		return
	}
	for _, k := range e.fps {
		ix.fp.remove(k, slot)
	}
	ix.arts[slot] = nil
	ix.free = append(ix.free, slot)
	delete(ix.ids, id)
}

// Stats describes the index size.
type Stats struct {
	Articles int `json:"articles"`
	// Words is the total number of indexed words.
	Words int `json:"words"`
	// Bytes estimates the memory held: per-article data plus hash tables
	// (their cells, 8 bytes for 32-bit keys, 16 for 64-bit keys, at most
	// 3/4 full) and posting lists.
	Bytes int64 `json:"bytes"`
	// BytesPerArticle is Bytes/Articles.
	BytesPerArticle float64 `json:"bytes_per_article"`
	// LSHKeys, FingerprintKeys and ExactKeys count hash-table keys.
	LSHKeys, FingerprintKeys, ExactKeys int
}

// Stats returns the index size.
func (ix *Index) Stats() Stats {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	var s Stats
	for _, e := range ix.arts {
		if e == nil {
			continue
		}
		s.Articles++
		s.Words += len(e.toks)
		s.Bytes += 120 + int64(len(e.id)) + 2*int64(cap(e.sig)) + 2*int64(cap(e.toks)) + int64(cap(e.offs)) + 4*int64(cap(e.fps))
	}
	s.LSHKeys, s.FingerprintKeys, s.ExactKeys = ix.lsh.len(), ix.fp.len(), ix.exact.len()
	s.Bytes += 40 * int64(len(ix.ids))
	for _, mm := range []interface {
		listBytes() int64
		tableBytes() int64
	}{ix.lsh, ix.fp, ix.exact} {
		s.Bytes += mm.tableBytes() + mm.listBytes()
	}
	if s.Articles > 0 {
		s.BytesPerArticle = float64(s.Bytes) / float64(s.Articles)
	}
	return s
}
