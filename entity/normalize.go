package entity

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Name normalization for entity resolution. These run per mention (not per
// token), so they may allocate.

// foldAccents maps common accented Latin letters to their base letter.
var foldAccents = strings.NewReplacer(
	"á", "a", "à", "a", "â", "a", "ä", "a", "ã", "a", "å", "a", "ā", "a",
	"é", "e", "è", "e", "ê", "e", "ë", "e", "ē", "e", "ė", "e", "ę", "e",
	"í", "i", "ì", "i", "î", "i", "ï", "i", "ī", "i",
	"ó", "o", "ò", "o", "ô", "o", "ö", "o", "õ", "o", "ø", "o", "ō", "o",
	"ú", "u", "ù", "u", "û", "u", "ü", "u", "ū", "u",
	"ç", "c", "ć", "c", "č", "c", "ñ", "n", "ń", "n", "š", "s", "ś", "s", "ž", "z", "ź", "z", "ż", "z",
	"ł", "l", "ř", "r", "ý", "y", "ğ", "g", "ı", "i", "ş", "s", "ß", "ss",
)

// normWords lower-cases s, folds accents, drops periods and possessive
// endings, turns other punctuation (but not hyphens inside words) into
// spaces, and returns the words.
func normWords(s string) []string {
	if !isASCII(s) {
		s = foldAccents.Replace(strings.ToLower(s))
		s = strings.ReplaceAll(s, "’", "'")
	}
	// ASCII text is lower-cased below, byte by byte
	if n := len(s); n >= 2 && s[n-2] == '\'' && s[n-1]|0x20 == 's' {
		s = s[:n-2]
	} else if n >= 1 && s[n-1] == '\'' {
		s = s[:n-1]
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '.':
			case c >= 'A' && c <= 'Z':
				b = append(b, c+'a'-'A')
			case c == '-' || c == '\'' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
				b = append(b, c)
			default:
				b = append(b, ' ')
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b = utf8.AppendRune(b, r)
		} else {
			b = append(b, ' ')
		}
		i += n
	}
	words := strings.Fields(string(b))
	for i, w := range words {
		words[i] = strings.Trim(w, "-'")
	}
	out := words[:0]
	for _, w := range words {
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// titles are dropped from the front of person names.
var titles = setOf(`mr mrs ms miss dr prof professor sir dame lord lady president vice prime minister
foreign secretary of state defense defence interior finance home general gen sen senator rep representative
gov governor mayor chancellor king queen prince princess pope judge justice chief ceo chairman chairwoman
director ambassador envoy spokesman spokeswoman col colonel lt lieutenant capt captain sgt sergeant adm admiral
commander pres rev reverend father sheikh ayatollah emir crown deputy leader opposition former premier
coach striker midfielder defender goalkeeper manager champion mp congressman congresswoman attorney
us u.s american french german british russian chinese israeli iranian ukrainian new the late`)

// nameSuffixes are dropped from the end of person names.
var nameSuffixes = setOf("jr sr ii iii iv")

// particles belong to the surname that follows them ("Le Drian").
var particles = setOf("le la lo li de du des van von der den al el bin ben ibn abu da di del della dos das ter ten mac st")

// stopInitials are skipped when building acronyms.
var stopInitials = setOf("of the and for in on at to de du la le des")

func setOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// personName splits a person mention into given names and surname, after
// dropping titles, suffixes and middle initials.
func personName(words []string) (given []string, surname string) {
	i := 0
	for i < len(words)-1 && titles[words[i]] {
		i++
	}
	words = words[i:]
	for len(words) > 1 && (nameSuffixes[words[len(words)-1]] || isNumber(words[len(words)-1])) {
		words = words[:len(words)-1]
	}
	if len(words) == 0 {
		return nil, ""
	}
	if len(words) == 1 && titles[words[0]] {
		return nil, ""
	}
	s := len(words) - 1
	for s > 0 && particles[words[s-1]] {
		s--
	}
	surname = strings.Join(words[s:], " ")
	full := 0 // given names longer than an initial
	for _, w := range words[:s] {
		if len(w) > 1 {
			full++
		}
	}
	for _, w := range words[:s] {
		if len(w) == 1 && full > 0 { // initials beside a full given name
			continue
		}
		given = append(given, w)
	}
	return given, surname
}

// acronym returns the initials of a multi-word name ("north atlantic treaty
// organization" → "nato"), or "".
func acronym(words []string) string {
	if len(words) < 2 {
		return ""
	}
	var b strings.Builder
	for _, w := range words {
		if stopInitials[w] {
			continue
		}
		for _, part := range strings.Split(w, "-") {
			if part != "" {
				r := []rune(part)
				b.WriteRune(r[0])
			}
		}
	}
	if b.Len() < 2 {
		return ""
	}
	return b.String()
}

// placeAliases maps normalized spellings to one canonical key. Entries are
// places unless listed in orgAliases.
var placeAliases = map[string]string{
	"us": "united states", "usa": "united states", "united states of america": "united states",
	"america": "united states", "the united states": "united states", "u s": "united states",
	"uk": "united kingdom", "britain": "united kingdom", "great britain": "united kingdom",
	"kiev": "kyiv", "ussr": "soviet union", "holland": "netherlands", "the netherlands": "netherlands",
	"burma": "myanmar", "bombay": "mumbai", "peking": "beijing", "uae": "united arab emirates",
	"drc": "democratic republic of congo", "dr congo": "democratic republic of congo",
	"czechia": "czech republic", "ivory coast": "cote d'ivoire", "prc": "china",
	"south korea": "south korea", "rok": "south korea", "dprk": "north korea",
	"kharkov": "kharkiv", "odessa": "odesa", "lvov": "lviv",
}

var orgAliases = map[string]string{
	"un": "united nations", "the united nations": "united nations",
	"eu": "european union", "the european union": "european union",
	"nato": "north atlantic treaty organization", "who": "world health organization",
	"imf": "international monetary fund", "fbi": "federal bureau of investigation",
	"cia": "central intelligence agency", "fed": "federal reserve", "opec": "organization of the petroleum exporting countries",
	"wto": "world trade organization", "ecb": "european central bank",
}

// placeCanon and orgCanon are the canonical keys of the alias tables.
var placeCanon, orgCanon = valueSet(placeAliases), valueSet(orgAliases)

func valueSet(m map[string]string) map[string]bool {
	s := map[string]bool{}
	for _, v := range m {
		s[v] = true
	}
	return s
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// canonicalKey returns the normalized key of a non-person name and whether
// an alias table decided its type (then typ is that type).
func canonicalKey(words []string, typ string) (key, forcedType string) {
	for len(words) > 1 && leadingStop[words[0]] {
		words = words[1:]
	}
	k := strings.Join(words, " ")
	if c, ok := placeAliases[k]; ok {
		return c, "LOC"
	}
	if c, ok := orgAliases[k]; ok {
		return c, "ORG"
	}
	if placeCanon[k] {
		return k, "LOC"
	}
	if orgCanon[k] {
		return k, "ORG"
	}
	return k, typ
}

// slug makes an ID-friendly form of a key.
func slug(key string) string {
	var b strings.Builder
	dash := false
	for _, r := range key {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// leadingStop words are dropped from the front of non-person names.
var leadingStop = setOf("the in at near across from to")

func isNumber(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return w != ""
}
