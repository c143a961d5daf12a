package text

// The Analyzer, Stemmer, Tokens and Sentences as they were before the
// speed work (map caches and accumulators, a token callback), kept
// verbatim apart from names as the reference the fast versions must match
// exactly (see equiv_test.go).

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
)

type refAnalyzer struct {
	stem  *refStemmer
	terms map[Term]float32
	names map[Term]float32
	occ   []refPending
}

type refPending struct {
	sent int32
	term Term
	name bool
}

func newRefAnalyzer() *refAnalyzer {
	return &refAnalyzer{stem: newRefStemmer(), terms: map[Term]float32{}, names: map[Term]float32{}}
}

func (a *refAnalyzer) Analyze(title, body string, discount []Span) Analysis {
	clear(a.terms)
	clear(a.names)
	a.occ = a.occ[:0]
	var out Analysis
	out.Sentences = refSentences(body)
	if title != "" {
		a.addSpan(title, 0, len(title), titleWeight, -1)
	}
	ws := refSentenceWeights(out.Sentences, discount)
	for si, sp := range out.Sentences {
		out.Words += a.addSpan(body, sp.Start, sp.End, ws[si], int32(si))
	}
	out.Terms = refSortedWeights(a.terms)
	out.Names = refSortedWeights(a.names)
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

func refSentenceWeights(sents []Span, discount []Span) []float32 {
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

func (a *refAnalyzer) addSpan(s string, start, end int, w float32, sent int32) int {
	n := 0
	first := true
	isTitle := sent < 0
	refTokens(s[start:end], func(t Token) {
		n++
		word := s[start+t.Start : start+t.End]
		term, stop := a.stem.Term(word)
		if !stop {
			a.terms[term] += w
			a.occ = append(a.occ, refPending{sent: sent, term: term})
			if t.Upper && !first {
				nw := w
				if isTitle {
					nw *= 0.5
				}
				a.names[term^nameSalt] += nw
				a.occ = append(a.occ, refPending{sent: sent, term: term ^ nameSalt, name: true})
			}
		}
		first = false
	})
	return n
}

func refSortedWeights(m map[Term]float32) []Weighted {
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

type refStemmer struct {
	cache map[string]refStemEntry
	buf   []byte
	env   *snowballstem.Env
}

type refStemEntry struct {
	term Term
	stop bool
}

func newRefStemmer() *refStemmer {
	return &refStemmer{cache: make(map[string]refStemEntry, 1<<14), env: snowballstem.NewEnv("")}
}

func (s *refStemmer) Term(word string) (t Term, stop bool) {
	s.buf = refAppendLower(s.buf[:0], word)
	if e, ok := s.cache[string(s.buf)]; ok {
		return e.term, e.stop
	}
	lw := string(s.buf)
	e := refStemEntry{stop: refStopWords[lw] || len(lw) < 2}
	if !e.stop {
		s.env.SetCurrent(lw)
		english.Stem(s.env)
		e.term = TermOf(s.env.Current())
	}
	if len(s.cache) >= 1<<19 {
		clear(s.cache)
	}
	s.cache[lw] = e
	return e.term, e.stop
}

var refStopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range stopList {
		m[w] = true
	}
	return m
}()

func refAppendLower(dst []byte, w string) []byte {
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c >= 'A' && c <= 'Z':
			dst = append(dst, c+32)
		case c == '.':
		case c < 0x80:
			dst = append(dst, c)
		default:
			if strings.HasPrefix(w[i:], "\u2019") {
				dst = append(dst, '\'')
				i += 2
				continue
			}
			j := i
			for j < len(w) && w[j] >= 0x80 {
				j++
			}
			for _, r := range w[i:j] {
				dst = utf8.AppendRune(dst, unicode.ToLower(r))
			}
			i = j - 1
		}
	}
	return dst
}

func refTokens(s string, fn func(Token)) {
	i := 0
	for i < len(s) {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		if !refIsWordRune(r) {
			i += n
			continue
		}
		start := i
		tok := Token{Start: start, Upper: unicode.IsUpper(r), Digit: unicode.IsDigit(r)}
		i += n
		for i < len(s) {
			r, n = rune(s[i]), 1
			if r >= utf8.RuneSelf {
				r, n = utf8.DecodeRuneInString(s[i:])
			}
			if refIsWordRune(r) {
				i += n
				continue
			}
			if (r == '\'' || r == '\u2019' || r == '-' || r == '.' || r == '&') && i+n < len(s) {
				r2, _ := utf8.DecodeRuneInString(s[i+n:])
				if refIsWordRune(r2) {
					i += n
					continue
				}
			}
			break
		}
		if i < len(s) && s[i] == '.' && i-start >= 3 && s[i-2] == '.' {
			i++
		}
		tok.End = i
		fn(tok)
	}
}

func refIsWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
func refSentences(s string) []Span {
	var out []Span
	start := 0
	add := func(end int) {
		a, b := start, end
		for a < b && isSpaceByte(s[a]) {
			a++
		}
		for b > a && isSpaceByte(s[b-1]) {
			b--
		}
		if b > a {
			out = append(out, Span{a, b})
		}
	}
	depth := 0  // open curly double quotes: no sentence ends inside a quote
	opened := 0 // where the outermost open quote began
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\n' {
			add(i)
			start = i + 1
			depth = 0
			continue
		}
		if c == 0xe2 && i+2 < len(s) && s[i+1] == 0x80 {
			switch s[i+2] {
			case 0x9c: // “
				if depth == 0 {
					opened = i
				}
				depth++
			case 0x9d: // ”
				depth = max(0, depth-1)
			}
			continue
		}
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		// Consume closing punctuation and quotes.
		j := i + 1
		for j < len(s) && (s[j] == '.' || s[j] == '!' || s[j] == '?' || s[j] == '"' || s[j] == '\'' || s[j] == ')') {
			j++
		}
		if j < len(s) && strings.HasPrefix(s[j:], "\u201d") {
			j += len("\u201d")
			depth = max(0, depth-1)
		}
		if depth > 0 && i-opened > maxQuote {
			depth = 0 // a stray or unclosed quote mark: stop waiting for it
		}
		if depth > 0 {
			i = j - 1
			continue
		}
		if j < len(s) && strings.HasPrefix(s[j:], "\u2019") {
			j += len("\u2019")
		}
		if j >= len(s) {
			break
		}
		if s[j] != ' ' && s[j] != '\t' {
			i = j - 1
			continue
		}
		k := j
		for k < len(s) && (s[k] == ' ' || s[k] == '\t') {
			k++
		}
		if k >= len(s) || s[k] == '\n' {
			i = k - 1
			continue
		}
		r, _ := utf8.DecodeRuneInString(s[k:])
		if !(unicode.IsUpper(r) || unicode.IsDigit(r) || r == '"' || r == '\u201c' || r == '\'' || r == '(' || r == '\u2018') {
			i = k - 1
			continue
		}
		quoted := j > i+1 && s[i+1] != '.'
		if c == '.' && !quoted && isAbbrevBefore(s, i) {
			i = k - 1
			continue
		}
		add(j)
		start = j
		i = k - 1
	}
	add(len(s))
	return out
}
