package tml

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "sample.tml"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != "sample_1" || d.Title != "Leaders & talks" || !d.DCT.Equal(time.Date(2022, 2, 7, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("header: id %q title %q dct %v", d.ID, d.Title, d.DCT)
	}
	want := []Gold{
		{Text: "Sunday", Type: "DATE", Value: "2022-02-06", TID: "t1"},
		{Text: "next Monday", Type: "DATE", Value: "2022-02-14", TID: "t2"},
		{Text: "three days", Type: "DURATION", Value: "P3D", TID: "t3"},
	}
	if len(d.Gold) != len(want) {
		t.Fatalf("got %d gold, want %d", len(d.Gold), len(want))
	}
	for i, g := range d.Gold {
		w := want[i]
		if g.Text != w.Text || g.Type != w.Type || g.Value != w.Value || g.TID != w.TID {
			t.Errorf("gold %d = %+v, want %+v", i, g, w)
		}
		if d.Text[g.Start:g.End] != g.Text {
			t.Errorf("gold %d span %d:%d covers %q", i, g.Start, g.End, d.Text[g.Start:g.End])
		}
	}
	if d.Text[g0(d)-2:g0(d)] != "e " {
		t.Errorf("markup not stripped around first timex: %q", d.Text)
	}
}

func g0(d *Doc) int { return d.Gold[0].Start }

func TestParseErrors(t *testing.T) {
	for _, s := range []string{
		"<DOCID>x</DOCID>",
		"<TEXT>a <TIMEX3 type=\"DATE\">b</TEXT>",
		"<TEXT>a </TIMEX3></TEXT>",
		"<TEXT>a <TIMEX3 type=\"DATE\"><TIMEX3>b</TIMEX3></TIMEX3></TEXT>",
		"<TEXT>a <EVENT</TEXT>",
	} {
		if _, err := Parse([]byte(s)); err == nil {
			t.Errorf("Parse(%q) succeeded, want error", s)
		}
	}
}

func TestScore(t *testing.T) {
	d := &Doc{ID: "d", Text: "On Sunday and next Monday for three days.", Gold: []Gold{
		{Start: 3, End: 9, Type: "DATE", Value: "2022-02-06"},
		{Start: 14, End: 25, Type: "DATE", Value: "2022-02-14"},
		{Start: 30, End: 40, Type: "DURATION", Value: "P3D"},
	}}
	sys := []Span{
		{Start: 3, End: 9, Type: "DATE", Value: "2022-02-06"},   // strict, value ok
		{Start: 19, End: 25, Type: "DATE", Value: "2022-02-07"}, // relaxed only, wrong value
		{Start: 0, End: 2, Type: "DATE", Value: "X"},            // spurious
	}
	var c Counts
	var errs []Mismatch
	Score(d, sys, &c, &errs)
	r := c.Report(1)
	check := func(name string, got, want float64) {
		t.Helper()
		if got < want-1e-9 || got > want+1e-9 {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("strict P", r.Span.StrictP, 1.0/3)
	check("strict R", r.Span.StrictR, 1.0/3)
	check("relaxed P", r.Span.RelaxedP, 2.0/3)
	check("relaxed R", r.Span.RelaxedR, 2.0/3)
	check("relaxed F1", r.Span.RelaxedF1, 2.0/3)
	check("value P", r.Value.P, 1.0/3)
	check("value F1", r.Value.F1, 1.0/3)
	check("value accuracy", r.Value.Accuracy, 0.5)
	kinds := map[string]int{}
	for _, e := range errs {
		kinds[e.Kind]++
	}
	if kinds["missed"] != 1 || kinds["spurious"] != 1 || kinds["value"] != 1 || kinds["span"] != 1 {
		t.Errorf("mismatch kinds = %v", kinds)
	}
}

func TestLoadDirEvaluate(t *testing.T) {
	docs, err := LoadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 {
		t.Fatalf("got %d docs", len(docs))
	}
	perfect := func(text string, dct time.Time) []Span {
		var out []Span
		for _, g := range docs[0].Gold {
			out = append(out, Span{Start: g.Start, End: g.End, Type: g.Type, Value: g.Value})
		}
		return out
	}
	r := Evaluate(docs, perfect, false)
	if r.Value.F1 != 1 || r.Span.StrictF1 != 1 || r.Gold != 3 {
		t.Errorf("perfect tagger scored %+v", r)
	}
}

func FuzzParse(f *testing.F) {
	b, _ := os.ReadFile(filepath.Join("testdata", "sample.tml"))
	f.Add(b)
	f.Add([]byte("<TEXT><TIMEX3 value=\"x>y</TIMEX3></TEXT>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data)
		if err != nil {
			return
		}
		for _, g := range d.Gold {
			if g.Start < 0 || g.End < g.Start || g.End > len(d.Text) {
				t.Fatalf("bad span %d:%d", g.Start, g.End)
			}
		}
	})
}
