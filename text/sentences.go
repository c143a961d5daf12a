package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Span is a byte range [Start, End) of a text.
type Span struct{ Start, End int }

// abbreviations end with a period but rarely end a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "gen": true, "sen": true, "rep": true,
	"gov": true, "lt": true, "col": true, "maj": true, "capt": true, "sgt": true, "prof": true, "rev": true,
	"jr": true, "sr": true, "inc": true, "corp": true, "co": true, "ltd": true, "vs": true, "no": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true,
	"sept": true, "oct": true, "nov": true, "dec": true, "mt": true, "ft": true, "ave": true, "blvd": true,
	"dept": true, "univ": true, "assn": true, "adm": true, "cmdr": true, "pres": true, "supt": true,
	"u.s": true, "u.k": true, "u.n": true, "e.g": true, "i.e": true, "a.m": true, "p.m": true, "etc": false,
	"calif": true, "fla": true, "ariz": true, "mass": true, "conn": true, "wash": true, "ill": false,
	"tenn": true, "penn": true, "mich": true, "minn": true, "wis": true, "okla": true, "ore": true,
}

// Sentences splits text into sentences. Paragraph breaks ("\n") always end
// a sentence; ".", "!" and "?" end one when followed by space and an
// upper-case letter, digit or quote, unless the word before is a known
// abbreviation or a single initial. Leading and trailing space is not part
// of a sentence.
func Sentences(s string) []Span {
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
		for i < len(s) && !sentenceByte[s[i]] {
			i++ // a byte no rule below looks at
		}
		if i >= len(s) {
			break
		}
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

// sentenceByte marks the bytes Sentences acts on: line breaks, the lead
// byte of curly quotes and sentence-ending punctuation.
var sentenceByte = [256]bool{'\n': true, 0xe2: true, '.': true, '!': true, '?': true}

// maxQuote bounds how long a quotation holds sentences together (bytes).
const maxQuote = 400

// isAbbrevBefore reports whether the word ending at the period s[dot] is an
// abbreviation or an initial.
func isAbbrevBefore(s string, dot int) bool {
	b := dot
	a := b
	for a > 0 && (isAlnumByte(s[a-1]) || s[a-1] == '.') {
		a--
	}
	w := s[a:b]
	if w == "" {
		return false
	}
	if len(w) == 1 && w[0] >= 'A' && w[0] <= 'Z' {
		return true // an initial: "J. Blinken"
	}
	// w is ASCII: lower-case it on the stack (no abbreviation is longer
	// than the buffer).
	var buf [16]byte
	if len(w) <= len(buf) {
		for i := 0; i < len(w); i++ {
			c := w[i]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[i] = c
		}
		if abbreviations[string(buf[:len(w)])] {
			return true
		}
	}
	// Dotted acronyms like "U.S." / "U.N." not in the list.
	if strings.Count(w, ".") >= 1 && len(w) <= 6 {
		return true
	}
	return false
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isAlnumByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
