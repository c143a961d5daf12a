package text

import (
	"cmp"
	"math/bits"
	"slices"
)

// Weighted is a term with a weight.
type Weighted struct {
	Term Term
	W    float32
}

// Analysis is what the engine compares of one article.
type Analysis struct {
	// Sentences of the body, by byte offsets into it.
	Sentences []Span
	// Terms are the content words of title and body (stemmed, hashed) with
	// position-weighted term frequencies, sorted by Term.
	Terms []Weighted
	// Names are capitalized words inside sentences (a cheap proper-name
	// signal that entity recognition can replace), sorted by Term.
	Names []Weighted
	// Words counts the body's word tokens.
	Words int
	// occ records, in text order, which entry of Terms or Names each
	// counted word added to, so that Discount can re-weight sentences
	// without analyzing the text again.
	occ []occurrence
}

// occurrence is one word's contribution to a term (or name) weight.
type occurrence struct {
	sent int32 // body sentence index; -1 for the title
	slot int32 // index into Terms, or into Names when name is set
	name bool
}

// Field and position weights of the Analyzer.
const (
	titleWeight = 2.0
	leadWeight  = 2.0 // first leadSentences sentences of the body
	bodyWeight  = 1.0
	// leadSentences is how many body sentences count as the lead.
	leadSentences = 2
	// ReusedWeight scales words inside spans already seen in earlier
	// articles (recycled background).
	ReusedWeight = 0.25
)

// nameSalt separates name terms from content terms in the hash space.
const nameSalt Term = 0x9e3779b9

// Analyzer turns article text into an Analysis. It is not safe for
// concurrent use; each goroutine needs its own.
type Analyzer struct {
	stem  *Stemmer
	terms accumulator
	names accumulator
	occ   []pending
	ws    []float32
}

// pending is an occurrence before the term's place in the sorted weights
// is known: slot indexes the accumulator's first-seen order.
type pending struct {
	sent int32
	slot int32
	name bool
}

// NewAnalyzer returns an Analyzer.
func NewAnalyzer() *Analyzer {
	return &Analyzer{stem: NewStemmer()}
}

// Stemmer returns the Analyzer's stemmer.
func (a *Analyzer) Stemmer() *Stemmer { return a.stem }

// Analyze analyzes an article. discount lists byte spans of body that were
// seen before (reused passages); their words weigh ReusedWeight as much.
func (a *Analyzer) Analyze(title, body string, discount []Span) Analysis {
	a.terms.reset()
	a.names.reset()
	a.occ = a.occ[:0]
	var out Analysis
	out.Sentences = Sentences(body)
	if title != "" {
		a.addSpan(title, 0, len(title), titleWeight, -1)
	}
	a.ws = appendSentenceWeights(a.ws[:0], out.Sentences, discount)
	for si, sp := range out.Sentences {
		out.Words += a.addSpan(body, sp.Start, sp.End, a.ws[si], int32(si))
	}
	out.Terms = a.terms.sorted()
	out.Names = a.names.sorted()
	out.occ = make([]occurrence, len(a.occ))
	for i, p := range a.occ {
		slot := a.terms.rank[p.slot]
		if p.name {
			slot = a.names.rank[p.slot]
		}
		out.occ[i] = occurrence{sent: p.sent, slot: slot, name: p.name}
	}
	return out
}

// accumulator sums the weights of terms in first-seen order, found
// through a small open-addressing index; the weights of one term are
// added in the order they come, as a map's would be.
type accumulator struct {
	w     []Weighted // first-seen order
	index []accSlot  // len is a power of two, at most half full
	shift uint32     // 32 - log2(len(index))
	used  []int32    // filled positions of index, to reset it cheaply
	keys  []uint64   // sort keys: term << 32 | first-seen position
	tmp   []uint64   // sortKeys' output
	count []int32    // sortKeys' buckets
	rank  []int32    // first-seen position -> position in sorted order
}

// accSlot is one entry of the index: pos is the first-seen position + 1,
// 0 for an empty slot.
type accSlot struct {
	term Term
	pos  int32
}

// minAccSlots is the starting size of an accumulator's index.
const minAccSlots = 1 << 9

func (c *accumulator) reset() {
	for _, i := range c.used {
		c.index[i] = accSlot{}
	}
	c.used = c.used[:0]
	c.w = c.w[:0]
	if c.index == nil {
		c.grow(minAccSlots)
	}
}

// add adds w to t's weight and returns t's first-seen position.
func (c *accumulator) add(t Term, w float32) int32 {
	mask := uint32(len(c.index) - 1)
	i := (uint32(t) * 0x9e3779b1) >> c.shift
	for {
		e := &c.index[i]
		if e.pos == 0 {
			break
		}
		if e.term == t {
			c.w[e.pos-1].W += w
			return e.pos - 1
		}
		i = (i + 1) & mask
	}
	pos := int32(len(c.w))
	c.w = append(c.w, Weighted{Term: t})
	c.w[pos].W += w
	if 2*len(c.w) > len(c.index) {
		c.grow(2 * len(c.index))
		return pos
	}
	c.index[i] = accSlot{term: t, pos: pos + 1}
	c.used = append(c.used, int32(i))
	return pos
}

// grow rebuilds the index with n slots (a power of two) from c.w.
func (c *accumulator) grow(n int) {
	c.index = make([]accSlot, n)
	c.shift = 32
	for m := n; m > 1; m >>= 1 {
		c.shift--
	}
	c.used = c.used[:0]
	mask := uint32(n - 1)
	for p, x := range c.w {
		i := (uint32(x.Term) * 0x9e3779b1) >> c.shift
		for c.index[i].pos != 0 {
			i = (i + 1) & mask
		}
		c.index[i] = accSlot{term: x.Term, pos: int32(p) + 1}
		c.used = append(c.used, int32(i))
	}
}

// sorted returns the accumulated weights sorted by term (a new slice) and
// sets c.rank.
func (c *accumulator) sorted() []Weighted {
	c.keys = c.keys[:0]
	for p, x := range c.w {
		c.keys = append(c.keys, uint64(x.Term)<<32|uint64(p))
	}
	c.tmp, c.count = sortKeys(c.keys, c.tmp, c.count)
	c.keys, c.tmp = c.tmp, c.keys
	out := make([]Weighted, len(c.w))
	c.rank = slices.Grow(c.rank[:0], len(c.w))[:len(c.w)]
	for j, k := range c.keys {
		p := uint32(k)
		out[j] = c.w[p]
		c.rank[p] = int32(j)
	}
	return out
}

// appendSentenceWeights appends the weight of each body sentence to ws:
// the lead counts more, sentences mostly inside a discount span (sorted,
// not overlapping) count ReusedWeight as much.
func appendSentenceWeights(ws []float32, sents []Span, discount []Span) []float32 {
	di := 0
	for si, sp := range sents {
		w := float32(bodyWeight)
		if si < leadSentences {
			w = leadWeight
		}
		for di < len(discount) && discount[di].End <= sp.Start {
			di++
		}
		if di < len(discount) && discount[di].Start < sp.End && overlap(discount[di], sp)*2 > sp.End-sp.Start {
			w *= ReusedWeight
		}
		ws = append(ws, w)
	}
	return ws
}

// Discount returns the analysis the Analyzer would give the same text with
// the given discount spans (byte spans of the body seen before, sorted),
// without analyzing the text again: the term and name weights are summed
// anew from the recorded word occurrences, in the same order, so the
// result is exactly Analyze(title, body, discount).
func (an *Analysis) Discount(discount []Span) Analysis {
	out := *an
	out.Terms = slices.Clone(an.Terms)
	out.Names = slices.Clone(an.Names)
	for i := range out.Terms {
		out.Terms[i].W = 0
	}
	for i := range out.Names {
		out.Names[i].W = 0
	}
	ws := appendSentenceWeights(make([]float32, 0, len(an.Sentences)), an.Sentences, discount)
	for _, o := range an.occ {
		w := float32(titleWeight)
		if o.sent >= 0 {
			w = ws[o.sent]
		}
		if o.name {
			if o.sent < 0 {
				w *= 0.5
			}
			out.Names[o.slot].W += w
			continue
		}
		out.Terms[o.slot].W += w
	}
	return out
}

func overlap(a, b Span) int {
	s, e := max(a.Start, b.Start), min(a.End, b.End)
	if e > s {
		return e - s
	}
	return 0
}

// addSpan adds the words of s[start:end] with weight w and returns how many
// words it saw. Capitalized words after the first of the sentence count as
// names too; in a title every capitalized word does, since titles are often
// in title case (their weight is halved).
func (a *Analyzer) addSpan(s string, start, end int, w float32, sent int32) int {
	n := 0
	first := true
	isTitle := sent < 0
	span := s[start:end]
	for i := 0; ; {
		t, ok := nextToken(span, i)
		if !ok {
			break
		}
		i = t.End
		n++
		term, stop := a.stem.Term(span[t.Start:t.End])
		if !stop {
			a.occ = append(a.occ, pending{sent: sent, slot: a.terms.add(term, w)})
			if t.Upper && !first {
				nw := w
				if isTitle {
					nw *= 0.5
				}
				a.occ = append(a.occ, pending{sent: sent, slot: a.names.add(term^nameSalt, nw), name: true})
			}
		}
		first = false
	}
	return n
}

// ByTerm orders weighted terms by Term (for slices.SortFunc).
func ByTerm(a, b Weighted) int { return cmp.Compare(a.Term, b.Term) }

// Merge sorts v by term and adds up the weights of equal terms, in place.
func Merge(v []Weighted) []Weighted {
	slices.SortFunc(v, ByTerm)
	k := 0
	for i := range v {
		if k > 0 && v[k-1].Term == v[i].Term {
			v[k-1].W += v[i].W
			continue
		}
		v[k] = v[i]
		k++
	}
	return v[:k]
}

// sortKeys returns keys sorted, in dst (reused); it leaves keys in an
// unspecified order. Keys whose top 32 bits are uniformly spread (hashed
// terms) are sorted in expected linear time: a counting pass distributes
// them into about len(keys) buckets by their top bits and each bucket is
// then sorted on its own.
func sortKeys(keys, dst []uint64, count []int32) ([]uint64, []int32) {
	n := len(keys)
	dst = slices.Grow(dst[:0], n)[:n]
	if n < 64 {
		copy(dst, keys)
		slices.Sort(dst)
		return dst, count
	}
	lg := uint(bits.Len(uint(n - 1)))
	nb := 1 << lg
	count = slices.Grow(count[:0], nb+1)[:nb+1]
	clear(count)
	shift := 64 - lg
	for _, k := range keys {
		count[k>>shift+1]++
	}
	for b := 1; b <= nb; b++ {
		count[b] += count[b-1]
	}
	for _, k := range keys {
		b := k >> shift
		dst[count[b]] = k
		count[b]++
	}
	// count[b] is now the end of bucket b (and the start of bucket b+1).
	start := int32(0)
	for b := 0; b < nb; b++ {
		end := count[b]
		if m := dst[start:end]; len(m) > 16 {
			slices.Sort(m)
		} else {
			for i := 1; i < len(m); i++ {
				for j := i; j > 0 && m[j] < m[j-1]; j-- {
					m[j], m[j-1] = m[j-1], m[j]
				}
			}
		}
		start = end
	}
	return dst, count
}
