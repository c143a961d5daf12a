package main

import (
	"strings"
	"testing"

	"github.com/storyline/storyline/entity"
	"github.com/storyline/storyline/store"
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
			benchResult{Articles: 1, Seconds: 0.5, PerSec: 2, PeakRSSMB: 40, CPUSeconds: 0.75}.write(w)
		}, []string{"1 article in 0.50 s: 2 articles/s, peak RSS 40 MB, 0.8 s of CPU"}},
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

func TestCoNames(t *testing.T) {
	e := func(name, typ string) store.Entity {
		return store.Entity{ID: strings.ToLower(typ) + ":" + name, Name: name, Type: typ}
	}
	for _, c := range []struct {
		name string
		in   []store.Entity
		want string
	}{
		{"none", nil, ""},
		{"distinct names stay bare", []store.Entity{e("Halvland", "LOC"), e("Tomas Brenner", "PER")}, "Halvland, Tomas Brenner"},
		{"a shared name once, with its types", []store.Entity{e("Halvland", "LOC"), e("Kestria", "ORG"), e("Vensk", "LOC"), e("Kestria", "LOC")},
			"Halvland, Kestria (LOC, ORG), Vensk"},
		{"the demo's list", []store.Entity{e("Halvland", "LOC"), e("Kestrian", "MISC"), e("Tomas Brenner", "PER"), e("Kestria", "ORG"),
			e("Vensk", "LOC"), e("Gellan Strait", "LOC"), e("Kestria", "LOC"), e("Orsk", "MISC"), e("Dorrmark", "LOC"), e("Gellan Strait", "PER")},
			"Halvland, Kestrian, Tomas Brenner, Kestria (LOC, ORG), Vensk, Gellan Strait (LOC, PER), Orsk, Dorrmark"},
		{"three types", []store.Entity{e("Halvland", "ORG"), e("Halvland", "MISC"), e("Halvland", "LOC")}, "Halvland (LOC, MISC, ORG)"},
		{"same name and type twice", []store.Entity{{ID: "a", Name: "Orsk", Type: "LOC"}, {ID: "b", Name: "Orsk", Type: "LOC"}}, "Orsk"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := coNames(c.in); got != c.want {
				t.Errorf("coNames = %q, want %q", got, c.want)
			}
		})
	}
}

// TestShowEntityCoOccurring runs show on a store where two co-occurring
// names are each held by two entities of different types.
func TestShowEntityCoOccurring(t *testing.T) {
	db := fixtureDB(t)
	for _, c := range []struct {
		id   string
		want []string // each exactly once in the co-occurring line
		not  []string
	}{
		{"per:anika-sorvald", []string{"Kestria (LOC, ORG)", "Gellan Strait (LOC, PER)", "Tomas Brenner"}, []string{"Anika Sorvald", "Tomas Brenner ("}},
		{"per:tomas-brenner", []string{"Kestria (LOC, ORG)", "Gellan Strait (LOC, PER)", "Anika Sorvald"}, []string{"Tomas Brenner"}},
	} {
		t.Run(c.id, func(t *testing.T) {
			out, errOut, err := runCLI(t, "show", "--db", db, c.id)
			if err != nil {
				t.Fatalf("%v: %s", err, errOut)
			}
			var co string
			for _, l := range lines(out) {
				if s, ok := strings.CutPrefix(l, "co-occurring: "); ok {
					co = s
				}
			}
			for _, w := range c.want {
				if n := strings.Count(co, w); n != 1 {
					t.Errorf("co-occurring %q names %q %d times, want once", co, w, n)
				}
			}
			for _, w := range c.not {
				if strings.Contains(co, w) {
					t.Errorf("co-occurring %q names %q", co, w)
				}
			}
			if n := strings.Count(co, "Kestria"); n != 1 {
				t.Errorf("co-occurring %q names Kestria %d times", co, n)
			}
		})
	}
}
