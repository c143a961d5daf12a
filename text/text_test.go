package text

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestSentences(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"Mr. Blinken met Gen. Smith in the U.S. on Monday. They talked.", []string{"Mr. Blinken met Gen. Smith in the U.S. on Monday.", "They talked."}},
		{"He said \"no.\" Then he left!\nNew paragraph", []string{"He said \"no.\"", "Then he left!", "New paragraph"}},
		{"Antony J. Blinken arrived Feb. 6 at 3 p.m. local time.", []string{"Antony J. Blinken arrived Feb. 6 at 3 p.m. local time."}},
		{"He said: \u201cMy father remembers 1987. People are frightened.\u201d Then he left.", []string{"He said: \u201cMy father remembers 1987. People are frightened.\u201d", "Then he left."}},
		{"An \u201cunclosed quote. Still one\nNext", []string{"An \u201cunclosed quote. Still one", "Next"}},
		{"A stray \u201c mark. " + strings.Repeat("Word ", 90) + "end. Next one.", []string{"A stray \u201c mark. " + strings.Repeat("Word ", 90) + "end.", "Next one."}},
		{"  ", nil},
	}
	for _, c := range cases {
		var got []string
		for _, sp := range Sentences(c.in) {
			got = append(got, c.in[sp.Start:sp.End])
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("Sentences(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTokens(t *testing.T) {
	in := "U.S. officials don't know al-Assad's AT&T plan, 3.5% up."
	var got []string
	Tokens(in, func(tk Token) { got = append(got, in[tk.Start:tk.End]) })
	want := "U.S.|officials|don't|know|al-Assad's|AT&T|plan|3.5|up"
	if strings.Join(got, "|") != want {
		t.Errorf("Tokens = %q, want %q", strings.Join(got, "|"), want)
	}
}

func TestStemmerTerms(t *testing.T) {
	s := NewStemmer()
	a, _ := s.Term("Elections")
	b, _ := s.Term("election")
	c, _ := s.Term("ELECTRICITY")
	if a != b {
		t.Error("Elections and election differ")
	}
	if a == c {
		t.Error("election and electricity share a term")
	}
	if _, stop := s.Term("The"); !stop {
		t.Error("The is not a stop word")
	}
	u1, _ := s.Term("U.S.")
	u2, _ := s.Term("US")
	if u1 != u2 {
		t.Error("U.S. and US differ")
	}
}

func TestAnalyzeDiscountsReusedSpans(t *testing.T) {
	body := "The dam broke on Tuesday.\nThe reservoir was built in 1964 by the Selva authority."
	a := NewAnalyzer()
	plain := a.Analyze("", body, nil)
	sp := Sentences(body)[1]
	disc := a.Analyze("", body, []Span{sp})
	wt := func(an Analysis, word string) float32 {
		tm, _ := a.Stemmer().Term(word)
		for _, x := range an.Terms {
			if x.Term == tm {
				return x.W
			}
		}
		return 0
	}
	if wt(disc, "reservoir") >= wt(plain, "reservoir") || wt(disc, "dam") != wt(plain, "dam") {
		t.Errorf("reused span not discounted: %v vs %v", wt(disc, "reservoir"), wt(plain, "reservoir"))
	}
	if len(plain.Names) == 0 {
		t.Error("no names found (Selva)")
	}
}

// TestDiscountMatchesAnalyze checks that re-weighting a finished analysis
// gives exactly what analyzing the text with the discount spans gives.
func TestDiscountMatchesAnalyze(t *testing.T) {
	title := "Presidents Speak by Phone as Talks Resume"
	body := "The two presidents spoke by phone on Sunday. They discussed the border. " +
		"Officials in Kyiv said the call lasted an hour. The talks resume in Geneva next week. " +
		"Mr. Blinken will travel to Berlin on Monday. Background: the border dispute began in 2014."
	sents := Sentences(body)
	cases := []struct {
		name     string
		discount []Span
		changes  bool
	}{
		{"none", nil, false},
		{"second sentence", []Span{sents[1]}, true},
		{"lead and tail", []Span{{sents[0].Start, sents[1].End}, {sents[4].Start, len(body)}}, true},
		{"a few words only", []Span{{sents[2].Start, sents[2].Start + 5}}, false},
	}
	an := NewAnalyzer()
	base := an.Analyze(title, body, nil)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := NewAnalyzer().Analyze(title, body, c.discount)
			got := base.Discount(c.discount)
			if !reflect.DeepEqual(got.Terms, want.Terms) || !reflect.DeepEqual(got.Names, want.Names) {
				t.Fatalf("Discount differs from Analyze:\n got %v %v\nwant %v %v", got.Terms, got.Names, want.Terms, want.Names)
			}
			if changed := !reflect.DeepEqual(got.Terms, base.Terms); changed != c.changes {
				t.Fatalf("weights changed: %v, want %v", changed, c.changes)
			}
		})
	}
}

func TestSortKeys(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		name string
		n    int
		key  func(i int) uint64
	}{
		{"empty", 0, nil},
		{"short", 10, func(int) uint64 { return rng.Uint64() }},
		{"uniform", 1000, func(int) uint64 { return rng.Uint64() }},
		{"power of two", 512, func(int) uint64 { return rng.Uint64() }},
		{"one bucket", 300, func(i int) uint64 { return 7<<56 | rng.Uint64()>>8 }},
		{"duplicates", 200, func(i int) uint64 { return uint64(i%3) << 62 }},
		{"descending", 100, func(i int) uint64 { return ^uint64(i) }},
	}
	var dst []uint64
	var count []int32
	for _, c := range cases {
		keys := make([]uint64, c.n)
		for i := range keys {
			keys[i] = c.key(i)
		}
		want := slices.Sorted(slices.Values(keys))
		dst, count = sortKeys(keys, dst, count)
		if !slices.Equal(dst, want) {
			t.Errorf("%s: sortKeys is not sorted", c.name)
		}
	}
}

// TestAbbreviationKeys: isAbbrevBefore lower-cases into a 16-byte buffer,
// so every key must fit and be lower case.
func TestAbbreviationKeys(t *testing.T) {
	for k := range abbreviations {
		if len(k) > 16 || strings.ToLower(k) != k {
			t.Errorf("abbreviation %q does not fit isAbbrevBefore", k)
		}
	}
}
