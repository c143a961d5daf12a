package text

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/corpora"
)

// ecbPlus is the shared ECB+ corpus; the comparisons on it are skipped
// when it is absent.
var ecbPlus = filepath.Join(corpora.Data(), "ecbplus", "ecbplus-dev.jsonl")

// tricky texts exercise the slow paths: non-ASCII letters, curly
// apostrophes, dotted acronyms, words longer than 16 bytes, digits.
var tricky = []struct{ title, body string }{
	{"", ""},
	{"U.S. Says N.A.T.O. Talks Resume", "The U.S. and the U.K. met. Officials said the \u201ctalks\u201d went well.\nU.N. envoys arrived on Monday."},
	{"Zürich’s ÉLAN", "Ça va? Über-Größe STRASSE straße İstanbul ΑΘΗΝΑ Αθήνα. Don’t WON’T it’s.\nThe Président spoke in Montréal."},
	{"Internationalization", "Counterrevolutionaries and INTERNATIONALIZATION of antidisestablishmentarianism, electroencephalographically. " +
		"Sixteen-letter: responsibilities RESPONSIBILITIES. Seventeen: responsibilitiess."},
	{"AT&T al-Assad", "AT&T and al-Assad's plan, 3.5% up. 2024-01-01 10:30. A b c D E f. I. J. K."},
	{"Numbers 123", "123 4567 89.5 1,000,000 3rd 21st. 0x1F. X\x00Y. \xff\xfe broken utf8 \xe2\x80 tail."},
}

type doc struct{ Title, Text string }

func loadECB(t testing.TB) []doc {
	f, err := os.Open(ecbPlus)
	if err != nil {
		t.Skip("no ECB+ corpus:", err)
	}
	defer f.Close()
	var docs []doc
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 8<<20)
	for sc.Scan() {
		var d doc
		if json.Unmarshal(sc.Bytes(), &d) == nil {
			docs = append(docs, d)
		}
	}
	if len(docs) == 0 {
		t.Fatal("empty corpus")
	}
	return docs
}

// variants returns d and case and layout variants of it, so the
// comparison sees upper-case words, names and sentence breaks shift.
func variants(d doc) []doc {
	return []doc{
		d,
		{strings.ToUpper(d.Title), strings.ToUpper(d.Text)},
		{strings.ToLower(d.Title), strings.ToLower(d.Text)},
		{"", strings.ReplaceAll(d.Text, ". ", ".\n")},
		{d.Title + " " + d.Title, strings.ReplaceAll(d.Text, "'", "\u2019")},
	}
}

// compareAnalyzers checks that the Analyzer gives exactly what the
// reference gives, with and without discount spans, and that Discount
// gives exactly what Analyze with those spans gives.
func compareAnalyzers(t *testing.T, a *Analyzer, ref *refAnalyzer, d doc) {
	t.Helper()
	got := a.Analyze(d.Title, d.Text, nil)
	want := ref.Analyze(d.Title, d.Text, nil)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Analyze(%.60q) differs from the reference:\n got %+v\nwant %+v", d.Text, got, want)
	}
	sents := got.Sentences
	var every3, most []Span // every third sentence; half the first and all later ones
	for i := 1; i < len(sents); i += 3 {
		every3 = append(every3, sents[i])
	}
	if len(sents) > 0 {
		most = append(most, Span{sents[0].Start, sents[0].End / 2})
		most = append(most, sents[1:]...)
	}
	for _, discount := range [][]Span{every3, most} {
		gotD := a.Analyze(d.Title, d.Text, discount)
		wantD := ref.Analyze(d.Title, d.Text, discount)
		if !reflect.DeepEqual(gotD, wantD) {
			t.Fatalf("Analyze(%.60q, %v) differs from the reference", d.Text, discount)
		}
		if re := got.Discount(discount); !reflect.DeepEqual(re.Terms, wantD.Terms) || !reflect.DeepEqual(re.Names, wantD.Names) {
			t.Fatalf("Discount(%.60q, %v) differs from Analyze with the spans", d.Text, discount)
		}
	}
}

func TestAnalyzeMatchesReferenceTricky(t *testing.T) {
	a, ref := NewAnalyzer(), newRefAnalyzer()
	for _, d := range tricky {
		for _, v := range variants(doc{d.title, d.body}) {
			compareAnalyzers(t, a, ref, v)
		}
	}
}

func TestAnalyzeMatchesReferenceECB(t *testing.T) {
	docs := loadECB(t)
	a, ref := NewAnalyzer(), newRefAnalyzer()
	for _, d := range docs {
		for _, v := range variants(d) {
			compareAnalyzers(t, a, ref, v)
		}
	}
	// A fresh Analyzer per article (cold caches) too, on a sample.
	for i := 0; i < len(docs); i += 37 {
		compareAnalyzers(t, NewAnalyzer(), newRefAnalyzer(), docs[i])
	}
}

// TestStemmerMatchesReference checks Term word by word, including with a
// tiny cache that is cleared over and over.
func TestStemmerMatchesReference(t *testing.T) {
	var words []string
	add := func(s string) {
		refTokens(s, func(tk Token) { words = append(words, s[tk.Start:tk.End]) })
	}
	for _, d := range tricky {
		add(d.title + "\n" + d.body)
	}
	words = append(words, "", "a", "A", ".", "..", "U.S.", "\u2019", "x\u2019s", strings.Repeat("a", 16),
		strings.Repeat("B", 16), strings.Repeat("a", 17), "abcdefgh", "abcdefghi", "ABCDEFGH.", "\x00", "\x00\x00", "İ")
	if f, err := os.ReadFile(ecbPlus); err == nil {
		add(string(f[:min(len(f), 1<<20)]))
	}
	for _, limit := range []int{maxStemCache, 64, 1} {
		s, ref := NewStemmer(), newRefStemmer()
		s.limit = limit
		for round := 0; round < 2; round++ {
			for _, w := range words {
				gt, gs := s.Term(w)
				wt, ws := ref.Term(w)
				if gt != wt || gs != ws {
					t.Fatalf("limit %d: Term(%q) = %v, %v; want %v, %v", limit, w, gt, gs, wt, ws)
				}
			}
		}
		if n := s.used + len(s.long); n > limit || n == 0 {
			t.Errorf("limit %d: cache holds %d words", limit, n)
		}
	}
}

func TestTokensMatchReference(t *testing.T) {
	texts := []string{"", " ", "a", "U.S.", "U.S", "x.", "a-", "-a", "AT&T", "a&", "don\u2019t", "don\u2019", "\u2019s"}
	for _, d := range tricky {
		texts = append(texts, d.title, d.body)
	}
	if f, err := os.ReadFile(ecbPlus); err == nil {
		texts = append(texts, string(f))
	}
	for _, s := range texts {
		var got, want []Token
		Tokens(s, func(tk Token) { got = append(got, tk) })
		refTokens(s, func(tk Token) { want = append(want, tk) })
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Tokens(%.60q) differs from the reference", s)
		}
		if got, want := Sentences(s), refSentences(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("Sentences(%.60q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzAnalyzeMatchesReference(f *testing.F) {
	for _, d := range tricky {
		f.Add(d.title, d.body)
	}
	a, ref := NewAnalyzer(), newRefAnalyzer()
	f.Fuzz(func(t *testing.T, title, body string) {
		compareAnalyzers(t, a, ref, doc{title, body})
	})
}

// TestStemmersConcurrent runs Stemmers in parallel over the shared cache
// (meaningful under -race): each must still match the reference.
func TestStemmersConcurrent(t *testing.T) {
	var words []string
	for _, d := range tricky {
		s := d.title + " " + d.body
		refTokens(s, func(tk Token) { words = append(words, s[tk.Start:tk.End]) })
	}
	for i := range 500 {
		words = append(words, "concurrentword"+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	ref := newRefStemmer()
	want := make([]Term, len(words))
	for i, w := range words {
		want[i], _ = ref.Term(w)
	}
	errs := make(chan string, 4)
	for g := range 4 {
		go func() {
			s := NewStemmer()
			for k := range words {
				i := (k + g*97) % len(words)
				if got, _ := s.Term(words[i]); got != want[i] {
					errs <- words[i]
					return
				}
			}
			errs <- ""
		}()
	}
	for range 4 {
		if w := <-errs; w != "" {
			t.Errorf("concurrent Term(%q) differs from the reference", w)
		}
	}
}
