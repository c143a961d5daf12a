package entity

import (
	"unicode"
	"unicode/utf8"
)

// Hashing helpers. Features are never built as strings: every word is hashed
// once, byte by byte, into a handful of 64-bit values (lower-cased form, exact
// form, shape, affixes), and features combine those with a template id.

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// mix combines a template id and two values into one well-spread hash.
func mix(tpl uint64, a, b uint64) uint64 {
	h := tpl*0x9E3779B97F4A7C15 ^ a
	h ^= h >> 31
	h *= 0xBF58476D1CE4E5B9
	h ^= b
	h ^= h >> 29
	h *= 0x94D049BB133111EB
	h ^= h >> 32
	return h
}

func fnvByte(h uint64, b byte) uint64 { return (h ^ uint64(b)) * fnvPrime }

func fnvRune(h uint64, r rune) uint64 {
	if r < utf8.RuneSelf {
		return fnvByte(h, byte(r))
	}
	h = fnvByte(h, byte(r>>16))
	h = fnvByte(h, byte(r>>8))
	return fnvByte(h, byte(r))
}

// foldRune lower-cases r and maps every digit to '0'.
func foldRune(r rune) rune {
	switch {
	case r >= 'A' && r <= 'Z':
		return r + 'a' - 'A'
	case r >= '0' && r <= '9':
		return '0'
	case r < utf8.RuneSelf:
		return r
	case unicode.IsDigit(r):
		return '0'
	}
	return unicode.ToLower(r)
}

// shapeClass maps a rune to its shape letter: X upper, x lower, d digit,
// the rune itself for punctuation.
func shapeClass(r rune) rune {
	switch {
	case r >= 'A' && r <= 'Z':
		return 'X'
	case r >= 'a' && r <= 'z':
		return 'x'
	case r >= '0' && r <= '9':
		return 'd'
	case r < utf8.RuneSelf:
		return r
	case unicode.IsUpper(r):
		return 'X'
	case unicode.IsLetter(r):
		return 'x'
	case unicode.IsDigit(r):
		return 'd'
	}
	return '*'
}

// word flags
const (
	fInitCap  = 1 << iota // first rune upper case
	fAllCap               // every letter upper case, at least one letter
	fHasDigit             // some digit
	fHasUpper             // some upper-case letter
	fHasLower             // some lower-case letter
	fHasHyph              // a hyphen
	fHasDot               // a period
	fAllDigit             // only digits and punctuation, at least one digit
)

// wordInfo holds the hashes of one word.
type wordInfo struct {
	lower, exact uint64
	shape, short uint64 // long shape (runs capped at 4) and collapsed shape
	pre          [4]uint64
	last         [4]rune // the last folded runes, a ring indexed by rune count & 3
	flags        uint8
	nrunes       uint8 // capped at 255
	tail         uint8 // rune count & 3: where the ring ends
}

// suffix returns the hash of the last k (1..4) folded runes of the word,
// or 0 if it is shorter. Only the featurizer needs suffixes, of the tokens
// it scores, so they are not hashed up front.
func (wi *wordInfo) suffix(k int) uint64 {
	if k > int(wi.nrunes) {
		return 0
	}
	h := uint64(fnvOffset)
	for j := int(wi.tail) - k; j < int(wi.tail); j++ {
		h = fnvRune(h, wi.last[j&3])
	}
	return h
}

// asciiFold and asciiShape are foldRune and shapeClass of the ASCII runes.
var asciiFold, asciiShape = func() (fold, shape [utf8.RuneSelf]rune) {
	for r := range rune(utf8.RuneSelf) {
		fold[r], shape[r] = foldRune(r), shapeClass(r)
	}
	return
}()

// analyze hashes one word without allocating.
func analyze(w string, wi *wordInfo) {
	if simpleWord(w) {
		analyzeSimple(w, wi)
		return
	}
	lower, exact := uint64(fnvOffset), uint64(fnvOffset)
	shape, short := uint64(fnvOffset), uint64(fnvOffset)
	var flags uint8
	var n int
	var lastCls rune = -1
	run := 0
	letters, uppers := 0, 0
	digits := 0
	// ring of the last 4 folded runes for suffixes
	last := &wi.last
	// A trailing period after two or more runes ("Corp.", "U.S.") is left
	// out of the folded forms, so "Corp." and "Corp" share features.
	body := len(w)
	if len(w) > 2 && w[len(w)-1] == '.' && utf8.RuneCountInString(w) > 2 {
		body = len(w) - 1
	}
	for i, r := range w {
		if i >= body {
			exact = fnvRune(exact, r)
			shape = fnvRune(shape, '.')
			short = fnvRune(short, '.')
			flags |= fHasDot
			break
		}
		var f, c rune
		if r < utf8.RuneSelf {
			f, c = asciiFold[r], asciiShape[r]
		} else {
			f, c = foldRune(r), shapeClass(r)
		}
		lower = fnvRune(lower, f)
		exact = fnvRune(exact, r)
		if n < 4 {
			wi.pre[n] = lower
		}
		last[n&3] = f
		if c == lastCls {
			run++
		} else {
			run = 1
			short = fnvRune(short, c)
		}
		if run <= 4 {
			shape = fnvRune(shape, c)
		}
		lastCls = c
		switch c {
		case 'X':
			letters++
			uppers++
			flags |= fHasUpper
			if n == 0 {
				flags |= fInitCap
			}
		case 'x':
			letters++
			flags |= fHasLower
		case 'd':
			digits++
			flags |= fHasDigit
		case '-':
			flags |= fHasHyph
		case '.':
			flags |= fHasDot
		}
		n++
	}
	if letters > 0 && uppers == letters {
		flags |= fAllCap
	}
	if digits > 0 && letters == 0 {
		flags |= fAllDigit
	}
	for k := n; k < 4; k++ {
		wi.pre[k] = 0
	}
	wi.tail = uint8(n & 3)
	if n > 255 {
		n = 255
	}
	wi.lower, wi.exact, wi.shape, wi.short, wi.flags, wi.nrunes = lower, exact, shape, short, flags, uint8(n)
}

// simpleWord reports whether w is a lower-case or capitalized ASCII word
// ("said", "Obama") of up to 64 letters: most words, which analyzeSimple
// hashes without analyze's per-rune classification.
func simpleWord(w string) bool {
	if len(w) == 0 || len(w) > 64 {
		return false
	}
	if c := w[0] | 0x20; c < 'a' || c > 'z' {
		return false
	}
	for i := 1; i < len(w); i++ {
		if c := w[i]; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// The shape hashes of simple words: shapeLower[k] is that of k lower-case
// letters, shapeCap[k] that of an upper-case one followed by k lower-case
// (runs are capped at 4, as in analyze).
var shapeLower, shapeCap = func() (lo, cp [5]uint64) {
	lo[0], cp[0] = fnvOffset, fnvByte(fnvOffset, 'X')
	for k := 1; k <= 4; k++ {
		lo[k], cp[k] = fnvByte(lo[k-1], 'x'), fnvByte(cp[k-1], 'x')
	}
	return
}()

// analyzeSimple is analyze for a word accepted by simpleWord.
func analyzeSimple(w string, wi *wordInfo) {
	n := len(w)
	lower, exact := uint64(fnvOffset), uint64(fnvOffset)
	for i := 0; i < n; i++ {
		c := w[i]
		f := c | 0x20
		lower = fnvByte(lower, f)
		exact = fnvByte(exact, c)
		if i < 4 {
			wi.pre[i] = lower
		}
		wi.last[i&3] = rune(f)
	}
	for k := n; k < 4; k++ {
		wi.pre[k] = 0
	}
	if w[0] >= 'a' {
		wi.shape, wi.short = shapeLower[min(n, 4)], shapeLower[1]
		wi.flags = fHasLower
	} else {
		wi.shape, wi.short = shapeCap[min(n-1, 4)], shapeCap[min(n-1, 1)]
		wi.flags = fHasUpper | fInitCap
		if n > 1 {
			wi.flags |= fHasLower
		} else {
			wi.flags |= fAllCap
		}
	}
	wi.lower, wi.exact = lower, exact
	wi.tail = uint8(n & 3)
	wi.nrunes = uint8(n)
}

// hashLower returns the folded hash of w, the key used by gazetteers,
// the truecase table and the document memory.
func hashLower(w string) uint64 {
	h := uint64(fnvOffset)
	if len(w) > 2 && w[len(w)-1] == '.' && utf8.RuneCountInString(w) > 2 {
		w = w[:len(w)-1]
	}
	for _, r := range w {
		h = fnvRune(h, foldRune(r))
	}
	return h
}

// phraseHash extends a phrase hash with one more word hash.
func phraseHash(prev, word uint64) uint64 { return mix(0x5048, prev, word) }
