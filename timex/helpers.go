package timex

import "strings"

// Token predicates used by the rules. Indices out of range are false.

func (t *tagger) word(i int) string {
	if i < 0 || i >= len(t.toks) {
		return ""
	}
	return t.text[t.toks[i].s:t.toks[i].e]
}

// is reports whether token i is the word w (case-insensitive). w must be
// ASCII (all the rules' words are): then an ASCII word of another length
// cannot match, and only words with non-ASCII bytes (which may fold to
// ASCII letters: U+212A KELVIN SIGN is "k") need the full comparison.
func (t *tagger) is(i int, w string) bool {
	if i < 0 || i >= len(t.toks) {
		return false
	}
	tk := &t.toks[i]
	if tk.kind != kWord || !tk.wide && int(tk.e-tk.s) != len(w) {
		return false
	}
	return strings.EqualFold(t.text[tk.s:tk.e], w)
}

// isAny reports whether token i is one of the words ws (ASCII, as for
// is).
func (t *tagger) isAny(i int, ws ...string) bool {
	if i < 0 || i >= len(t.toks) {
		return false
	}
	tk := &t.toks[i]
	if tk.kind != kWord {
		return false
	}
	word := t.text[tk.s:tk.e]
	for _, w := range ws {
		if (tk.wide || len(word) == len(w)) && strings.EqualFold(word, w) {
			return true
		}
	}
	return false
}

// p reports whether token i is the punctuation byte c.
func (t *tagger) p(i int, c byte) bool {
	return i >= 0 && i < len(t.toks) && t.toks[i].kind == kPunct && t.text[t.toks[i].s] == c
}

// cls reports whether token i is a word of class c.
func (t *tagger) cls(i int, c uint32) bool {
	return i >= 0 && i < len(t.toks) && t.toks[i].kind == kWord && t.toks[i].e2.cls&c != 0
}

// v returns the class-c value of the word at i.
func (t *tagger) v(i int, c uint32) int { return t.toks[i].e2.v(c) }

// glued reports whether token i follows token i-1 without white space.
func (t *tagger) glued(i int) bool {
	return i > 0 && i < len(t.toks) && !t.toks[i].sp
}

// num reports whether token i is a number of at most maxDigits digits.
func (t *tagger) num(i, maxDigits int) bool {
	return i >= 0 && i < len(t.toks) && t.toks[i].kind == kNum && int(t.toks[i].ndig) <= maxDigits
}

// partOfBiggerNumber reports whether the number at i is glued to digits
// by "." or "," (1,990 or 1.5) on either side.
func (t *tagger) partOfBiggerNumber(i int) bool {
	if i >= 2 && t.glued(i) && (t.p(i-1, '.') || t.p(i-1, ',')) && t.glued(i-1) && t.toks[i-2].kind == kNum {
		return true
	}
	if i+2 < len(t.toks) && t.glued(i+1) && (t.p(i+1, '.') || t.p(i+1, ',')) && t.glued(i+2) && t.toks[i+2].kind == kNum {
		return true
	}
	return false
}

// money reports whether the number at i is an amount ("$10") or share.
func (t *tagger) money(i int) bool {
	if i > 0 && (t.p(i-1, '$') || t.p(i-1, '#')) {
		return true
	}
	if i+1 < len(t.toks) && (t.p(i+1, '%') || t.isAny(i+1, "percent", "pct", "cents", "dollars", "million", "billion")) {
		return true
	}
	return false
}

// ordSuffix skips an ordinal suffix ("th", "st", "nd", "rd") glued to the
// number at i-1; it returns the index after it.
func (t *tagger) ordSuffix(i int) int {
	if t.glued(i) && t.isAny(i, "th", "st", "nd", "rd") {
		return i + 1
	}
	return i
}

// year reads a year at i: four digits 1000-2099 (or an apostrophe and two
// digits, "'98"). It returns the year and the index after it.
func (t *tagger) year(i int) (int, int) {
	if t.num(i, 4) && t.toks[i].ndig == 4 && !t.partOfBiggerNumber(i) && !t.money(i) {
		y := int(t.toks[i].num)
		if y >= 1000 && y < 2100 {
			return y, i + 1
		}
	}
	if t.p(i, '\'') && t.num(i+1, 2) && t.toks[i+1].ndig == 2 && t.glued(i+1) && !(t.glued(i+2) && t.is(i+2, "s")) {
		return t.century() + int(t.toks[i+1].num), i + 2
	}
	return 0, i
}

// century gives the century base (1900, 2000) for two-digit years.
func (t *tagger) century() int {
	if t.hasDCT {
		return t.dct.Year() / 100 * 100
	}
	return 1900
}

// number reads a cardinal at i: digits, number words ("twenty-five"),
// "a"/"an", or a vague quantity ("several", "a few", "a couple of"),
// which gives -1. It returns the value, the index after it and ok.
func (t *tagger) number(i int) (int, int, bool) {
	if i < 0 || i >= len(t.toks) {
		return 0, i, false
	}
	tk := &t.toks[i]
	if tk.kind == kNum {
		if tk.ndig > 3 || t.partOfBiggerNumber(i) || i > 0 && t.p(i-1, '$') {
			return 0, i, false
		}
		return int(tk.num), i + 1, true
	}
	if tk.kind != kWord {
		return 0, i, false
	}
	if t.isAny(i, "a", "an") {
		if t.isAny(i+1, "few", "couple") {
			j := i + 2
			if t.is(j, "of") {
				j++
			}
			if t.is(i+1, "couple") {
				return 2, j, true
			}
			return -1, j, true
		}
		return 1, i + 1, true
	}
	if tk.e2.cls&cFuzzy != 0 {
		if t.is(i, "couple") {
			return 0, i, false
		}
		return -1, i + 1, true
	}
	if tk.e2.cls&cNum != 0 {
		n := tk.e2.v(cNum)
		j := i + 1
		if n >= 30 && n < 100 && t.p(j, '-') && t.glued(j) && t.cls(j+1, cNum) && t.v(j+1, cNum) < 10 {
			n += t.v(j+1, cNum)
			j += 2
		}
		return n, j, true
	}
	return 0, i, false
}

// unit reads a unit word at i; plural reports a plural form.
func (t *tagger) unit(i int) (u int, plural bool, ok bool) {
	if !t.cls(i, cUnit) {
		return 0, false, false
	}
	w := t.word(i)
	return t.v(i, cUnit), len(w) > 3 && (w[len(w)-1] == 's' || w[len(w)-1] == 'S') || strings.EqualFold(w, "centuries"), true
}

// boundary reports whether token k ends a sentence (for tense scans).
func (t *tagger) boundary(k int) bool {
	tk := &t.toks[k]
	if tk.kind != kPunct {
		return false
	}
	switch t.text[tk.s] {
	case '!', '?', ';':
		return true
	case '.':
		if k > 0 && t.glued(k) && t.toks[k-1].kind == kWord && t.toks[k-1].e2.cls&cAbbrev != 0 {
			return false
		}
		return true
	}
	return false
}

// tense estimates the tense of the clause around tokens [i, j) from the
// nearest tense cues in the same sentence: < 0 past, > 0 future, 0 unknown.
func (t *tagger) tense(i, j int) int8 {
	if d := t.prepCue(i); d != 0 {
		return d
	}
	score := 0.0
	for k, d := i-1, 1; k >= 0 && d <= 20; k, d = k-1, d+1 {
		if t.boundary(k) || t.toks[k+1].nl && d > 1 {
			break
		}
		score += t.cue(k) / float64(d)
	}
	for k, d := j, 1; k < len(t.toks) && d <= 20; k, d = k+1, d+1 {
		if t.boundary(k) || t.toks[k].nl {
			break
		}
		score += t.cue(k) / float64(2*d)
	}
	switch {
	case score < -0.01:
		return tensePast
	case score > 0.01:
		return tenseFuture
	}
	return tenseNone
}

// cue is the tense weight of token k: reporting verbs ("said") weigh less
// than auxiliaries and past forms, which weigh less than "will".
func (t *tagger) cue(k int) float64 {
	tk := &t.toks[k]
	if tk.kind != kWord || tk.e2.tense == 0 {
		return 0
	}
	w := t.word(k)
	if strings.EqualFold(w, "said") || strings.EqualFold(w, "told") {
		return -0.5
	}
	if strings.EqualFold(w, "will") || strings.EqualFold(w, "ll") {
		return 2
	}
	if strings.EqualFold(w, "would") {
		return 1.5
	}
	if tk.e2.tense < 0 && t.modalBefore(k) {
		return 1 // "will be paid", "would have met"
	}
	return float64(tk.e2.tense)
}

// prepCue reads the preposition right before an expression starting at i:
// "by", "until", "ahead of", "as soon as" look forward; "since" back.
func (t *tagger) prepCue(i int) int8 {
	k := i - 1
	if t.is(k, "on") || t.is(k, "in") {
		k--
	}
	switch {
	case t.isAny(k, "until", "till", "by", "starting", "beginning", "payable", "effective", "ending", "expires", "expiring", "maturing", "due"):
		return tenseFuture
	case t.is(k, "of") && t.isAny(k-1, "ahead"):
		return tenseFuture
	case t.is(k, "as") && t.isAny(k-1, "soon", "early") && t.is(k-2, "as"):
		return tenseFuture
	case t.is(k, "since"):
		return tensePast
	}
	return tenseNone
}

// modalBefore reports whether a future modal governs the verb at k:
// "will be paid", "would be held", "to be named".
func (t *tagger) modalBefore(k int) bool {
	for d := 1; d <= 3 && k-d >= 0; d++ {
		if t.isAny(k-d, "will", "would", "ll", "shall") {
			return true
		}
		if !t.isAny(k-d, "be", "have", "been", "not", "also") {
			return false
		}
	}
	return false
}
