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
	for i := 0; ; {
		tok, ok := nextToken(s, i)
		if !ok {
			return
		}
		fn(tok)
		i = tok.End
	}
}

// wordByte marks the ASCII letters and digits.
var wordByte = [256]bool{}

// joinByte marks the ASCII characters that join two word runs when a word
// character follows them.
var joinByte = [256]bool{'\'': true, '-': true, '.': true, '&': true}

func init() {
	for c := 0; c < utf8.RuneSelf; c++ {
		wordByte[c] = isWordRune(rune(c))
	}
}

// nextToken returns the first word of s at or after byte i (see Tokens),
// or false when there is none.
func nextToken(s string, i int) (Token, bool) {
	var r rune
	n := 1
	for ; i < len(s); i += n {
		c := s[i]
		if c < utf8.RuneSelf {
			n = 1
			if wordByte[c] {
				r = rune(c)
				break
			}
			continue
		}
		r, n = utf8.DecodeRuneInString(s[i:])
		if isWordRune(r) {
			break
		}
	}
	if i >= len(s) {
		return Token{}, false
	}
	start := i
	var tok Token
	if r < utf8.RuneSelf {
		tok = Token{Start: start, Upper: uint32(r-'A') < 26, Digit: uint32(r-'0') < 10}
	} else {
		tok = Token{Start: start, Upper: unicode.IsUpper(r), Digit: unicode.IsDigit(r)}
	}
	i += n
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if wordByte[c] {
				i++
				continue
			}
			if joinByte[c] && i+1 < len(s) && followsWord(s[i+1:]) {
				i++
				continue
			}
			break
		}
		r, n = utf8.DecodeRuneInString(s[i:])
		if isWordRune(r) {
			i += n
			continue
		}
		if r == '\u2019' && i+n < len(s) && followsWord(s[i+n:]) {
			i += n
			continue
		}
		break
	}
	// Keep the final period of a dotted acronym ("U.S.").
	if i < len(s) && s[i] == '.' && i-start >= 3 && s[i-2] == '.' {
		i++
	}
	tok.End = i
	return tok, true
}

// followsWord reports whether the non-empty s begins with a word rune.
func followsWord(s string) bool {
	if c := s[0]; c < utf8.RuneSelf {
		return wordByte[c]
	}
	r, _ := utf8.DecodeRuneInString(s)
	return isWordRune(r)
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
