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
	var out Analysis
	out.Sentences = Sentences(body)
	if title != "" {
		a.addSpan(title, 0, len(title), titleWeight, true)
	}
	di := 0
	for si, sp := range out.Sentences {
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
		out.Words += a.addSpan(body, sp.Start, sp.End, w, false)
	}
	out.Terms = sortedWeights(a.terms)
	out.Names = sortedWeights(a.names)
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
func (a *Analyzer) addSpan(s string, start, end int, w float32, isTitle bool) int {
	n := 0
	first := true
	Tokens(s[start:end], func(t Token) {
		n++
		word := s[start+t.Start : start+t.End]
		term, stop := a.stem.Term(word)
		if !stop {
			a.terms[term] += w
			if t.Upper && !first {
				nw := w
				if isTitle {
					nw *= 0.5
				}
				a.names[term^nameSalt] += nw
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
