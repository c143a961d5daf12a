package entity

import (
	"reflect"
	"strings"
	"testing"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		text  string
		words string // tokens joined by |
		sents []int
	}{
		{"The U.S. said no.", "The|U.S.|said|no|.", []int{5}},
		{"Mr. O'Neill's firm, AT&T Inc., paid $1,250.50 on 1996-08-30!", "Mr.|O'Neill|'s|firm|,|AT&T|Inc.|,|paid|$|1,250.50|on|1996-08-30|!", []int{14}},
		{"I don't know -- see http://example.com/a?b=1. Next", "I|do|n't|know|--|see|http://example.com/a?b=1|.|Next", []int{8, 9}},
		{"Headline here\n\nBody text starts", "Headline|here|Body|text|starts", []int{2, 5}},
		{"mail jo@example.org now", "mail|jo@example.org|now", []int{3}},
		{"Tara Reid Checks Into Rehab\nIt was", "Tara|Reid|Checks|Into|Rehab|It|was", []int{5, 7}},
		{"Jean-Yves Le Drian (AFP) ...", "Jean-Yves|Le|Drian|(|AFP|)|...", []int{7}},
	}
	for _, tt := range tests {
		toks, sents := Tokenize(tt.text, nil, nil)
		var words []string
		for _, s := range toks {
			words = append(words, tt.text[s.Start:s.End])
		}
		if got := strings.Join(words, "|"); got != tt.words {
			t.Errorf("Tokenize(%q) = %s, want %s", tt.text, got, tt.words)
		}
		if !reflect.DeepEqual(sents, tt.sents) {
			t.Errorf("Tokenize(%q) sentences = %v, want %v", tt.text, sents, tt.sents)
		}
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"The U.S. said no.", "O'Neill's AT&T 1,000.5 --", "\n\nx\u00a0y\xff", "http://a.b/c. d@e.f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks, sents := Tokenize(s, nil, nil)
		prev := 0
		for _, tk := range toks {
			if tk.Start < prev || tk.End <= tk.Start || tk.End > len(s) {
				t.Fatalf("bad span %+v (prev end %d) in %q", tk, prev, s)
			}
			prev = tk.End
		}
		last := 0
		for _, e := range sents {
			if e <= last || e > len(toks) {
				t.Fatalf("bad sentence end %d in %v", e, sents)
			}
			last = e
		}
		if len(toks) > 0 && last != len(toks) {
			t.Fatalf("last sentence ends at %d of %d", last, len(toks))
		}
	})
}
