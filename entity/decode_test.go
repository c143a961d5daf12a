package entity

import (
	"strings"
	"testing"
)

func TestPlainO(t *testing.T) {
	tg := mustDefault(t)
	f := tg.m.newFeaturizer()
	tests := []struct {
		sentence string
		word     int
		want     bool
	}{
		{"The minister said on Monday .", 2, true},               // lower-case word
		{"The minister said on Monday .", 5, true},               // punctuation
		{"The minister said on Monday .", 0, false},              // first word
		{"The minister said on Monday .", 4, false},              // capitalized
		{"Prices rose 4.5 percent in 1996 .", 2, true},           // number
		{"It was a well-known fact .", 3, true},                  // hyphenated lower-case word
		{"He met de Villepin in Paris .", 2, false},              // particle that starts a name
		{"He met van Gaal in Amsterdam .", 2, false},             // particle that starts a name
		{"He visited Bosnia and Herzegovina .", 3, false},        // inside a gazetteer phrase
		{"officials in washington said nothing .", 1, false},     // uncased sentence
		{"officials in washington said nothing .", 5, false},     // uncased sentence, punctuation
		{"OFFICIALS IN WASHINGTON SAID NOTHING , 2 .", 6, false}, // uncased sentence, number
	}
	for _, tt := range tests {
		words := strings.Fields(tt.sentence)
		toks := f.prepare(words)
		if got := plainO(toks, tt.word, f.uncased); got != tt.want {
			t.Errorf("plainO(%q, %q) = %v, want %v", tt.sentence, words[tt.word], got, tt.want)
		}
	}
}

// TestShortcutAgrees decodes the test fixture and news-like text with and
// without the plain-word shortcut: the labels must (almost) all agree and
// the shortcut must skip a good share of the tokens. (On CoNLL-2003 0.02%
// of the labels of eng.train and 0.3% of eng.testa differ; the fixture's
// invented names, which the model has never seen, are closer calls.)
func TestShortcutAgrees(t *testing.T) {
	tg := mustDefault(t)
	var docs [][][]string
	for _, d := range readFixture(t) {
		var doc [][]string
		for _, s := range d.Sentences {
			doc = append(doc, s.Words)
		}
		docs = append(docs, doc)
	}
	for _, text := range []string{benchArticle,
		"Foreign Minister Halvard Brennick met Chancellor Olaf Scholz in Berlin on Tuesday, the Dutch news agency ANP said.",
		"Lindsay Lohan has left the Betty Ford Center and is moving to Malibu. She said she was \"grateful\" to her fans.",
		"Shares of General Motors fell 3 percent in New York after Ford Motor Co said sales rose 12.5 percent in 2023.",
	} {
		toks, sents := Tokenize(text, nil, nil)
		var doc [][]string
		from := 0
		for _, end := range sents {
			var words []string
			for _, s := range toks[from:end] {
				words = append(words, text[s.Start:s.End])
			}
			doc = append(doc, words)
			from = end
		}
		docs = append(docs, doc)
	}
	for _, beam := range []int{1, DefaultBeam} {
		exact, fast := newDecoder(tg.m, beam), newDecoder(tg.m, beam)
		exact.exact = true
		n, diff := 0, 0
		for _, doc := range docs {
			exact.startDoc()
			fast.startDoc()
			for _, words := range doc {
				a, b := make([]uint8, len(words)), make([]uint8, len(words))
				exact.sentence(words, a)
				fast.sentence(words, b)
				for i := range a {
					n++
					if a[i] != b[i] {
						diff++
						t.Logf("beam %d: %q: %s exact, %s with the shortcut", beam, words[i], labelTag(a[i]), labelTag(b[i]))
					}
				}
			}
		}
		if exact.skipped != 0 || fast.tokens != n {
			t.Fatalf("beam %d: exact decoder skipped %d; %d of %d tokens counted", beam, exact.skipped, fast.tokens, n)
		}
		if share := float64(fast.skipped) / float64(n); share < 0.4 {
			t.Errorf("beam %d: shortcut skipped %.2f of the tokens, want >= 0.4", beam, share)
		}
		if diff*50 > n {
			t.Errorf("beam %d: %d of %d labels differ, want <= 2%%", beam, diff, n)
		}
	}
}
