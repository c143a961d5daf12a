package entity

import (
	"unicode"
	"unicode/utf8"
)

// Span is a token's byte range [Start, End) in the text.
type Span struct{ Start, End int }

// abbreviations keep their final period (lower-cased, without the period).
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "gen": true, "col": true,
	"lt": true, "sgt": true, "capt": true, "cmdr": true, "adm": true, "gov": true, "sen": true,
	"rep": true, "rev": true, "st": true, "jr": true, "sr": true, "inc": true, "corp": true,
	"co": true, "ltd": true, "bros": true, "jan": true, "feb": true, "mar": true, "apr": true,
	"jun": true, "jul": true, "aug": true, "sep": true, "sept": true, "oct": true, "nov": true,
	"dec": true, "vs": true, "mt": true, "ft": true, "pres": true, "maj": true,
}

// The character tests below handle ASCII by table and leave the rest to
// a function call, so that they stay small enough to inline.

// ASCII character classes of the tests below.
const (
	cAlpha = 1 << iota // letter
	cWord              // letter or digit
	cSpace             // white space
)

var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for c := range rune(utf8.RuneSelf) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			t[c] |= cAlpha | cWord
		}
		if c >= '0' && c <= '9' {
			t[c] |= cWord
		}
		if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v' {
			t[c] |= cSpace
		}
	}
	return
}()

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiClass[r]&cWord != 0
	}
	return isWordRuneWide(r)
}

func isWordRuneWide(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// runeAt decodes the rune at s[i] (0, 0 past the end). Loops over most
// of the text test for ASCII before calling it.
func runeAt(s string, i int) (rune, int) {
	if i >= len(s) {
		return 0, 0
	}
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

func isAlpha(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiClass[r]&cAlpha != 0
	}
	return isLetterWide(r)
}

//go:noinline
func isLetterWide(r rune) bool { return unicode.IsLetter(r) }

func isApos(r rune) bool { return r == '\'' || r == '’' }

// Tokenize splits raw text into CoNLL-like tokens and sentences: words keep
// internal hyphens, periods of initials and abbreviations ("U.S.", "Mr."),
// digit groups ("1,000.5") and name apostrophes ("O'Neill"); clitics
// ("'s", "n't") and punctuation become tokens of their own; URLs and e-mail
// addresses stay whole. sents receives the token index where each sentence
// ends (final punctuation and line breaks end sentences). Both slices are
// appended to and returned.
func Tokenize(text string, toks []Span, sents []int) ([]Span, []int) {
	i := 0
	sentStart := len(toks)
	endSent := func() {
		if len(toks) > sentStart {
			sents = append(sents, len(toks))
			sentStart = len(toks)
		}
	}
	for i < len(text) {
		r, n := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, n = runeAt(text, i)
		}
		if isSpace(r) {
			// a blank line ends a sentence
			nl := 0
			j := i
			for j < len(text) {
				r2, n2 := rune(text[j]), 1
				if r2 >= utf8.RuneSelf {
					r2, n2 = runeAt(text, j)
				}
				if !isSpace(r2) {
					break
				}
				if r2 == '\n' {
					nl++
				}
				j += n2
			}
			if nl >= 1 {
				// a line break ends a sentence: headlines, datelines and
				// paragraphs of extracted articles stand on their own lines
				endSent()
			}
			i = j
			continue
		}
		if n == 0 || r == utf8.RuneError && n == 1 {
			i++
			continue
		}
		start := i
		if r == 'h' || r == 'H' || r == 'w' || r == 'W' {
			if end := urlEnd(text, i); end > i {
				toks = append(toks, Span{start, end})
				i = end
				continue
			}
		}
		if isWordRune(r) {
			i = wordEnd(text, i)
			if i < len(text) && text[i] == '@' {
				if end := urlEnd(text, start); end > i {
					toks = append(toks, Span{start, end})
					i = end
					continue
				}
			}
			// clitic n't: "don't" is do + n't
			if r2, n2 := runeAt(text, i); isApos(r2) && i-start > 1 && (text[i-1] == 'n' || text[i-1] == 'N') {
				if r3, n3 := runeAt(text, i+n2); r3 == 't' || r3 == 'T' {
					if r4, _ := runeAt(text, i+n2+n3); !isAlpha(r4) {
						toks = append(toks, Span{start, i - 1}, Span{i - 1, i + n2 + n3})
						i += n2 + n3
						continue
					}
				}
			}
			toks = append(toks, Span{start, i})
			continue
		}
		if isApos(r) {
			// clitics 's 're 've 'll 'd 'm after a word
			j := i + n
			k := j
			for k < len(text) {
				r2, n2 := runeAt(text, k)
				if !isAlpha(r2) {
					break
				}
				k += n2
			}
			if k > j && k-j <= 2 && len(toks) > 0 && toks[len(toks)-1].End == i {
				var buf [8]byte
				if c := foldSmall(text[j:k], &buf); isClitic(c) && string(c) != "t" {
					toks = append(toks, Span{start, k})
					i = k
					continue
				}
			}
		}
		// punctuation: runs of the same mark are one token ("--", "...")
		j := i + n
		for j < len(text) {
			r2, n2 := runeAt(text, j)
			if r2 != r {
				break
			}
			j += n2
		}
		toks = append(toks, Span{start, j})
		i = j
		if r == '.' || r == '!' || r == '?' {
			// absorb closing quotes/brackets into the sentence
			for i < len(text) {
				r2, n2 := runeAt(text, i)
				if r2 != '"' && r2 != '\'' && r2 != ')' && r2 != '’' && r2 != '”' {
					break
				}
				toks = append(toks, Span{i, i + n2})
				i += n2
			}
			endSent()
		}
		if len(toks)-sentStart >= 250 {
			endSent()
		}
	}
	endSent()
	return toks, sents
}

// foldSmall lower-cases an ASCII word of up to 8 bytes into buf; longer
// or non-ASCII words give nil.
func foldSmall(s string, buf *[8]byte) []byte {
	if len(s) > len(buf) {
		return nil
	}
	for k := 0; k < len(s); k++ {
		c := s[k]
		if c >= utf8.RuneSelf {
			return nil
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[k] = c
	}
	return buf[:len(s)]
}

// isClitic reports whether the folded letters after an apostrophe make a
// clitic ('s 're 've 'll 'd 'm, and t of n't).
func isClitic(b []byte) bool {
	s := string(b) // compared only: no allocation
	return s == "s" || s == "re" || s == "ve" || s == "ll" || s == "d" || s == "m" || s == "t"
}

// wordEnd returns the end of the word starting at i.
func wordEnd(text string, i int) int {
	start := i
	letters := 0
	for i < len(text) {
		// ASCII letters and digits first: most of the text
		if c := text[i]; c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			letters++
			i++
			continue
		} else if c >= '0' && c <= '9' {
			i++
			continue
		}
		r, n := runeAt(text, i)
		if isWordRune(r) {
			if isAlpha(r) {
				letters++
			}
			i += n
			continue
		}
		next, _ := runeAt(text, i+n)
		switch {
		case (r == '-' || r == '&' || r == '/') && isWordRune(next) && i > start:
			// hyphenated words, AT&T, 24/7
			i += n
			continue
		case (r == ',' || r == '.' || r == ':') && unicode.IsDigit(next) && i > start && isDigitByte(text[i-1]):
			i += n
			continue
		case isApos(r) && isAlpha(next):
			// O'Neill, but not the clitics 's 're ... or n't
			k := i + n
			for k < len(text) {
				r2, n2 := runeAt(text, k)
				if !isAlpha(r2) {
					break
				}
				k += n2
			}
			var buf [8]byte
			if isClitic(foldSmall(text[i+n:k], &buf)) {
				return i
			}
			i += n
			continue
		case r == '.':
			// initials and acronyms: U.S. / J. ; abbreviations: Mr. Inc.
			w := text[start:i]
			if isInitials(w) && isAlpha(next) {
				// U.S.A: keep going while letters and periods alternate
				if r3, n3 := runeAt(text, i+n+utf8.RuneLen(next)); n3 > 0 && r3 == '.' {
					i += n
					continue
				}
			}
			var buf [8]byte
			if letters > 0 && (isInitials(w) || abbreviations[string(foldSmall(w, &buf))]) {
				return i + n
			}
		}
		break
	}
	return i
}

func isDigitByte(b byte) bool { return b >= '0' && b <= '9' }

// isInitials reports whether w is one letter or letters joined by periods
// ("U", "U.S", "e.g").
func isInitials(w string) bool {
	n := 0
	prevLetter := false
	for _, r := range w {
		if r == '.' {
			if !prevLetter {
				return false
			}
			prevLetter = false
			continue
		}
		if !isAlpha(r) || prevLetter {
			return false
		}
		prevLetter = true
		n++
	}
	return n > 0 && prevLetter
}

// urlEnd returns the end of a URL or e-mail address starting at i, or i.
func urlEnd(text string, i int) int {
	rest := text[i:]
	isURL := hasPrefixFold(rest, "http://") || hasPrefixFold(rest, "https://") || hasPrefixFold(rest, "www.")
	j := i
	at := false
	for j < len(text) {
		r, n := runeAt(text, j)
		if unicode.IsSpace(r) || r == '"' || r == '<' || r == '>' || r == ')' || r == ']' {
			break
		}
		if r == '@' && j > i {
			at = true
		}
		j += n
	}
	if !isURL && !at {
		return i
	}
	if at && !isURL {
		// e-mail: user@host.tld — require a dot after the @
		k := i
		for k < j && text[k] != '@' {
			k++
		}
		dot := false
		for m := k; m < j; m++ {
			if text[m] == '.' && m+1 < j {
				dot = true
			}
		}
		if !dot {
			return i
		}
	}
	for j > i && (text[j-1] == '.' || text[j-1] == ',' || text[j-1] == ';' || text[j-1] == ':') {
		j--
	}
	return j
}

func hasPrefixFold(s, p string) bool {
	if len(s) < len(p) {
		return false
	}
	for k := 0; k < len(p); k++ {
		c := s[k]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != p[k] {
			return false
		}
	}
	return true
}

func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiClass[r]&cSpace != 0
	}
	return isSpaceWide(r)
}

//go:noinline
func isSpaceWide(r rune) bool { return unicode.IsSpace(r) }
