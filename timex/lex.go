package timex

import (
	"math/bits"
	"slices"

	"github.com/storyline/storyline/internal/swar"
)

// Word classes of the lexicon; a word may belong to several.
const (
	cMonth   uint32 = 1 << iota // val: 1..12
	cWeekday                    // val: time.Weekday
	cNum                        // val: cardinal number word
	cOrd                        // val: ordinal number word
	cUnit                       // val: unit
	cPOD                        // val: part of day index (podCodes)
	cSeason                     // val: season index (seasonCodes)
	cDeictic                    // val: deictic kind
	cMod                        // val: modifier kind
	cFuzzy                      // vague quantity: several, few, many
	cSetAdv                     // daily, weekly...; val: unit
	cHoliday                    // val: holiday index
	cAbbrev                     // abbreviation: a following "." does not end a sentence
	cTrigger                    // may start an expression
)

// Units of time, from short to long.
const (
	uNone = iota
	uSecond
	uMinute
	uHour
	uDay
	uNight
	uWeekend
	uWeek
	uFortnight
	uMonth
	uQuarter
	uHalf
	uSeason
	uYear
	uDecade
	uCentury
)

// Modifier kinds.
const (
	mNone = iota
	mThis
	mLast
	mNext
	mPast     // "past": last, or duration with a number
	mComing   // "coming", "upcoming"
	mPrevious // "previous", "preceding"
	mFollow   // "following"
	mCurrent  // "current", "present"
	mLatest   // "latest", "most recent"
	mEarly    // "early"
	mLate     // "late"
	mMid      // "mid", "middle"
	mEarlier  // "earlier"
	mLater    // "later"
	mSame     // "same"
)

// Deictic kinds.
const (
	dToday = iota + 1
	dYesterday
	dTomorrow
	dTonight
	dNow
	dRecently
	dSoon
	dFormerly
	dCurrentAdj
	dRecentAdj
	dFuture
	dPast
	dNowadays
)

// Tense cues carried by words.
const (
	tenseNone   int8 = 0
	tensePast   int8 = -1
	tenseFuture int8 = 1
)

// entry is the lexicon record of one lower-case word.
type entry struct {
	cls   uint32
	vals  [12]int16 // value per class, indexed by the class's bit position
	tense int8
}

// bit gives the index of a single-bit class (of the highest bit of c; 0
// for 0).
func bit(c uint32) int {
	if c == 0 {
		return 0
	}
	return bits.Len32(c) - 1
}

// v returns the entry's value for class c.
func (e *entry) v(c uint32) int {
	if b := bit(c); b < len(e.vals) {
		return int(e.vals[b])
	}
	return 0
}

var podCodes = []string{"", "MO", "AF", "EV", "NI", "MI", "DT"}

var seasonCodes = []string{"", "SP", "SU", "FA", "WI"}

// lexicon maps lower-case words to their entries.
var lexicon = map[string]entry{}

func add(cls uint32, val int, words ...string) {
	for _, w := range words {
		e := lexicon[w]
		e.cls |= cls
		if b := bit(cls &^ cTrigger); cls&^cTrigger != 0 && b < len(e.vals) {
			e.vals[b] = int16(val)
		}
		lexicon[w] = e
	}
}

func addTense(t int8, words ...string) {
	for _, w := range words {
		e := lexicon[w]
		e.tense = t
		lexicon[w] = e
	}
}

// holidays: name → month, day (day 0: computed rule, see holidayDate).
var holidayNames = []string{"", "christmas", "christmas eve", "new year's day", "new year's eve", "thanksgiving", "halloween", "independence day", "valentine's day", "memorial day", "labor day"}

func init() {
	months := [][]string{
		{"january", "jan"}, {"february", "feb"}, {"march", "mar"}, {"april", "apr"}, {"may"}, {"june", "jun"},
		{"july", "jul"}, {"august", "aug"}, {"september", "sep", "sept"}, {"october", "oct"}, {"november", "nov"}, {"december", "dec"},
	}
	for i, ws := range months {
		add(cMonth|cTrigger, i+1, ws...)
	}
	days := [][]string{{"sunday", "sun"}, {"monday", "mon"}, {"tuesday", "tue", "tues"}, {"wednesday", "wed"}, {"thursday", "thu", "thur", "thurs"}, {"friday", "fri"}, {"saturday", "sat"}}
	for i, ws := range days {
		add(cWeekday|cTrigger, i, ws...)
	}
	nums := []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}
	for i, w := range nums {
		add(cNum|cTrigger, i, w)
	}
	tens := []string{"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
	for i, w := range tens {
		add(cNum|cTrigger, 20+10*i, w)
	}
	add(cNum|cTrigger, 100, "hundred")
	add(cNum|cTrigger, 1, "a", "an")
	ords := []string{"", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"}
	for i, w := range ords {
		if w != "" {
			add(cOrd|cTrigger, i, w)
		}
	}
	add(cOrd|cTrigger, 30, "thirtieth")
	units := map[int][]string{
		uSecond: {"second", "seconds", "sec", "secs"}, uMinute: {"minute", "minutes", "min", "mins"},
		uHour: {"hour", "hours", "hr", "hrs"}, uDay: {"day", "days"}, uNight: {"night", "nights"},
		uWeekend: {"weekend", "weekends"}, uWeek: {"week", "weeks"}, uFortnight: {"fortnight", "fortnights"},
		uMonth: {"month", "months"}, uQuarter: {"quarter", "quarters"}, uHalf: {"half"},
		uYear: {"year", "years", "yr", "yrs"}, uDecade: {"decade", "decades"}, uCentury: {"century", "centuries"},
	}
	for u, ws := range units {
		add(cUnit|cTrigger, u, ws...)
	}
	add(cPOD|cTrigger, 1, "morning", "mornings")
	add(cPOD|cTrigger, 2, "afternoon", "afternoons")
	add(cPOD|cTrigger, 3, "evening", "evenings")
	add(cPOD|cTrigger, 4, "night", "overnight")
	add(cPOD|cTrigger, 5, "midday")
	add(cSeason|cTrigger, 1, "spring")
	add(cSeason|cTrigger, 2, "summer")
	add(cSeason|cTrigger, 3, "fall", "autumn")
	add(cSeason|cTrigger, 4, "winter")
	add(cDeictic|cTrigger, dToday, "today")
	add(cDeictic|cTrigger, dYesterday, "yesterday")
	add(cDeictic|cTrigger, dTomorrow, "tomorrow")
	add(cDeictic|cTrigger, dTonight, "tonight")
	add(cDeictic|cTrigger, dNow, "now", "currently", "presently")
	add(cDeictic|cTrigger, dNowadays, "nowadays")
	add(cDeictic|cTrigger, dRecently, "recently", "lately")
	// "soon", "previously", "formerly" are left out: annotators rarely
	// mark them and they carry no date.
	add(cDeictic|cTrigger, dCurrentAdj, "current")
	add(cDeictic|cTrigger, dRecentAdj, "recent")
	add(cDeictic|cTrigger, dFuture, "future")
	add(cDeictic|cTrigger, dPast, "past")
	mods := map[int][]string{
		mThis: {"this"}, mLast: {"last"}, mNext: {"next"}, mPast: {"past"}, mComing: {"coming", "upcoming"},
		mPrevious: {"previous", "preceding", "prior"}, mFollow: {"following", "ensuing", "subsequent"},
		mCurrent: {"current", "present"}, mLatest: {"latest", "recent"}, mEarly: {"early"}, mLate: {"late"},
		mMid: {"mid", "middle"}, mEarlier: {"earlier"}, mLater: {"later"}, mSame: {"same"},
	}
	for m, ws := range mods {
		add(cMod|cTrigger, m, ws...)
	}
	add(cFuzzy|cTrigger, 1, "several", "few", "many", "some", "couple", "numerous")
	add(cSetAdv|cTrigger, uHour, "hourly")
	add(cSetAdv|cTrigger, uDay, "daily", "nightly")
	add(cSetAdv|cTrigger, uWeek, "weekly")
	add(cSetAdv|cTrigger, uMonth, "monthly")
	add(cSetAdv|cTrigger, uYear, "yearly")
	add(cHoliday|cTrigger, 1, "christmas")
	add(cHoliday|cTrigger, 5, "thanksgiving")
	add(cHoliday|cTrigger, 6, "halloween")
	add(cTrigger, 0, "the", "fiscal", "end", "beginning", "start", "every", "each", "per", "mid", "year-earlier", "year-ago", "noon", "midnight", "its", "at", "in", "these", "those", "that", "nineteen", "eighteen", "year", "twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties", "post", "pre", "for", "within", "over", "through")
	add(cAbbrev, 0, "mr", "mrs", "ms", "dr", "st", "gen", "sen", "rep", "gov", "inc", "corp", "co", "ltd", "jr", "sr", "lt", "col", "capt", "sgt", "vs", "no", "u", "s", "a", "m", "p", "e", "i", "feb", "jan", "aug", "sept", "oct", "nov", "dec", "mar", "apr", "jun", "jul", "sep", "mon", "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun", "prof", "rev", "mt", "ft", "calif", "mass", "conn", "ariz", "fla", "ill", "wash", "va", "pa", "n", "y", "d", "c")
	addTense(tenseFuture, "will", "ll", "shall", "wo", "scheduled", "expected", "expects", "expect", "plans", "planned", "plan", "upcoming", "ahead", "due", "going", "intends", "would", "slated", "next", "until", "tomorrow", "planning", "await", "awaits", "awaiting", "coming")
	addTense(tensePast, "said", "was", "were", "had", "did", "told", "went", "came", "met", "made", "took", "gave", "got", "began", "left", "held", "fell", "rose", "sold", "bought", "paid", "won", "lost", "saw", "found", "thought", "knew", "became", "ran", "spoke", "wrote", "brought", "kept", "struck", "ago", "last", "yesterday", "since", "earlier", "has", "have", "been", "shot", "hit", "sent", "led", "fled", "broke", "drew", "chose", "flew", "grew", "threw", "stood", "spent", "felt", "meant", "built", "sank", "quit")
	lexTab = buildLexTable()
}

// lexTable is the lexicon as an open-addressing table, built once from
// lexicon: lookup runs for every word of the text, where a map lookup
// (hashing the whole string, then comparing it) was a visible cost. A
// word of up to 16 bytes is packed into two integers, lower-cased eight
// bytes at a time and hashed once; a slot holds a key so packed, and
// most words miss at the first empty slot.
type lexTable struct {
	slots [lexSlots]lexSlot
	ents  []entry
}

type lexSlot struct {
	k0, k1 uint64 // the key's bytes, little-endian, zero-padded
	n      uint32 // the key's length; 0: empty
	i      uint32 // index into ents
}

// lexSlots is the table size, a power of two over twice the lexicon.
const lexSlots = 2048

// lexMaxLen is the longest key the table holds: the lexicon keys are ASCII
// and, those that a word token (letters only) can match, at most this
// long.
const lexMaxLen = 16

var lexTab *lexTable

// lexHash hashes a packed key of n bytes to a slot.
func lexHash(k0, k1 uint64, n int) uint32 {
	h := k0*0x9E3779B97F4A7C15 ^ k1*0xC2B2AE3D27D4EB4F ^ uint64(n)
	h ^= h >> 29
	h *= 0xBF58476D1CE4E5B9
	h ^= h >> 32
	return uint32(h) & (lexSlots - 1)
}

// lexPack packs s (at most 16 bytes) into two little-endian words.
func lexPack(s string) (k0, k1 uint64) {
	if len(s) > 8 {
		return swar.Load8(s), swar.LoadUpTo8(s[8:])
	}
	return swar.LoadUpTo8(s), 0
}

func buildLexTable() *lexTable {
	if 2*len(lexicon) > lexSlots {
		panic("timex: lexicon too large for its table")
	}
	t := &lexTable{}
	words := make([]string, 0, len(lexicon))
	for w := range lexicon {
		words = append(words, w)
	}
	slices.Sort(words) // same table on every run
	for _, w := range words {
		letters := true
		for i := 0; i < len(w); i++ {
			if w[i] >= 0x80 {
				panic("timex: non-ASCII lexicon word " + w)
			}
			letters = letters && isAlpha(w[i])
		}
		if len(w) == 0 || len(w) > lexMaxLen {
			if letters {
				panic("timex: lexicon word longer than lexMaxLen: " + w)
			}
			continue // no word token can match it
		}
		k0, k1 := lexPack(w)
		p := lexHash(k0, k1, len(w))
		for t.slots[p].n != 0 {
			p = (p + 1) & (lexSlots - 1)
		}
		t.ents = append(t.ents, lexicon[w])
		t.slots[p] = lexSlot{k0: k0, k1: k1, n: uint32(len(w)), i: uint32(len(t.ents) - 1)}
	}
	return t
}

// lookup returns the lexicon entry of a word given in any case; buf is
// unused scratch space kept for the callers. It does not allocate.
func lookup(word string, buf *[32]byte) entry {
	n := len(word)
	if n > len(buf) {
		return entry{}
	}
	if n > 0 && n <= lexMaxLen {
		k0, k1 := lexPack(word)
		// words with non-ASCII bytes are not in the (ASCII) lexicon
		if (k0|k1)&swar.Hi == 0 {
			k0, k1 = swar.LowerASCII8(k0), swar.LowerASCII8(k1)
			t := lexTab
			for p := lexHash(k0, k1, n); ; p = (p + 1) & (lexSlots - 1) {
				s := &t.slots[p]
				if s.n == 0 {
					break
				}
				if s.k0 == k0 && s.k1 == k1 && int(s.n) == n {
					return t.ents[s.i]
				}
			}
		}
	}
	var e entry
	if n > 4 && word[n-1]|0x20 == 'd' && word[n-2]|0x20 == 'e' && word[n-3]|0x20 != 'e' {
		// a regular past form ("reported", "announced") is a past-tense cue
		e.tense = tensePast
	}
	return e
}
