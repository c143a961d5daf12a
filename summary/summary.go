// Package summary writes an event's headline and extractive summary from
// its articles: the most central sentences of their leads, no two alike.
package summary

import (
	"math"
	"slices"
	"strings"
	"sync"

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
	terms                 map[text.Term]float64
	keys                  []text.Term // terms in sorted order, for deterministic sums
	pos                   int
	title                 bool
	score                 float64
}

// Summarize returns the headline (the most central title, or the most
// central lead sentence when no article has a title) and up to n summary
// sentences, most central first, with no two near-identical.
func Summarize(arts []Input, n int) (headline string, sum []Sentence) {
	st := stemmers.Get().(*text.Stemmer)
	defer stemmers.Put(st)
	var cands []*cand
	centroid := map[text.Term]float64{}
	add := func(s, id, src string, pos int, title bool) {
		words := 0
		c := &cand{text: s, article: id, source: src, pos: pos, title: title, terms: map[text.Term]float64{}}
		text.Tokens(s, func(t text.Token) {
			words++
			if tm, stop := st.Term(s[t.Start:t.End]); !stop {
				c.terms[tm] = 1
			}
		})
		if len(c.terms) == 0 || (!title && (words < 6 || words > 70)) {
			return
		}
		norm := 1 / math.Sqrt(float64(len(c.terms)))
		for t := range c.terms {
			c.keys = append(c.keys, t)
		}
		slices.Sort(c.keys)
		for _, t := range c.keys {
			c.terms[t] = norm
			centroid[t] += norm
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
		return "", nil
	}
	keys := make([]text.Term, 0, len(centroid))
	for t := range centroid {
		keys = append(keys, t)
	}
	slices.Sort(keys)
	var cn float64
	for _, t := range keys {
		cn += centroid[t] * centroid[t]
	}
	cn = math.Sqrt(cn)
	for _, c := range cands {
		var d float64
		for _, t := range c.keys {
			d += c.terms[t] * centroid[t]
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
			if jaccard(c.terms, o.terms) > 0.5 {
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

func jaccard(a, b map[text.Term]float64) float64 {
	inter := 0
	for t := range a {
		if _, ok := b[t]; ok {
			inter++
		}
	}
	u := len(a) + len(b) - inter
	if u == 0 {
		return 0
	}
	return float64(inter) / float64(u)
}
