package dedupeval

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/dedup"
)

// ownDocs writes documents of made-up sentences (no external text): words
// are random syllable strings drawn with a Zipf law, as in natural text.
func ownDocs(n int) []Doc {
	r := rand.New(rand.NewPCG(3, 4))
	syl := []string{"ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "da", "pe", "zi", "on", "ar", "el", "us"}
	vocab := make([]string, 3000)
	for i := range vocab {
		var b strings.Builder
		for k := 1 + r.IntN(3); k > 0; k-- {
			b.WriteString(syl[r.IntN(len(syl))])
		}
		vocab[i] = b.String()
	}
	z := rand.NewZipf(r, 1.2, 3, uint64(len(vocab)-1))
	docs := make([]Doc, n)
	for i := range docs {
		var paras []string
		for p := 0; p < 3+r.IntN(4); p++ {
			var ss []string
			for s := 0; s < 1+r.IntN(3); s++ {
				var ws []string
				for w := 10 + r.IntN(16); w > 0; w-- {
					ws = append(ws, vocab[z.Uint64()])
				}
				sent := strings.Join(ws, " ") + "."
				ss = append(ss, strings.ToUpper(sent[:1])+sent[1:])
			}
			paras = append(paras, strings.Join(ss, " "))
		}
		docs[i] = Doc{ID: fmt.Sprint("d", i), Text: strings.Join(paras, "\n")}
	}
	return docs
}

func TestTruePairs(t *testing.T) {
	t0 := time.Unix(0, 0)
	arts := []Article{
		{ID: "a", Published: t0, Text: "one two three four five six seven"},  // 4 shingles
		{ID: "b", Published: t0, Text: "one two three four five six eight"},  // shares 3 of 5
		{ID: "c", Published: t0, Text: "ONE two three, four five six seven"}, // identical to a
		{ID: "d", Published: t0, Text: "nine ten eleven twelve thirteen"},    // disjoint
	}
	got, _, err := truePairs(context.Background(), arts, 4, 0.6)
	if err != nil {
		t.Fatal(err)
	}
	want := map[pair]bool{{0, 1}: true, {0, 2}: true, {1, 2}: true} // 3/5 = 0.6
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("pairs = %v, want %v", got, want)
	}
}

func TestGenerateDeterministicAndVaried(t *testing.T) {
	docs := ownDocs(80)
	a, b := Generate(docs, 7), Generate(docs, 7)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatal("same seed, different corpus")
	}
	kinds := map[string]int{}
	for i, x := range a {
		kinds[x.Kind]++
		if i > 0 && !a[i-1].Published.Before(x.Published) {
			t.Fatalf("publication times not increasing at %d", i)
		}
	}
	for _, k := range []string{"original", "syndicated", "reuse", "exact", "tiny"} {
		if kinds[k] == 0 {
			t.Errorf("no %s articles in %v", k, kinds)
		}
	}
}

func TestEvaluateOnOwnCorpus(t *testing.T) {
	arts := Generate(ownDocs(120), 1)
	rep, err := Evaluate(context.Background(), arts, dedup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.TruePairs == 0 || rep.SharedSentences == 0 {
		t.Fatalf("degenerate corpus: %+v", rep)
	}
	if rep.Precision < 0.98 || rep.Recall < 0.95 || rep.SentenceF1 < 0.95 {
		t.Errorf("below floors: precision %.3f recall %.3f F1 %.3f (%+v)", rep.Precision, rep.Recall, rep.SentenceF1, rep)
	}
	var sb strings.Builder
	if err := WriteReport(&sb, rep); err != nil || !strings.Contains(sb.String(), "precision") {
		t.Errorf("report: %v %q", err, sb.String())
	}
}
