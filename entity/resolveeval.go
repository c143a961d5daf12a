package entity

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"time"
)

// GoldMention is a mention with its gold entity (any string that is equal
// for mentions of the same real entity).
type GoldMention struct {
	Mention
	Gold string
}

// ResolveDoc is one document of a resolution evaluation.
type ResolveDoc struct {
	ID       string
	Mentions []GoldMention
}

// ResolveScore is the B-cubed score of a resolution, over mentions.
type ResolveScore struct {
	Mentions     int     `json:"mentions"`
	Entities     int     `json:"entities"`      // predicted
	GoldEntities int     `json:"gold_entities"` // gold
	Precision    float64 `json:"precision"`
	Recall       float64 `json:"recall"`
	F1           float64 `json:"f1"`
}

// EvaluateResolution streams docs through a new Resolver and scores its
// entity ids against the gold ones with B-cubed. It also returns the score
// of the exact-string baseline (same type and same lower-cased text).
func EvaluateResolution(docs []ResolveDoc) (resolver, baseline ResolveScore) {
	r := NewResolver()
	var pred, base, gold []string
	for _, d := range docs {
		ms := make([]Mention, len(d.Mentions))
		for i, m := range d.Mentions {
			ms[i] = m.Mention
		}
		for i, ref := range r.Add(d.ID, time.Time{}, ms) {
			id := ref.EntityID
			if id == "" {
				id = "\x00" + d.ID + "#" + string(rune(i))
			}
			pred = append(pred, id)
			words := normWords(ref.Text)
			k := ref.Type + "|"
			for _, w := range words {
				k += w + " "
			}
			base = append(base, k)
			gold = append(gold, d.Mentions[i].Gold)
		}
	}
	return bcubed(pred, gold), bcubed(base, gold)
}

// bcubed scores predicted cluster labels against gold labels.
func bcubed(pred, gold []string) ResolveScore {
	type pair struct{ p, g string }
	n := map[pair]int{}
	np, ng := map[string]int{}, map[string]int{}
	for i := range pred {
		n[pair{pred[i], gold[i]}]++
		np[pred[i]]++
		ng[gold[i]]++
	}
	var p, r float64
	// In a fixed order: a float sum in map order differs between runs in
	// its last digits.
	keys := slices.SortedFunc(maps.Keys(n), func(a, b pair) int {
		return cmp.Or(strings.Compare(a.p, b.p), strings.Compare(a.g, b.g))
	})
	for _, k := range keys {
		c := n[k]
		p += float64(c) * float64(c) / float64(np[k.p])
		r += float64(c) * float64(c) / float64(ng[k.g])
	}
	s := ResolveScore{Mentions: len(pred), Entities: len(np), GoldEntities: len(ng)}
	if len(pred) > 0 {
		s.Precision, s.Recall = p/float64(len(pred)), r/float64(len(pred))
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	return s
}

// RecallScore is how many gold mentions a tagger found.
type RecallScore struct {
	Gold        int     `json:"gold"`
	Exact       float64 `json:"exact"`        // same span and type
	ExactSpan   float64 `json:"exact_span"`   // same span, any type
	OverlapType float64 `json:"overlap_type"` // overlapping span, same type
}

// TaggerRecall scores the mentions a tagger found in texts against gold
// mentions (byte spans in the same texts). Only recall can be measured
// when the gold marks just some of the entities.
func TaggerRecall(found, gold [][]Mention) RecallScore {
	var s RecallScore
	var exact, span, overlap int
	for i := range gold {
		for _, g := range gold[i] {
			s.Gold++
			e, sp, ov := false, false, false
			for _, f := range found[i] {
				if f.Start == g.Start && f.End == g.End {
					sp = true
					e = e || f.Type == g.Type
				}
				if f.Start < g.End && g.Start < f.End && f.Type == g.Type {
					ov = true
				}
			}
			if e {
				exact++
			}
			if sp {
				span++
			}
			if ov {
				overlap++
			}
		}
	}
	if s.Gold > 0 {
		n := float64(s.Gold)
		s.Exact, s.ExactSpan, s.OverlapType = float64(exact)/n, float64(span)/n, float64(overlap)/n
	}
	return s
}

// TaggedDoc is a document whose mentions a tagger found, with the gold
// mentions (byte spans in the same text) to score them by.
type TaggedDoc struct {
	ID    string
	Found []Mention
	Gold  []GoldMention
}

// EvaluateTaggedResolution streams the tagger's mentions through a new
// Resolver and scores, with B-cubed, the found mentions whose span equals
// a gold mention's (all found mentions are resolved; only those are
// scored).
func EvaluateTaggedResolution(docs []TaggedDoc) ResolveScore {
	r := NewResolver()
	var pred, gold []string
	for _, d := range docs {
		bySpan := make(map[[2]int]string, len(d.Gold))
		for _, g := range d.Gold {
			bySpan[[2]int{g.Start, g.End}] = g.Gold
		}
		for i, ref := range r.Add(d.ID, time.Time{}, d.Found) {
			g, ok := bySpan[[2]int{ref.Start, ref.End}]
			if !ok {
				continue
			}
			id := ref.EntityID
			if id == "" {
				id = "\x00" + d.ID + "#" + string(rune(i))
			}
			pred = append(pred, id)
			gold = append(gold, g)
		}
	}
	return bcubed(pred, gold)
}
