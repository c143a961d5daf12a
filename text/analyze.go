package text

import (
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
	terms map[Term]float32
	names map[Term]float32
	occ   []pending
}

// pending is an occurrence before the term's slot is known.
type pending struct {
	sent int32
	term Term
	name bool
}

// NewAnalyzer returns an Analyzer.
func NewAnalyzer() *Analyzer {
	return &Analyzer{stem: NewStemmer(), terms: map[Term]float32{}, names: map[Term]float32{}}
}

// Stemmer returns the Analyzer's stemmer.
func (a *Analyzer) Stemmer() *Stemmer { return a.stem }

// Analyze analyzes an article. discount lists byte spans of body that were
// seen before (reused passages); their words weigh ReusedWeight as much.
func (a *Analyzer) Analyze(title, body string, discount []Span) Analysis {
	clear(a.terms)
	clear(a.names)
	a.occ = a.occ[:0]
	var out Analysis
	out.Sentences = Sentences(body)
	if title != "" {
		a.addSpan(title, 0, len(title), titleWeight, -1)
	}
	ws := sentenceWeights(out.Sentences, discount)
	for si, sp := range out.Sentences {
		out.Words += a.addSpan(body, sp.Start, sp.End, ws[si], int32(si))
	}
	out.Terms = sortedWeights(a.terms)
	out.Names = sortedWeights(a.names)
	out.occ = make([]occurrence, len(a.occ))
	for i, p := range a.occ {
		v := out.Terms
		if p.name {
			v = out.Names
		}
		k, _ := slices.BinarySearchFunc(v, p.term, func(x Weighted, t Term) int {
			switch {
			case x.Term < t:
				return -1
			case x.Term > t:
				return 1
			}
			return 0
		})
		out.occ[i] = occurrence{sent: p.sent, slot: int32(k), name: p.name}
	}
	return out
}

// sentenceWeights returns the weight of each body sentence: the lead
// counts more, sentences mostly inside a discount span (sorted, not
// overlapping) count ReusedWeight as much.
func sentenceWeights(sents []Span, discount []Span) []float32 {
	ws := make([]float32, len(sents))
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
		ws[si] = w
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
	ws := sentenceWeights(an.Sentences, discount)
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
	Tokens(s[start:end], func(t Token) {
		n++
		word := s[start+t.Start : start+t.End]
		term, stop := a.stem.Term(word)
		if !stop {
			a.terms[term] += w
			a.occ = append(a.occ, pending{sent: sent, term: term})
			if t.Upper && !first {
				nw := w
				if isTitle {
					nw *= 0.5
				}
				a.names[term^nameSalt] += nw
				a.occ = append(a.occ, pending{sent: sent, term: term ^ nameSalt, name: true})
			}
		}
		first = false
	})
	return n
}

// Merge sorts v by term and adds up the weights of equal terms, in place.
func Merge(v []Weighted) []Weighted {
	slices.SortFunc(v, func(x, y Weighted) int {
		switch {
		case x.Term < y.Term:
			return -1
		case x.Term > y.Term:
			return 1
		}
		return 0
	})
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

func sortedWeights(m map[Term]float32) []Weighted {
	out := make([]Weighted, 0, len(m))
	for t, w := range m {
		out = append(out, Weighted{t, w})
	}
	slices.SortFunc(out, func(x, y Weighted) int {
		switch {
		case x.Term < y.Term:
			return -1
		case x.Term > y.Term:
			return 1
		}
		return 0
	})
	return out
}
