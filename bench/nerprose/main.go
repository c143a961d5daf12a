// Command nerprose measures github.com/jdkato/prose/v3's named-entity
// extraction and storyline's tagger side by side on a CoNLL file with the
// same CoNLL-2003 scorer. It is a separate module so that prose never
// becomes a dependency of the storyline binary.
//
//	cd bench/nerprose && go run . /path/to/eng.testa
package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/jdkato/prose/v3"

	"github.com/storyline/storyline/entity"
	"github.com/storyline/storyline/entity/conll"
)

// proseType maps prose's labels onto the CoNLL types.
func proseType(label string) string {
	switch label {
	case "PERSON":
		return "PER"
	case "GPE", "LOC":
		return "LOC"
	case "ORG":
		return "ORG"
	}
	return "MISC"
}

// docText joins a document's words with spaces (sentences on lines) and
// returns each word's byte span.
func docText(d conll.Document) (string, [][][2]int) {
	var b strings.Builder
	spans := make([][][2]int, len(d.Sentences))
	for i, s := range d.Sentences {
		for k, w := range s.Words {
			if k > 0 {
				b.WriteByte(' ')
			}
			spans[i] = append(spans[i], [2]int{b.Len(), b.Len() + len(w)})
			b.WriteString(w)
		}
		b.WriteByte('\n')
	}
	return b.String(), spans
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: nerprose FILE.conll")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	docs, err := conll.Read(f)
	f.Close()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}

	// prose
	sc := conll.NewScorer()
	start := time.Now()
	for _, d := range docs {
		text, spans := docText(d)
		pd, err := prose.NewDocument(text)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		guess := make([][]string, len(d.Sentences))
		for i, s := range d.Sentences {
			guess[i] = make([]string, len(s.Words))
			for k := range guess[i] {
				guess[i][k] = "O"
			}
		}
		for _, e := range pd.Entities() {
			typ := proseType(e.Label)
			first := true
			for i := range spans {
				for k, sp := range spans[i] {
					if sp[0] >= e.Start && sp[1] <= e.End() {
						if first {
							guess[i][k] = "B-" + typ
							first = false
						} else {
							guess[i][k] = "I-" + typ
						}
					}
				}
			}
		}
		for i, s := range d.Sentences {
			sc.Add(s.Tags, guess[i])
		}
	}
	proseTime := time.Since(start)
	report("prose/v3 v3.2.3", sc.Result(), len(docs), proseTime)

	// storyline, on the same text through its own tokenizer-free path
	tg, err := entity.Default()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sc = conll.NewScorer()
	start = time.Now()
	for _, d := range docs {
		words := make([][]string, len(d.Sentences))
		for i, s := range d.Sentences {
			words[i] = s.Words
		}
		for i, tags := range tg.TagWords(words) {
			sc.Add(d.Sentences[i].Tags, tags)
		}
	}
	report("storyline entity", sc.Result(), len(docs), time.Since(start))

	// storyline on raw text (its own tokenizer), timing only
	start = time.Now()
	for _, d := range docs {
		text, _ := docText(d)
		tg.Tag(text)
	}
	el := time.Since(start)
	fmt.Printf("storyline Tag(raw text): %d docs in %v (%.0f docs/s)\n", len(docs), el.Round(time.Millisecond), float64(len(docs))/el.Seconds())
}

func report(name string, r conll.Result, n int, el time.Duration) {
	fmt.Printf("%s: F1 %.4f  P %.4f  R %.4f  (%d docs in %v, %.0f docs/s)\n", name, r.F1, r.Precision, r.Recall, n, el.Round(time.Millisecond), float64(n)/el.Seconds())
	for _, t := range []string{"PER", "ORG", "LOC", "MISC"} {
		v := r.PerType[t]
		fmt.Printf("  %-4s F1 %.4f  P %.4f  R %.4f\n", t, v.F1, v.Precision, v.Recall)
	}
}
