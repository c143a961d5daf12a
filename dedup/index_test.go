package dedup

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// Texts written for these tests.
const (
	bridge = "Officials said on Tuesday that the old river bridge would remain closed for repairs until the end of next month."
	mayor  = "The mayor promised a full and independent investigation into the partial collapse, which injured four people."
	storm  = "Heavy rain and strong winds swept across the northern valley overnight, cutting power to thousands of homes."
	match  = "The home team won its third game in a row on Saturday evening, and supporters celebrated in the streets until dawn."
	budget = "Lawmakers approved the regional budget after a long debate about school funding and the cost of public transport."
	fire   = "Firefighters needed six hours to bring the warehouse blaze under control, and the cause is still being investigated."
)

func day(d int) time.Time { return time.Date(2024, 3, d, 9, 0, 0, 0, time.UTC) }

func words(n int, seed int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "w%d ", (i*7919+seed*104729)%100003)
	}
	return b.String()
}

func TestExactAndNear(t *testing.T) {
	base := strings.Join([]string{bridge, mayor, storm, match, budget, fire}, "\n")
	tests := []struct {
		name      string
		text      string
		wantExact bool
		wantNear  bool
	}{
		{"identical text, other id", base, true, false},
		{"case and spacing only", strings.ToUpper(strings.ReplaceAll(base, " ", "  ")), true, false},
		{"one word changed", strings.Replace(base, "thousands", "hundreds", 1), false, true},
		{"boilerplate added", base + "\nFollow our newsroom on social media for more updates.", false, true},
		{"paragraphs reordered", strings.Join([]string{storm, bridge, mayor, match, fire, budget}, "\n"), false, true},
		{"two of six paragraphs shared", strings.Join([]string{bridge, mayor, words(80, 1)}, "\n"), false, false},
		{"unrelated", words(120, 2), false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ix := NewIndex(DefaultOptions())
			ix.Add("orig", day(1), base)
			r := ix.Add("copy", day(2), tc.text)
			if got := slices.Contains(r.Exact, "orig"); got != tc.wantExact {
				t.Errorf("exact = %v, want %v (%+v)", got, tc.wantExact, r)
			}
			gotNear := len(r.Near) == 1 && r.Near[0].ID == "orig"
			if gotNear != tc.wantNear {
				t.Errorf("near = %+v, want near %v", r.Near, tc.wantNear)
			}
		})
	}
}

func TestPartialReuseIsNotDuplicate(t *testing.T) {
	ix := NewIndex(DefaultOptions())
	a := strings.Join([]string{bridge, mayor, storm, words(60, 3)}, "\n")
	b := strings.Join([]string{words(70, 4), bridge, mayor, storm}, "\n")
	ix.Add("a", day(1), a)
	r := ix.Add("b", day(2), b)
	if len(r.Exact)+len(r.Near) != 0 {
		t.Fatalf("reuse pair reported as duplicate: %+v", r)
	}
	if len(r.Reuse) != 1 || r.Reuse[0].From != "a" {
		t.Fatalf("reuse = %+v, want one origin a", r.Reuse)
	}
	ps := r.Reuse[0].Passages
	if len(ps) != 1 {
		t.Fatalf("passages = %+v, want the three paragraphs as one run", ps)
	}
	p := ps[0]
	want := strings.Join([]string{bridge, mayor, storm}, "\n")
	want = strings.TrimSuffix(want, ".")
	if p.Text != want {
		t.Errorf("passage text = %q, want %q", p.Text, want)
	}
	if b[p.ToOffset:p.ToOffset+p.Len] != p.Text {
		t.Errorf("to offset %d does not point at the passage", p.ToOffset)
	}
	if !strings.HasPrefix(a[p.FromOffset:], "Officials said") || a[p.FromOffset:p.FromOffset+p.FromLen] != p.Text {
		t.Errorf("from offset %d/%d does not point at the passage in the origin", p.FromOffset, p.FromLen)
	}
	if len(r.ReusedSpans) != 1 || r.ReusedSpans[0] != [2]int{p.ToOffset, p.ToOffset + p.Len} {
		t.Errorf("reused spans = %v", r.ReusedSpans)
	}
	total := len(strings.Fields(b))
	shared := p.Words
	if wantNov := 1 - float64(shared)/float64(total); math.Abs(r.Novelty-wantNov) > 1e-9 {
		t.Errorf("novelty = %v, want %v", r.Novelty, wantNov)
	}
}

func TestOriginIsEarliestHolder(t *testing.T) {
	ix := NewIndex(DefaultOptions())
	// Added out of order: "first" is published before "second".
	ix.Add("second", day(3), strings.Join([]string{words(40, 5), bridge, mayor}, "\n"))
	ix.Add("first", day(1), strings.Join([]string{bridge, words(40, 6)}, "\n"))
	r := ix.Add("third", day(5), strings.Join([]string{bridge, mayor, words(40, 7)}, "\n"))
	got := map[string]string{}
	for _, ru := range r.Reuse {
		for _, p := range ru.Passages {
			got[p.Text[:12]] = ru.From
		}
	}
	want := map[string]string{bridge[:12]: "first", mayor[:12]: "second"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("origin of %q = %q, want %q (all %v)", k, got[k], v, got)
		}
	}
	// A later article is not an origin for an earlier one.
	r = ix.Query("early", day(0), bridge)
	if len(r.Reuse) != 0 || r.Novelty != 1 {
		t.Errorf("article published first reuses %+v", r.Reuse)
	}
}

func TestTinyArticles(t *testing.T) {
	ix := NewIndex(DefaultOptions())
	r := ix.Add("t1", day(1), "Live")
	if len(r.Exact)+len(r.Near)+len(r.Reuse) != 0 || r.Novelty != 1 {
		t.Fatalf("first tiny article: %+v", r)
	}
	r = ix.Add("t2", day(2), "LIVE!")
	if !slices.Equal(r.Exact, []string{"t1"}) {
		t.Errorf("tiny copy: exact = %v, want [t1]", r.Exact)
	}
	if r.Novelty != 0 || len(r.Reuse) != 1 || r.Reuse[0].From != "t1" {
		t.Errorf("tiny copy: novelty %v reuse %+v, want all taken from t1", r.Novelty, r.Reuse)
	}
	r = ix.Add("t3", day(3), "Watch the video")
	if len(r.Exact)+len(r.Near) != 0 {
		t.Errorf("different tiny article matched: %+v", r)
	}
	r = ix.Add("t4", day(4), "Live coverage of the storm: "+storm)
	if slices.Contains(r.Duplicates(), "t1") {
		t.Errorf("long article duplicates tiny one: %+v", r)
	}
	r = ix.Add("empty", day(5), " ... ")
	if len(r.Duplicates()) != 0 || r.Novelty != 1 {
		t.Errorf("empty article: %+v", r)
	}
}

func TestUpdateInPlaceAndRemove(t *testing.T) {
	ix := NewIndex(DefaultOptions())
	v1 := strings.Join([]string{bridge, mayor, storm, match}, "\n")
	v2 := strings.Join([]string{budget, fire, words(30, 8)}, "\n")
	ix.Add("a", day(1), v1)
	ix.Add("a", day(1), v2) // updated in place
	if ix.Len() != 1 {
		t.Fatalf("len = %d after update, want 1", ix.Len())
	}
	if r := ix.Query("q", day(2), v1); len(r.Duplicates())+len(r.Reuse) != 0 {
		t.Errorf("old version still matches: %+v", r)
	}
	if r := ix.Query("q", day(2), v2); !slices.Equal(r.Exact, []string{"a"}) {
		t.Errorf("new version not found: %+v", r)
	}
	// Re-adding the same article does not match itself.
	if r := ix.Add("a", day(1), v2); len(r.Duplicates())+len(r.Reuse) != 0 {
		t.Errorf("re-added article matched itself: %+v", r)
	}
	ix.Remove("a")
	ix.Remove("missing")
	if r := ix.Query("q", day(2), v2); len(r.Duplicates())+len(r.Reuse) != 0 || ix.Len() != 0 {
		t.Errorf("removed article still found: %+v", r)
	}
	st := ix.Stats()
	if st.LSHKeys+st.FingerprintKeys+st.ExactKeys != 0 {
		t.Errorf("keys left after removal: %+v", st)
	}
}

func TestEntryRoundTrip(t *testing.T) {
	texts := map[string]string{
		"a": strings.Join([]string{bridge, mayor, storm}, "\n"),
		"b": strings.Join([]string{match, budget}, "\n"),
		"c": "Live",
	}
	ix := NewIndex(DefaultOptions())
	for id, tx := range texts {
		ix.Add(id, day(1), tx)
	}
	rebuilt := NewIndex(DefaultOptions())
	for id := range texts {
		e, ok := ix.Entry(id)
		if !ok {
			t.Fatalf("no entry for %s", id)
		}
		if err := rebuilt.AddEntry(id, day(1), e); err != nil {
			t.Fatalf("AddEntry(%s): %v", id, err)
		}
	}
	if _, ok := ix.Entry("nope"); ok {
		t.Error("entry for unknown id")
	}
	q := strings.Join([]string{words(20, 9), bridge, mayor, storm, "Extra closing words for this copy."}, "\n")
	want, got := ix.Query("q", day(2), q), rebuilt.Query("q", day(2), q)
	if fmt.Sprint(want) != fmt.Sprint(got) {
		t.Errorf("rebuilt index answers\n%+v\nwant\n%+v", got, want)
	}
	if s1, s2 := ix.Stats(), rebuilt.Stats(); s1.LSHKeys != s2.LSHKeys || s1.FingerprintKeys != s2.FingerprintKeys || s1.Words != s2.Words {
		t.Errorf("stats differ: %+v vs %+v", s1, s2)
	}
	for _, bad := range [][]byte{nil, {2, 0, 0}, {1, 1, 2, 3, 4, 5, 6, 7, 8, 200}} {
		if err := rebuilt.AddEntry("x", day(1), bad); err == nil {
			t.Errorf("AddEntry(%v) accepted", bad)
		}
	}
}

func TestLSHParams(t *testing.T) {
	for _, tc := range []struct {
		k          int
		t          float64
		bands, row int
	}{
		{128, 0.6, 42, 3},
		{128, 0.8, 21, 6},
		{128, 0.5, 42, 3},
		{64, 0.9, 9, 7},
	} {
		b, r := LSHParams(tc.k, tc.t)
		if b != tc.bands || r != tc.row {
			t.Errorf("LSHParams(%d, %v) = %d, %d; want %d, %d", tc.k, tc.t, b, r, tc.bands, tc.row)
		}
		if p := CandidateProb(tc.t, b, r); p < MinCandidateProb {
			t.Errorf("candidate probability %v at threshold", p)
		}
		if b*r > tc.k {
			t.Errorf("%d x %d > %d", b, r, tc.k)
		}
	}
}

func TestEstimateTracksJaccard(t *testing.T) {
	var filled [256]bool
	for _, overlap := range []int{0, 250, 500, 750, 1000} {
		a := make([]uint64, 1000)
		b := make([]uint64, 1000)
		for i := range a {
			a[i] = mix64(uint64(i))
			if i < overlap {
				b[i] = a[i]
			} else {
				b[i] = mix64(uint64(i + 1<<40))
			}
		}
		sa, sb := make([]uint32, 256), make([]uint32, 256)
		signature(sa, a, filled[:])
		signature(sb, b, filled[:])
		j := float64(overlap) / float64(2000-overlap)
		est := estimate(truncate(nil, sa), truncate(nil, sb))
		if math.Abs(est-j) > 4*math.Sqrt(j*(1-j)/256)+0.01 {
			t.Errorf("overlap %d: estimate %.3f, Jaccard %.3f", overlap, est, j)
		}
	}
}

func TestTokenize(t *testing.T) {
	var tk tokens
	text := "Élan, DON'T  stop—2024 Zürich café!"
	tk.tokenize(text)
	var got []string
	for i := range tk.hash {
		got = append(got, text[tk.start[i]:tk.end[i]])
	}
	want := []string{"Élan", "DON", "T", "stop", "2024", "Zürich", "café"}
	if !slices.Equal(got, want) {
		t.Errorf("words = %q, want %q", got, want)
	}
	var tk2 tokens
	tk2.tokenize("élan don t STOP 2024 zürich CAFÉ")
	if !slices.Equal(tk.hash, tk2.hash) {
		t.Error("case-folded words hash differently")
	}
}

func TestCollectorAndMark(t *testing.T) {
	base := strings.Join([]string{bridge, mayor, storm, match}, "\n")
	docs := []Doc{
		{ID: "a", Published: day(1), Text: base},
		{ID: "b", Published: day(2), Text: base + "\nMore to follow."},
		{ID: "c", Published: day(3), Text: strings.Join([]string{words(50, 10), mayor}, "\n")},
		{ID: "d", Published: day(4), Text: base},
	}
	s := Dups(docs, DefaultOptions())
	if len(s.Duplicates) != 1 || !slices.Equal(s.Duplicates[0].Articles, []string{"a", "b", "d"}) {
		t.Fatalf("duplicates = %+v", s.Duplicates)
	}
	var c *ReusePair
	for i := range s.Reuse {
		if s.Reuse[i].To == "c" {
			c = &s.Reuse[i]
		}
	}
	if c == nil || c.From != "a" || len(c.Passages) != 1 {
		t.Fatalf("reuse of c = %+v", c)
	}
	ix := NewIndex(DefaultOptions())
	ix.Add("a", day(1), base)
	r := ix.Add("c", day(3), docs[2].Text)
	m := Mark(docs[2].Text, r)
	if !strings.Contains(m, "«"+strings.TrimSuffix(mayor, ".")+"»[from a]") {
		t.Errorf("marked text = %q", m)
	}
}
