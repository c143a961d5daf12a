package timex

// Token kinds.
const (
	kWord uint8 = iota + 1
	kNum
	kPunct
)

// token is one word, number or punctuation mark of the text.
type token struct {
	s, e  int32 // byte offsets
	num   int32 // value of a number token (digits only, up to 9 digits)
	kind  uint8
	sp    bool // preceded by white space (or text start)
	nl    bool // preceded by a blank line or line break
	upper bool // starts with an upper-case letter
	wide  bool // a word with a non-ASCII byte
	ndig  uint8
	e2    entry // lexicon entry of a word
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80 }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// tokenize splits text into tokens, appending to toks. Words are runs of
// letters (non-ASCII bytes count as letters), numbers are runs of digits
// (a trailing letter suffix such as "th" or "s" becomes its own word
// token), everything else but white space is a one-byte punctuation token.
func tokenize(text string, toks []token) []token {
	var buf [32]byte
	sp, nl := true, false
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			sp = true
			i++
		case c == '\n':
			sp, nl = true, true
			i++
		case isAlpha(c):
			j, hi := i+1, c
			for j < len(text) && isAlpha(text[j]) {
				hi |= text[j]
				j++
			}
			t := token{s: int32(i), e: int32(j), kind: kWord, sp: sp, nl: nl, upper: 'A' <= c && c <= 'Z', wide: hi >= 0x80}
			t.e2 = lookup(text[i:j], &buf)
			toks = append(toks, t)
			i = j
			sp, nl = false, false
		case isDigit(c):
			j := i
			n := int32(0)
			for j < len(text) && isDigit(text[j]) {
				if j-i < 9 {
					n = n*10 + int32(text[j]-'0')
				}
				j++
			}
			nd := j - i
			if nd > 255 {
				nd = 255
			}
			toks = append(toks, token{s: int32(i), e: int32(j), kind: kNum, sp: sp, nl: nl, num: n, ndig: uint8(nd)})
			i = j
			sp, nl = false, false
		default:
			if c < 0x20 {
				sp = true
				i++
				continue
			}
			toks = append(toks, token{s: int32(i), e: int32(i + 1), kind: kPunct, sp: sp, nl: nl})
			i++
			sp, nl = false, false
		}
	}
	return toks
}
