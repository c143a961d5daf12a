package article

import (
	"math/bits"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/swar"
)

// Clean removes photo captions/credits, agency tails, "Also read:" lines,
// share-button text and similar scrape debris from article text
// (paragraphs separated by "\n"), keeping everything else verbatim. It is
// idempotent: Clean(Clean(s)) == Clean(s).
//
// It is conservative: a paragraph is dropped only when it is short and
// starts with a debris label ("Also read:", "Photo:", "Image source, ...")
// or consists of share-button words, a credit ("REUTERS/Kevin Lamarque")
// or a caption ending in a credit; a credit or agency tail glued to a real
// paragraph is cut off and the paragraph kept.
func Clean(text string) string {
	var b strings.Builder
	changed, needSep := false, false
	for start := 0; start <= len(text); {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		line := text[start:end]
		out, keep := cleanLine(line)
		if !changed && (!keep || len(out) != len(line)) {
			changed = true
			b.Grow(len(text))
			if start > 0 {
				b.WriteString(text[:start-1])
				needSep = true
			}
		}
		if changed && keep {
			if needSep {
				b.WriteByte('\n')
			}
			b.WriteString(out)
			needSep = true
		}
		start = end + 1
	}
	if !changed {
		return text
	}
	return b.String()
}

// maxDebrisWords bounds the length of a paragraph dropped for a label.
const maxDebrisWords = 40

// maxCountedWords is where cleanLine stops counting words: one more than
// the largest word count it tests for.
const maxCountedWords = 81

// cleanLine returns the cleaned line and whether it is kept at all.
func cleanLine(line string) (string, bool) {
	t := strings.TrimSpace(line)
	if t == "" {
		return line, true
	}
	if len(t) <= 64 && exactDebris(t) {
		return "", false
	}
	words := countWords(t, maxCountedWords)
	if words <= 16 && len(t) <= 160 && isShareLine(t) {
		return "", false
	}
	if words <= maxDebrisWords && hasDebrisLabel(t) {
		return "", false
	}
	if words <= 80 && isCookieLine(t) {
		return "", false
	}
	if words <= 60 && strings.HasPrefix(t, "The post ") && strings.Contains(t, " appeared first on ") {
		return "", false // WordPress feed footer
	}
	if words <= 16 && (strings.HasPrefix(t, "By ") || strings.HasPrefix(t, "BY ") || strings.HasPrefix(t, "Written by ")) && bylineName(t) != "" {
		return "", false // a byline left in the text
	}
	out := line
	// Credits: only lines holding a slash or an agency word can have one.
	if strings.IndexByte(t, '/') >= 0 || strings.Contains(t, "Getty") {
		if creditOnly.MatchString(t) && !isNotCredit(t) {
			return "", false
		}
		off := tailStart(out, 160)
		if m := creditEnd.FindStringIndex(out[off:]); m != nil && !isNotCredit(out[off+m[0]:]) {
			m[0] += off
			if words <= 80 {
				// A paragraph that ends in a photo credit is a caption.
				return "", false
			}
			out = strings.TrimRightFunc(out[:keepPunct(out, m[0])], unicode.IsSpace)
		}
		if m := creditStart.FindStringSubmatchIndex(out); m != nil && !isNotCredit(out[m[2]:m[3]]) {
			out = out[:m[2]] + out[m[3]:]
		}
	}
	if tt := strings.TrimRight(t, ". "); tt != "" && (tt[len(tt)-1] == ')' || tt[len(tt)-1] == ']') && words <= 80 {
		if photoParen.MatchString(t[tailStart(t, 200):]) {
			// A paragraph ending in "(PTI Photo)" or "(Photo: AP)" is a caption.
			return "", false
		}
	}
	// Agency tails, possibly several in a row.
	for i := 0; i < 4; i++ {
		tt := strings.TrimRightFunc(out, unicode.IsSpace)
		if tt == "" {
			break
		}
		c := tt[len(tt)-1]
		var m []int
		switch {
		case c == ')' || c == ']':
			off := tailStart(tt, 520)
			if m = parenTail.FindStringIndex(tt[off:]); m != nil {
				m[0] += off
			}
		case strings.Contains(tt, "nputs from") || strings.Contains(tt, "diting by") || strings.Contains(tt, "ith assistance from"):
			off := tailStart(tt, 760)
			if m = plainTail.FindStringIndex(tt[off:]); m != nil {
				if off > 0 && m[0] == 0 {
					m = nil // "^" matched the window's start, not the line's
				} else {
					m[0] += off
				}
			}
		}
		if m == nil {
			break
		}
		out = strings.TrimRightFunc(tt[:keepPunct(tt, m[0])], func(r rune) bool { return unicode.IsSpace(r) || r == '-' || r == '—' || r == '–' })
	}
	if strings.TrimSpace(out) == "" {
		return "", false
	}
	return out, true
}

// keepPunct moves a cut position past the sentence-ending punctuation a
// pattern matched before the debris, so "said. REUTERS/X" keeps its ".".
func keepPunct(s string, i int) int {
	if i >= len(s) {
		return i
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	switch r {
	case '.', '!', '?', ')', '"', '\'', '”', '’':
		return i + n
	}
	return i
}

// tailStart returns the offset of the last n bytes of s, moved forward to
// a rune boundary: the end-anchored patterns only need the tail.
func tailStart(s string, n int) int {
	if len(s) <= n {
		return 0
	}
	i := len(s) - n
	for i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	return i
}

// countWords counts space-separated words in s, stopping at limit (it
// returns min(words, limit)). It looks at eight bytes at a time: a word
// starts at a byte that is not a space (' ', '\t') after one that is.
func countWords(s string, limit int) int {
	n := 0
	prev := uint64(1) // 1: the byte before is a space (or s starts)
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := swar.Load8(s[i:])
		sp := swar.ByteMask(x, ' ') | swar.ByteMask(x, '\t')
		n += bits.OnesCount64(^sp & swar.Hi & (sp<<8 | prev<<7))
		if n >= limit {
			return limit
		}
		prev = sp >> 63
	}
	in := prev == 0
	for ; i < len(s); i++ {
		sp := s[i] == ' ' || s[i] == '\t'
		if !sp && !in {
			n++
			if n >= limit {
				return n
			}
		}
		in = !sp
	}
	return n
}

// lowerASCII lowercases s into buf (ASCII letters only) and returns it.
func lowerASCII(buf []byte, s string) []byte {
	buf = buf[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf
}

// debrisExact holds whole paragraphs (lowercased, trailing punctuation
// trimmed) that are never news.
var debrisExact = map[string]bool{
	"advertisement": true, "advertisements": true, "sponsored": true, "sponsored content": true,
	"story continues below advertisement": true, "article continues below advertisement": true,
	"continue reading": true, "continue reading below": true, "continue reading the main story": true,
	"scroll to continue": true, "scroll to continue with content": true, "skip advertisement": true,
	"skip ad": true, "read more": true, "show more": true, "load more": true, "view comments": true,
	"comments": true, "share": true, "tweet": true, "email": true, "print": true, "share this article": true,
	"share this story": true, "share this": true, "copy link": true, "link copied": true,
	"listen to this article": true, "listen to article": true, "sign up": true, "subscribe": true,
	"subscribe now": true, "follow us": true, "back to top": true, "click here": true,
	"most read": true, "most popular": true, "trending now": true, "related stories": true,
	"related articles": true, "related": true, "recommended": true, "you may also like": true,
	"more stories": true, "top stories": true, "image": true, "photo": true, "video": true,
	"representational image": true, "representative image": true, "file photo": true, "file image": true,
	"representational picture": true, "image for representation": true, "enlarge this image": true, "toggle caption": true, "hide caption": true, "watch": true,
}

func exactDebris(t string) bool {
	var arr [64]byte
	lb := lowerASCII(arr[:0], t)
	for len(lb) > 0 {
		c := lb[len(lb)-1]
		if c == ':' || c == '|' || c == '.' || c == ' ' || c == '>' || c == '»' || c == '-' {
			lb = lb[:len(lb)-1]
			continue
		}
		break
	}
	return debrisExact[string(lb)]
}

// shareWords are the words of share-button rows.
var shareWords = map[string]bool{
	"share": true, "shares": true, "on": true, "facebook": true, "twitter": true, "x": true, "whatsapp": true,
	"email": true, "e-mail": true, "mail": true, "print": true, "linkedin": true, "pinterest": true,
	"reddit": true, "telegram": true, "copy": true, "link": true, "tweet": true, "messenger": true,
	"flipboard": true, "this": true, "article": true, "story": true, "via": true, "save": true,
	"comments": true, "comment": true, "gift": true, "the": true, "to": true, "sms": true, "threads": true,
	"bluesky": true, "url": true, "copied": true, "whats": true, "app": true, "and": true,
}

// shareCore are words that must occur for a row to be share buttons.
var shareCore = map[string]bool{
	"share": true, "facebook": true, "twitter": true, "whatsapp": true, "linkedin": true,
	"pinterest": true, "reddit": true, "telegram": true, "tweet": true, "flipboard": true,
}

func isShareLine(t string) bool {
	var arr [160]byte
	lb := lowerASCII(arr[:0], t)
	core := false
	n := 0
	for _, w := range strings.FieldsFunc(string(lb), func(r rune) bool {
		return r == ' ' || r == '|' || r == '·' || r == '•' || r == '/' || r == ',' || r == '\t'
	}) {
		w = strings.Trim(w, ":.!()[]")
		if w == "" {
			continue
		}
		if !shareWords[w] {
			return false
		}
		if shareCore[w] {
			core = true
		}
		n++
	}
	return core && n > 0
}

// debrisLabels start paragraphs that are links, promotions or photo
// captions rather than news; each must be followed by one of ":|-–—»"
// unless it ends in a space (then any text may follow).
var debrisLabels = []string{
	"also read", "read also", "also see", "see also", "read more", "read", "related", "related story",
	"related stories", "related articles", "related news", "related coverage", "recommended",
	"recommended reading", "more", "more news", "must read", "must watch", "don't miss", "dont miss",
	"watch", "watch video", "video", "listen", "also watch", "trending", "top stories",
	"click here ", "subscribe to ", "sign up for ", "sign up to ", "follow us on ", "download the ",
	"photo", "photos", "photo credit", "photograph", "photographs", "image", "images", "image source",
	"image caption", "picture", "pic", "pics", "file photo", "file image", "file pic", "caption",
	"credit", "credits", "illustration", "graphic", "video credit", "representational image",
	"representative image", "featured image", "header image", "top image", "lead image", "source",
	"(photo", "[photo", "(image", "(file photo", "(representational", "(representative",
	"lire aussi", "à lire aussi", "a lire aussi", "leer también", "lea también", "lesen sie auch",
	"mehr zum thema", "leggi anche", "leia também", "leia mais",
}

func hasDebrisLabel(t string) bool {
	var arr [48]byte
	n := len(t)
	if n > 48 {
		n = 48
	}
	lb := lowerASCII(arr[:0], t[:n])
	for _, l := range debrisLabels {
		if len(lb) < len(l) || string(lb[:len(l)]) != l {
			continue
		}
		if l[len(l)-1] == ' ' {
			return true
		}
		if l[0] == '(' || l[0] == '[' {
			// "(Photo: AP)", "(Representational image)": a bracketed note.
			e := t[len(t)-1]
			if e == ')' || e == ']' {
				return true
			}
		}
		if len(t) > len(l) && t[len(l)] == '-' {
			continue // a hyphenated word: "Credit-card", "Read-out"
		}
		rest := strings.TrimLeft(t[len(l):], " \t")
		if rest == "" {
			continue
		}
		r, _ := utf8.DecodeRuneInString(rest)
		switch r {
		case ':', '|', '-', '–', '—', '»', '>', ',':
			if l == "source" && r != ':' {
				continue
			}
			if r == ',' && !strings.HasPrefix(l, "image") && !strings.HasPrefix(l, "photo") {
				continue
			}
			return true
		}
	}
	return false
}

var cookieStarts = []string{
	"we use cookies", "this site uses cookies", "this website uses cookies", "our site uses cookies",
	"by continuing to use this", "by using this site", "by using our site", "by clicking accept",
	"we and our partners use cookies", "we value your privacy",
}

func isCookieLine(t string) bool {
	var arr [40]byte
	n := len(t)
	if n > 40 {
		n = 40
	}
	lb := string(lowerASCII(arr[:0], t[:n]))
	for _, c := range cookieStarts {
		if strings.HasPrefix(lb, c) {
			return true
		}
	}
	return false
}

// Photo agencies seen in credits.
const agencies = `(?:REUTERS|Reuters|AFP|AP(?: Photo)?|EPA(?:-EFE)?|Getty Images|Bloomberg|PTI|ANI|IANS|Xinhua|Anadolu(?: Agency)?|Shutterstock|AAP(?: Image)?|dpa|EFE|Pool|Handout|NurPhoto|SOPA Images|LightRocket|Sipa|ZUMA(?: Press)?|Alamy|TASS|Yonhap|Kyodo|UPI|NYT|The New York Times|Redux|Zuma)`

// A credit: "REUTERS/Kevin Lamarque", "REUTERS / Kevin Lamarque/File
// Photo", "Kevin Lamarque/Reuters", "Evan Vucci/AP", "(AP Photo/Evan
// Vucci)", "Photo by Jane Doe/Getty Images", "AFP via Getty Images".
const name = `[\p{Lu}][\p{L}'’.\-]*(?:\s+(?:[\p{Lu}][\p{L}'’.\-]*|de|van|von|da|di|del|la|le|bin|al))*`
const credit = `(?:\(\s*|\[\s*)?(?:(?:Photo|Image|Picture|Photograph)(?: credit)?\s*(?:by|:)?\s*)?` +
	`(?:` + agencies + `\s*/\s*` + name + `(?:\s*/\s*(?:File(?: Photo)?|Pool|Handout|Illustration|` + agencies + `))*` +
	`|` + name + `\s*/\s*` + agencies + `(?:\s+via\s+Getty Images)?(?:\s*/\s*(?:File(?: Photo)?|Pool|Handout))*` +
	`|` + agencies + `\s+via\s+Getty Images` + `)\s*(?:\)|\])?`

// nameList is one or more capitalized names: "Jane Doe, John Roe and Ann Poe".
const nameList = `\p{Lu}[\p{L}'’.\-]*(?:(?:\s+|,\s*|\s+and\s+|\s*&\s*)\p{Lu}[\p{L}'’.\-]*)*`

var (
	creditOnly  = regexp.MustCompile(`^(?:(?:File photo|FILE PHOTO)\s*:?\s*)?` + credit + `\.?$`)
	creditEnd   = regexp.MustCompile(`[.!?”"'’)]\s+` + credit + `\.?\s*$`)
	photoParen  = regexp.MustCompile(`(?i)[(\[]\s*(?:(?:PTI|ANI|IANS|AP|AFP|Reuters|EPA|File|Express|Agency|Agencies|Representational|Representative)\s+(?:Photo|Photograph|Image|Pic|Picture)s?(?:\s*/\s*[^()\[\]]{1,60})?|(?:Photo|Image|Pic|Picture)s?(?:\s+(?:credit|courtesy))?\s*(?::|by|-)\s*[^()\[\]]{1,80})\s*[)\]]\.?$`)
	creditStart = regexp.MustCompile(`^\s*(` + credit + `\s+)[\p{Lu}"“]`)
	parenTail   = regexp.MustCompile(`(?i)\s*[(\[]\s*(?:with (?:additional )?inputs? from [^()\[\]]{1,120}|with agency inputs|inputs from [^()\[\]]{1,120}|(?:additional )?reporting by [^()\[\]]{1,400}|writing by [^()\[\]]{1,300}|editing by [^()\[\]]{1,300}|compiled by [^()\[\]]{1,200}|this (?:story|article|report) (?:has not been|was not) edited[^()\[\]]{0,400}|except for the headline[^()\[\]]{0,400}|agencies|ians|pti|ani|with reuters|with afp|with ap)\.?\s*[)\]]$`)
	plainTail   = regexp.MustCompile(`(?:^|[.!?”"’]\s+|\s[-–—]+\s*)(?:[-–—]+\s*)?(?:With (?:additional )?inputs? from (?:agencies|agency|` + nameList + `)|Inputs from (?:agencies|` + nameList + `)|(?:Additional )?[Rr]eporting by [^\n;]{1,300};\s*(?:[Ww]riting|[Ee]diting) by ` + nameList + `(?:;\s*[Ee]diting by ` + nameList + `)?|[Ee]diting by ` + nameList + `|With assistance from ` + nameList + `)\.?$`)
)

// notCredits are "X/Y" pairs that are polls or partners, not photo credits.
var notCredits = []string{"Ipsos", "NORC", "YouGov", "Marist", "Gallup"}

func isNotCredit(s string) bool {
	for _, w := range notCredits {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
