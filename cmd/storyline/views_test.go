package main

import (
	"strings"
	"testing"

	"github.com/storyline/storyline/entity"
)

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		n    int
		word string
		want string
	}{
		{0, "article", "0 articles"},
		{1, "article", "1 article"},
		{2, "article", "2 articles"},
		{1, "event", "1 event"},
		{1, "passage", "1 passage"},
		{3, "duplicate group", "3 duplicate groups"},
		{1, "gold entity", "1 gold entity"},
		{2, "gold entity", "2 gold entities"},
		{0, "entity", "0 entities"},
		{2, "key", "2 keys"}, // a vowel before the y
		{1, "byte", "1 byte"},
	} {
		if got := plural(c.n, c.word); got != c.want {
			t.Errorf("plural(%d, %q) = %q, want %q", c.n, c.word, got, c.want)
		}
	}
}

// TestCountWording checks the singular and plural of every count+noun that
// the human-readable outputs print with a number.
func TestCountWording(t *testing.T) {
	for _, c := range []struct {
		name  string
		write func(*strings.Builder)
		want  []string
	}{
		{"bench, one article", func(w *strings.Builder) {
			benchResult{Articles: 1, Seconds: 0.5, PerSec: 2, PeakRSSMB: 40}.write(w)
		}, []string{"1 article in 0.50 s: 2 articles/s, peak RSS 40 MB"}},
		{"bench, many", func(w *strings.Builder) {
			benchResult{Articles: 10000, Seconds: 3, PerSec: 3333, PeakRSSMB: 400}.write(w)
		}, []string{"10000 articles in 3.00 s"}},
		{"ner-resolve-eval, ones", func(w *strings.Builder) {
			one := entity.ResolveScore{Mentions: 1, Entities: 1, GoldEntities: 1, Precision: 1, Recall: 1, F1: 1}
			writeResolveEval(w, 1, one, one, entity.RecallScore{Gold: 1, Exact: 1}, one)
		}, []string{
			"1 doc, 1 name mention, 1 gold entity\n",
			"resolver     B3 P 1.0000 R 1.0000 F1 1.0000 (1 entity)",
			"tagger recall of the 1 gold name: exact",
			"tagger + resolver, on the 1 tagged mention matching a gold span:",
		}},
		{"ner-resolve-eval, many", func(w *strings.Builder) {
			s := entity.ResolveScore{Mentions: 5, Entities: 2, GoldEntities: 3}
			writeResolveEval(w, 2, s, s, entity.RecallScore{Gold: 4}, s)
		}, []string{
			"2 docs, 5 name mentions, 3 gold entities\n",
			"(2 entities)",
			"the 4 gold names:",
			"the 5 tagged mentions matching",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b strings.Builder
			c.write(&b)
			for _, want := range c.want {
				if !strings.Contains(b.String(), want) {
					t.Errorf("output does not contain %q:\n%s", want, b.String())
				}
			}
		})
	}
}
