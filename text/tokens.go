package text

import (
	"unicode"
	"unicode/utf8"
)

// Token is one word of a text, by byte offsets into that text.
type Token struct {
	Start, End int
	// Upper is true when the word begins with an upper-case letter.
	Upper bool
	// Digit is true when the word begins with a digit.
	Digit bool
}

// Tokens calls fn for every word of s: a maximal run of letters and
// digits, with inner apostrophes, hyphens, periods and ampersands kept
// when they join letters ("don't", "U.S.", "al-Assad", "AT&T"). It does
// not allocate.
func Tokens(s string, fn func(Token)) {
	i := 0
	for i < len(s) {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		if !isWordRune(r) {
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
			if isWordRune(r) {
				i += n
				continue
			}
			if (r == '\'' || r == '\u2019' || r == '-' || r == '.' || r == '&') && i+n < len(s) {
				r2, _ := utf8.DecodeRuneInString(s[i+n:])
				if isWordRune(r2) {
					i += n
					continue
				}
			}
			break
		}
		// Keep the final period of a dotted acronym ("U.S.").
		if i < len(s) && s[i] == '.' && i-start >= 3 && s[i-2] == '.' {
			i++
		}
		tok.End = i
		fn(tok)
	}
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
