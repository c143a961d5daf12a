package entity

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// analyzeRef is analyze before simple words took a shortcut: the reference
// for analyze.
func analyzeRef(w string, wi *wordInfo) {
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

// TestAnalyzeRef checks analyze against analyzeRef on the words of the
// reference documents and on random words of letters (simple and not),
// digits, periods, hyphens and non-ASCII runes, each analyzed into a
// wordInfo left over from another word, as the featurizer does.
func TestAnalyzeRef(t *testing.T) {
	var words []string
	for _, doc := range refDocs(t) {
		for _, s := range doc {
			words = append(words, s...)
		}
	}
	pieces := []string{"a", "z", "q", "A", "Z", "M", ".", "-", "7", "é", "É", "ß", "\u212a", "'", "&"}
	rng := rand.New(rand.NewPCG(9, 10))
	for range 100000 {
		var b strings.Builder
		for range 1 + rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		words = append(words, b.String())
	}
	words = append(words, "", "a", "A", "Ab", "AB", strings.Repeat("x", 64), "X"+strings.Repeat("x", 63),
		strings.Repeat("x", 65), strings.Repeat("y", 300), "Abc.", "ab.")
	var got, want wordInfo
	simple := 0
	for _, w := range words {
		analyze(w, &got)
		analyzeRef(w, &want)
		if got != want {
			t.Fatalf("analyze(%q) = %+v, want %+v", w, got, want)
		}
		if simpleWord(w) {
			simple++
		}
	}
	if simple < len(words)/4 {
		t.Errorf("%d of %d words simple", simple, len(words))
	}
	t.Logf("%d words, %d simple", len(words), simple)
}
