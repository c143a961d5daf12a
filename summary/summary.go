// Package summary writes an event's headline and extractive summary from
// its articles: the most central sentences of their leads, no two alike.
package summary

import (
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/storyline/storyline/text"
)

// Input is one article of an event.
type Input struct {
	ID, Title, Text, Source string
}

// Sentence is a chosen sentence and where it comes from.
type Sentence struct {
	Text    string
	Article string
	Source  string
}

// stemmers reuses stemmers (and their caches) across calls.
var stemmers = sync.Pool{New: func() any { return text.NewStemmer() }}

// leadSentences is how many sentences of each article are candidates.
const leadSentences = 5

type cand struct {
	text, article, source string
	keys                  []text.Term // distinct terms, sorted
	norm                  float64     // each term's weight: 1/sqrt(len(keys))
	pos                   int
	title                 bool
	score                 float64
}

// weighted is one term's contribution to the centroid.
type weighted struct {
	t text.Term
	w float64
}

// Summarize returns the headline (the most central title, or the most
// central lead sentence when no article has a title) and up to n summary
// sentences, most central first, with no two near-identical.
func Summarize(arts []Input, n int) (headline string, sum []Sentence) {
	st := stemmers.Get().(*text.Stemmer)
	defer stemmers.Put(st)
	var cands []*cand
	var all []weighted // every candidate's terms, in candidate order
	add := func(s, id, src string, pos int, title bool) {
		words := 0
		c := &cand{text: s, article: id, source: src, pos: pos, title: title}
		text.Tokens(s, func(t text.Token) {
			words++
			if tm, stop := st.Term(s[t.Start:t.End]); !stop {
				c.keys = append(c.keys, tm)
			}
		})
		slices.Sort(c.keys)
		c.keys = slices.Compact(c.keys)
		if len(c.keys) == 0 || (!title && (words < 6 || words > 70)) {
			return
		}
		c.norm = 1 / math.Sqrt(float64(len(c.keys)))
		for _, t := range c.keys {
			all = append(all, weighted{t, c.norm})
		}
		cands = append(cands, c)
	}
	for _, a := range arts {
		if a.Title != "" {
			add(a.Title, a.ID, a.Source, 0, true)
		}
		for i, sp := range text.Sentences(a.Text) {
			if i >= leadSentences {
				break
			}
			add(a.Text[sp.Start:sp.End], a.ID, a.Source, i, false)
		}
	}
	if len(cands) == 0 {
		// Nothing scorable (e.g. only a one-word title): the first title,
		// or else the first words of text, rather than no headline.
		for _, a := range arts {
			if t := strings.TrimSpace(a.Title); t != "" {
				return t, nil
			}
		}
		for _, a := range arts {
			if t := strings.TrimSpace(a.Text); t != "" {
				return Clip(t, 200), nil
			}
		}
		return "", nil
	}
	// The centroid, sorted by term. Entries are sorted as packed (term,
	// position) integers, which keeps each term's contributions in
	// candidate order, so the sums do not depend on the sort.
	packed := make([]uint64, len(all))
	for i, x := range all {
		packed[i] = uint64(x.t)<<32 | uint64(i)
	}
	slices.Sort(packed)
	centroid := make([]weighted, 0, len(all))
	for _, p := range packed {
		x := all[uint32(p)]
		if k := len(centroid); k > 0 && centroid[k-1].t == x.t {
			centroid[k-1].w += x.w
			continue
		}
		centroid = append(centroid, x)
	}
	var cn float64
	for _, x := range centroid {
		cn += x.w * x.w
	}
	cn = math.Sqrt(cn)
	for _, c := range cands {
		var d float64
		j := 0
		for _, t := range c.keys {
			for centroid[j].t < t {
				j++
			}
			d += c.norm * centroid[j].w
		}
		c.score = d / cn * (1 / (1 + 0.15*float64(c.pos)))
	}
	slices.SortStableFunc(cands, func(a, b *cand) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	for _, c := range cands {
		if c.title {
			headline = c.text
			break
		}
	}
	if headline == "" {
		headline = cands[0].text
	}
	var chosen []*cand
	for _, c := range cands {
		if len(chosen) == n {
			break
		}
		if c.title || strings.EqualFold(c.text, headline) {
			continue
		}
		dup := false
		for _, o := range chosen {
			if jaccard(c.keys, o.keys) > 0.5 {
				dup = true
				break
			}
		}
		if !dup {
			chosen = append(chosen, c)
			sum = append(sum, Sentence{Text: c.text, Article: c.article, Source: c.source})
		}
	}
	return headline, sum
}

// jaccard is the Jaccard similarity of two sorted sets of terms.
func jaccard(a, b []text.Term) float64 {
	inter := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			inter++
			i++
			j++
		}
	}
	u := len(a) + len(b) - inter
	if u == 0 {
		return 0
	}
	return float64(inter) / float64(u)
}

// Clip shortens s to at most n bytes, at a space when there is one, never
// inside a UTF-8 sequence, marking the cut with an ellipsis.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut <= 0 {
		cut = n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return strings.TrimSpace(s[:cut]) + "…"
}
