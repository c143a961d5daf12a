// Package timex finds temporal expressions in English news text and
// normalizes them to TIMEX3 (TimeML) values relative to the document
// creation time (DCT): "Sunday" in a Monday article is yesterday's date,
// "in December" gets its year from the DCT and the tense of the sentence,
// "two days ago" is a date, "the past three months" a duration.
//
// The tagger is a hand-written rule engine: one pass splits the text into
// tokens and looks every word up in a table of word classes (months,
// weekdays, units, numbers, modifiers, tense cues); expressions are then
// matched by rules compiled as Go code that start only at trigger tokens.
// No regular expressions run over the text.
package timex

import (
	"sync"
	"time"
)

// Timex is one temporal expression found in a text.
type Timex struct {
	Start int    `json:"start"` // byte offset in text
	End   int    `json:"end"`   // byte offset after the expression
	Text  string `json:"text"`  // text[Start:End]
	Type  string `json:"type"`  // DATE, TIME, DURATION or SET
	Value string `json:"value"` // TIMEX3 value, e.g. 2022-02-06, 2021-12, P3D, PRESENT_REF
}

// Types of temporal expressions.
const (
	TypeDate     = "DATE"
	TypeTime     = "TIME"
	TypeDuration = "DURATION"
	TypeSet      = "SET"
)

var tokPool = sync.Pool{New: func() any { s := make([]token, 0, 1024); return &s }}

// Tag finds and normalizes the temporal expressions of text relative to
// dct. With a zero dct only absolute values resolve; relative expressions
// get underspecified values (XXXX-XX-XX, XXXX-WXX-1, ...).
func Tag(text string, dct time.Time) []Timex {
	p := tokPool.Get().(*[]token)
	toks := tokenize(text, (*p)[:0])
	t := newTagger(text, toks, dct)
	t.run()
	*p = toks[:0]
	tokPool.Put(p)
	return t.out
}

// tagger holds the state of tagging one text.
type tagger struct {
	text   string
	toks   []token
	dct    time.Time
	hasDCT bool
	out    []Timex
	// reference points for anaphoric expressions ("a year earlier",
	// "the year-ago quarter"): the last quarter mentioned.
	refQY, refQ int
	refY        int // the last year written out in full

	// detail mode: per output, the sentence index and clause tense
	detail bool
	sent   []int
	tenses []int8
	// maxSent > 0 stops a detail run at that sentence index; reached
	// reports that it did.
	maxSent int
	reached bool
}

func newTagger(text string, toks []token, dct time.Time) *tagger {
	t := &tagger{text: text, toks: toks}
	if !dct.IsZero() {
		t.dct = date(dct.Year(), int(dct.Month()), dct.Day())
		t.hasDCT = true
	}
	return t
}

// match is one rule's result: tokens [i, j), type and value.
type match struct {
	i, j     int
	typ, val string
}

func (m match) ok() bool { return m.j > m.i && m.val != "" }

func (t *tagger) run() {
	n := len(t.toks)
	sentence, lastBoundary := 0, -1
	for i := 0; i < n; {
		if t.detail {
			for k := lastBoundary + 1; k < i; k++ {
				if t.boundary(k) || t.toks[k].nl && k > 0 {
					sentence++
				}
			}
			if i > lastBoundary {
				lastBoundary = i - 1
			}
			if t.maxSent > 0 && sentence >= t.maxSent {
				t.reached = true
				return
			}
		}
		tk := &t.toks[i]
		if tk.kind == kWord && tk.e2.cls&cTrigger == 0 || tk.kind == kPunct && t.text[tk.s] != '\'' {
			i++
			continue
		}
		m := t.matchAt(i)
		if !m.ok() {
			i++
			continue
		}
		if y := explicitYear(t, m); y > 0 {
			t.refY = y
		}
		s, e := int(t.toks[m.i].s), int(t.toks[m.j-1].e)
		t.out = append(t.out, Timex{Start: s, End: e, Text: t.text[s:e], Type: m.typ, Value: m.val})
		if t.detail {
			t.sent = append(t.sent, sentence)
			t.tenses = append(t.tenses, t.tense(m.i, m.j))
		}
		i = m.j
	}
}

// matchAt tries every rule at token i and keeps the longest match.
func (t *tagger) matchAt(i int) match {
	var best match
	try := func(m match) {
		if m.ok() && (m.j > best.j || !best.ok()) {
			best = m
		}
	}
	try(t.edge(i))
	if best.ok() {
		return best
	}
	try(t.ruleDate(i))
	try(t.ruleNumeric(i))
	try(t.ruleQuarter(i))
	try(t.ruleDuration(i))
	try(t.ruleRelUnit(i))
	try(t.ruleWeekday(i))
	try(t.ruleSeason(i))
	try(t.ruleDeictic(i))
	try(t.ruleSet(i))
	try(t.ruleHoliday(i))
	try(t.ruleBarePlural(i))
	try(t.ruleYearEnd(i))
	return best
}

// explicitYear returns the year of a match that writes its year out
// ("1995", "May 22, 1995"), for anaphoric references like "that year".
func explicitYear(t *tagger, m match) int {
	if m.typ != TypeDate || len(m.val) < 4 || atoi4(m.val) == 0 {
		return 0
	}
	for k := m.i; k < m.j; k++ {
		if t.toks[k].kind == kNum && t.toks[k].ndig == 4 && int(t.toks[k].num) == atoi4(m.val) {
			return atoi4(m.val)
		}
	}
	return 0
}
