package entity

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

type doc struct {
	id       string
	mentions []Mention
}

func mentions(pairs ...string) []Mention {
	var out []Mention
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, Mention{Text: pairs[i], Type: pairs[i+1]})
	}
	return out
}

func resolveAll(r *Resolver, docs []doc) map[string]map[string]string {
	out := map[string]map[string]string{}
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	for i, d := range docs {
		refs := r.Add(d.id, day.Add(time.Duration(i)*24*time.Hour), d.mentions)
		out[d.id] = map[string]string{}
		for _, ref := range refs {
			out[d.id][ref.Text] = ref.EntityID
		}
	}
	return out
}

func TestResolverMerges(t *testing.T) {
	r := NewResolver()
	docs := []doc{
		{"a1", mentions("Antony Blinken", "PER", "Kiev", "LOC", "U.S.", "LOC", "Jean-Yves Le Drian", "PER")},
		{"a2", mentions("Antony J Blinken", "PER", "Kyiv", "LOC", "United States", "LOC", "Le Drian", "PER")},
		{"a3", mentions("Secretary Blinken", "PER", "US", "LOC", "Ukraine", "LOC")},
		{"a4", mentions("blinken", "PER", "kyiv", "LOC")},
		{"a5", mentions("Blinken", "PER", "America", "LOC", "Le Drian", "PER")},
	}
	got := resolveAll(r, docs)
	same := [][][2]string{
		{{"a1", "Antony Blinken"}, {"a2", "Antony J Blinken"}, {"a3", "Secretary Blinken"}, {"a4", "blinken"}, {"a5", "Blinken"}},
		{{"a1", "Kiev"}, {"a2", "Kyiv"}, {"a4", "kyiv"}},
		{{"a1", "U.S."}, {"a2", "United States"}, {"a3", "US"}, {"a5", "America"}},
		{{"a1", "Jean-Yves Le Drian"}, {"a2", "Le Drian"}, {"a5", "Le Drian"}},
	}
	for _, group := range same {
		want := got[group[0][0]][group[0][1]]
		if want == "" {
			t.Fatalf("%v: no entity", group[0])
		}
		for _, m := range group[1:] {
			if id := got[m[0]][m[1]]; id != want {
				t.Errorf("%s %q -> %q, want %q", m[0], m[1], id, want)
			}
		}
	}
	e, ok := r.Entity(got["a1"]["Antony Blinken"])
	if !ok {
		t.Fatal("entity not found")
	}
	if e.Name != "Antony Blinken" || e.Type != "PER" || e.Docs != 5 {
		t.Errorf("entity = %+v", e)
	}
	if !e.FirstSeen.Before(e.LastSeen) {
		t.Errorf("first/last seen = %v/%v", e.FirstSeen, e.LastSeen)
	}
	if len(e.Aliases) != 5 {
		t.Errorf("aliases = %v", e.Aliases)
	}
	if le, _ := r.Entity(got["a2"]["Le Drian"]); le.Name != "Jean-Yves Le Drian" {
		t.Errorf("Le Drian name = %q", le.Name)
	}
}

func TestResolverSharedSurname(t *testing.T) {
	r := NewResolver()
	docs := []doc{
		{"d1", mentions("George Bush", "PER", "Texas", "LOC", "Republican", "MISC")},
		{"d2", mentions("Jeb Bush", "PER", "Florida", "LOC", "Tallahassee", "LOC")},
		{"d3", mentions("Bush", "PER", "Florida", "LOC", "Tallahassee", "LOC")},
		{"d4", mentions("Bush", "PER", "Texas", "LOC", "Republican", "MISC")},
		{"d5", mentions("President Bush", "PER", "Laura Bush", "PER")},
	}
	got := resolveAll(r, docs)
	george, jeb := got["d1"]["George Bush"], got["d2"]["Jeb Bush"]
	if george == jeb {
		t.Fatalf("George and Jeb merged: %s", george)
	}
	if got["d3"]["Bush"] != jeb {
		t.Errorf("Florida Bush -> %s, want %s", got["d3"]["Bush"], jeb)
	}
	if got["d4"]["Bush"] != george {
		t.Errorf("Texas Bush -> %s, want %s", got["d4"]["Bush"], george)
	}
	laura := got["d5"]["Laura Bush"]
	if laura == george || laura == jeb {
		t.Errorf("Laura Bush merged into %s", laura)
	}
}

func TestResolverStableIDs(t *testing.T) {
	r := NewResolver()
	got := resolveAll(r, []doc{
		{"x1", mentions("Okonkwo", "PER")},
		{"x2", mentions("Adaeze Okonkwo", "PER", "Lagos", "LOC")},
		{"x3", mentions("North Atlantic Treaty Organization", "ORG")},
		{"x4", mentions("NATO", "ORG")},
	})
	id := got["x1"]["Okonkwo"]
	if id != "per:okonkwo" || got["x2"]["Adaeze Okonkwo"] != id {
		t.Errorf("ids %q %q", id, got["x2"]["Adaeze Okonkwo"])
	}
	if e, _ := r.Entity(id); e.Name != "Adaeze Okonkwo" {
		t.Errorf("name = %q", e.Name)
	}
	if got["x3"]["North Atlantic Treaty Organization"] != got["x4"]["NATO"] {
		t.Errorf("NATO not merged: %v", got)
	}
	// Re-seeding keeps IDs and resolves new mentions to them.
	r2 := NewResolver()
	r2.Load(r.Entities())
	again := resolveAll(r2, []doc{{"y1", mentions("Okonkwo", "PER", "Lagos", "LOC")}})
	if again["y1"]["Okonkwo"] != id || again["y1"]["Lagos"] != got["x2"]["Lagos"] {
		t.Errorf("after Load: %v", again)
	}
	if r2.IDF(id) >= r2.IDF("loc:nowhere") {
		t.Errorf("IDF of a known entity not below an unknown one")
	}
	before := r2.IDF(id)
	r2.SetDocCount(1000)
	if after := r2.IDF(id); after <= before {
		t.Errorf("IDF after SetDocCount(1000) = %v, not above %v", after, before)
	}
}

func TestResolverTitleOnly(t *testing.T) {
	r := NewResolver()
	refs := r.Add("t1", time.Time{}, mentions("Secretary", "PER", "Blinken", "ORG", "Antony Blinken", "PER"))
	if refs[0].EntityID != "" {
		t.Errorf("bare title resolved to %q", refs[0].EntityID)
	}
	if refs[1].EntityID != refs[2].EntityID {
		t.Errorf("mistyped surname not joined to the person: %v", refs)
	}
}

func TestResolverOverlapWeighsRareEntities(t *testing.T) {
	r := NewResolver()
	var common, rare string
	for i := 0; i < 20; i++ {
		ms := mentions("United States", "LOC")
		if i == 0 {
			ms = append(ms, mentions("Brindleford", "LOC")...)
		}
		refs := r.Add(string(rune('a'+i)), time.Time{}, ms)
		common = refs[0].EntityID
		if i == 0 {
			rare = refs[1].EntityID
		}
	}
	other := "loc:elsewhere"
	tests := []struct {
		name string
		a, b []string
		want func(float64) bool
	}{
		{"identical", []string{common, rare}, []string{rare, common, common}, func(x float64) bool { return x > 0.999 }},
		{"disjoint", []string{common}, []string{rare}, func(x float64) bool { return x == 0 }},
		{"empty", nil, []string{rare}, func(x float64) bool { return x == 0 }},
	}
	for _, tt := range tests {
		if got := r.Overlap(tt.a, tt.b); !tt.want(got) {
			t.Errorf("%s: Overlap = %v", tt.name, got)
		}
	}
	// sharing the rare entity says more than sharing the common one
	if r.Overlap([]string{rare, other}, []string{rare, common}) <= r.Overlap([]string{common, other}, []string{common, rare}) {
		t.Error("shared rare entity does not outweigh shared common entity")
	}
}

func TestBcubed(t *testing.T) {
	tests := []struct {
		pred, gold []string
		p, r       float64
	}{
		{[]string{"a", "a", "b"}, []string{"x", "x", "y"}, 1, 1},
		{[]string{"a", "a", "a"}, []string{"x", "x", "y"}, 5.0 / 9, 1},
		{[]string{"a", "b", "c"}, []string{"x", "x", "x"}, 1, 1.0 / 3},
	}
	for _, tt := range tests {
		s := bcubed(tt.pred, tt.gold)
		if abs(s.Precision-tt.p) > 1e-9 || abs(s.Recall-tt.r) > 1e-9 {
			t.Errorf("bcubed(%v, %v) = %.3f/%.3f, want %.3f/%.3f", tt.pred, tt.gold, s.Precision, s.Recall, tt.p, tt.r)
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestEvaluateResolutionBeatsExactMatch(t *testing.T) {
	g := func(text, typ, gold string) GoldMention { return GoldMention{Mention{Text: text, Type: typ}, gold} }
	docs := []ResolveDoc{
		{"1", []GoldMention{g("Antony Blinken", "PER", "ab"), g("Kiev", "LOC", "kyiv")}},
		{"2", []GoldMention{g("Secretary Blinken", "PER", "ab"), g("Kyiv", "LOC", "kyiv")}},
		{"3", []GoldMention{g("Blinken", "PER", "ab"), g("Paris", "LOC", "paris")}},
	}
	res, base := EvaluateResolution(docs)
	if res.F1 != 1 {
		t.Errorf("resolver = %+v, want F1 1", res)
	}
	if base.F1 >= res.F1 {
		t.Errorf("baseline %+v not below resolver %+v", base, res)
	}
}

func TestResolverWithinDocumentForms(t *testing.T) {
	r := NewResolver()
	got := resolveAll(r, []doc{
		{"k1", mentions("Kansas City Chiefs", "ORG", "Chiefs", "ORG", "Lindsay Lohan", "PER", "Lindsay", "PER", "W. Mark Felt", "PER", "Gaetano Lo Presti", "PER")},
		{"k2", mentions("Chiefs", "ORG", "Mark Felt", "PER", "Lo Presti", "PER", "Benjamin Banky , 40", "PER")},
		{"k3", mentions("Benjamin Banky", "PER", "In Queens", "LOC", "Queens", "LOC")},
	})
	pairs := [][4]string{
		{"k1", "Kansas City Chiefs", "k1", "Chiefs"},
		{"k1", "Chiefs", "k2", "Chiefs"},
		{"k1", "Lindsay Lohan", "k1", "Lindsay"},
		{"k1", "W. Mark Felt", "k2", "Mark Felt"},
		{"k1", "Gaetano Lo Presti", "k2", "Lo Presti"},
		{"k2", "Benjamin Banky , 40", "k3", "Benjamin Banky"},
		{"k3", "In Queens", "k3", "Queens"},
	}
	for _, p := range pairs {
		a, b := got[p[0]][p[1]], got[p[2]][p[3]]
		if a == "" || a != b {
			t.Errorf("%s %q -> %q, %s %q -> %q: want the same entity", p[0], p[1], a, p[2], p[3], b)
		}
	}
}

func TestEvaluateTaggedResolution(t *testing.T) {
	g := func(s, e int, text, gold string) GoldMention {
		return GoldMention{Mention{Start: s, End: e, Text: text, Type: "PER"}, gold}
	}
	docs := []TaggedDoc{
		{"1", []Mention{{0, 14, "Antony Blinken", "PER"}, {20, 25, "Paris", "LOC"}}, []GoldMention{g(0, 14, "Antony Blinken", "ab")}},
		{"2", []Mention{{4, 11, "Blinken", "PER"}}, []GoldMention{g(4, 11, "Blinken", "ab"), g(30, 35, "Lavrov", "sl")}},
	}
	s := EvaluateTaggedResolution(docs)
	if s.Mentions != 2 || s.F1 != 1 {
		t.Errorf("score = %+v, want 2 mentions, F1 1", s)
	}
}

func TestJoinFields(t *testing.T) {
	for _, s := range []string{"", " ", "Antony Blinken", " Antony Blinken", "Antony Blinken ", "Antony  Blinken",
		"Antony\nBlinken", "Antony\tBlinken", "Kyiv", "São Paulo", "Le\u00a0Drian", "a\u0085b", "x\r"} {
		if got, want := joinFields(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("joinFields(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestBcubedIsExactlyRepeatable: the same labels give bit-identical scores
// on every call (no float sum in map order).
func TestBcubedIsExactlyRepeatable(t *testing.T) {
	var pred, gold []string
	for i := 0; i < 2000; i++ {
		pred = append(pred, fmt.Sprint("p", (i*7)%37))
		gold = append(gold, fmt.Sprint("g", i%29))
	}
	first := bcubed(pred, gold)
	for range 20 {
		if s := bcubed(pred, gold); s != first {
			t.Fatalf("scores differ between calls: %+v vs %+v", s, first)
		}
	}
}

// TestPrepareRemembers: a remembered mention gives what computing it gives,
// whatever the position of the mention, and the memory stays bounded.
func TestPrepareRemembers(t *testing.T) {
	r := NewResolver()
	ms := []Mention{{Text: "Secretary Antony Blinken", Type: "PER"}, {Text: "Blinken's", Type: "PER"},
		{Text: "Kyiv", Type: "LOC"}, {Text: "Kiev", Type: "PER"}, {Text: "  United   Nations ", Type: "ORG"},
		{Text: "Zürich", Type: "LOC"}, {Text: "NATO", Type: "ORG"}, {Text: "NATO", Type: "MISC"}, {Text: "Acme Corp", Type: "PRODUCT"}}
	for round := range 2 {
		for i, m := range ms {
			m.Start, m.End = 10*i+round, 10*i+len(m.Text)
			got := r.prepare(m)
			mr := prepareMention(m)
			want := preparedMention{mr: mr, form: joinFields(m.Text), name: cleanName(m.Text, mr)}
			want.mr.byKey = byKeyOf(&want.mr)
			if fmt.Sprint(*got) != fmt.Sprint(want) {
				t.Errorf("round %d %q: %+v, want %+v", round, m.Text, got, want)
			}
		}
	}
	for i := range maxPrepared + 10 {
		r.prepare(Mention{Text: fmt.Sprint("Name", i), Type: "ORG"})
	}
	n := len(r.prepared)
	for _, m := range r.preparedTyped {
		n += len(m)
	}
	if n > maxPrepared || n != r.nPrepared {
		t.Errorf("%d mentions remembered (counted %d), at most %d", n, r.nPrepared, maxPrepared)
	}
}
