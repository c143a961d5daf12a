package article

import (
	"bufio"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/corpora"
)

// refLooksEnglish, refIdentify and refCountWords are the versions from
// before the speed work (a map of function words, the whole title + text
// concatenated, a byte loop), kept as the reference the fast versions
// must match exactly.
func refLooksEnglish(text string) (bool, float64) {
	var buf [12]byte
	words, hits, nonASCII := 0, 0, 0
	n := 0
	flush := func() {
		if n > 0 {
			words++
			if n <= len(buf) && englishWords[string(buf[:n])] {
				hits++
			}
			n = 0
		}
	}
	for i := 0; i < len(text) && words < 300; i++ {
		c := text[i]
		switch {
		case c >= 'a' && c <= 'z':
			if n < len(buf) {
				buf[n] = c
			}
			n++
		case c >= 'A' && c <= 'Z':
			if n < len(buf) {
				buf[n] = c + 'a' - 'A'
			}
			n++
		case c >= 0x80:
			nonASCII++
			if n < len(buf) {
				buf[n] = 0
			}
			n++
		default:
			flush()
		}
	}
	flush()
	if words < 8 || nonASCII*10 > len(text) {
		return false, 0
	}
	share := float64(hits) / float64(words)
	if share < 0.2 {
		return false, 0
	}
	return true, min(1, 0.9+(share-0.2))
}

func refIdentify(a *Article) {
	if a.Lang != "" {
		return
	}
	sample := a.Text
	if a.Title != "" {
		sample = a.Title + "\n" + a.Text
	}
	lang, conf := DetectLang(sample)
	if lang == "" {
		return
	}
	a.Lang = lang
	if a.Extra == nil {
		a.Extra = map[string]string{}
	}
	a.Extra["lang_confidence"] = strconv.FormatFloat(conf, 'f', 2, 64)
}

func refCountWords(s string, limit int) int {
	n := 0
	in := false
	for i := 0; i < len(s); i++ {
		sp := s[i] == ' ' || s[i] == '\t'
		if !sp && !in {
			n++
			if n >= limit {
				return n
			}
		}
		in = !sp
	}
	return n
}

// refTexts returns ECB+ texts (when the corpus is there) and variants, and
// texts in other languages.
func refTexts(t *testing.T) (titles, texts []string) {
	for _, tc := range []string{
		"Le gouvernement a présenté mardi un projet de loi de finances rectificative, qui prévoit dix milliards d'euros.",
		"Die Bundesregierung hat am Dienstag einen Nachtragshaushalt vorgelegt, der zusätzliche Einsparungen vorsieht.",
		"THE SENATE PASSED A BILL ON FRIDAY AFTER AN ALL-NIGHT SESSION, AND IT WAS SENT TO THE HOUSE WITH THEIR VOTES.",
		"the\u00e9 of\u00e0 and to that for with was said his her from by have has are were which this it be at not",
		"Short.", "", strings.Repeat("a ", 2000), strings.Repeat("é", 900) + " the of and to",
	} {
		titles, texts = append(titles, ""), append(texts, tc)
	}
	f, err := os.Open(filepath.Join(corpora.Data(), "ecbplus", "ecbplus-dev.jsonl"))
	if err != nil {
		t.Log("no ECB+ corpus: built-in texts only")
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 8<<20)
	for sc.Scan() {
		var d struct{ Title, Text string }
		if json.Unmarshal(sc.Bytes(), &d) != nil {
			continue
		}
		titles = append(titles, d.Title, strings.ToUpper(d.Title), strings.Repeat(d.Title+" ", 20), "", d.Title)
		texts = append(texts, d.Text, d.Text, d.Text, d.Text, d.Text[:len(d.Text)/3])
	}
	return
}

func TestLooksEnglishMatchesReference(t *testing.T) {
	titles, texts := refTexts(t)
	for i, x := range texts {
		for _, s := range []string{x, titles[i] + "\n" + x} {
			gotOK, gotC := looksEnglish(s)
			wantOK, wantC := refLooksEnglish(s)
			if gotOK != wantOK || gotC != wantC {
				t.Fatalf("looksEnglish(%.60q) = %v %v, want %v %v", s, gotOK, gotC, wantOK, wantC)
			}
		}
	}
}

func TestIdentifyMatchesReference(t *testing.T) {
	titles, texts := refTexts(t)
	// Titles around the sample size, where joinPrefix cuts.
	long := strings.Repeat("The port strike ended after talks with the union. ", 40)
	for _, n := range []int{langSampleBytes - 1, langSampleBytes, langSampleBytes + 1, langSampleBytes + 2, 1600} {
		titles = append(titles, long[:n], long[:n])
		texts = append(texts, long, "Le gouvernement a présenté mardi un projet de loi de finances rectificative.")
	}
	for i := range texts {
		got := Article{Title: titles[i], Text: texts[i]}
		want := got
		Identify(&got)
		refIdentify(&want)
		if got.Lang != want.Lang || got.Extra["lang_confidence"] != want.Extra["lang_confidence"] {
			t.Fatalf("Identify(%.40q, %.40q) = %q %v, want %q %v", titles[i], texts[i], got.Lang, got.Extra, want.Lang, want.Extra)
		}
	}
}

func TestCountWordsMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []byte{' ', ' ', '\t', 'a', 'b', '\n', 0x80, 0xe2, '\'', 0}
	texts := []string{"", " ", "a", " a", "a ", "\t\ta\tb  c", "one two three four five six seven eight nine"}
	for range 2000 {
		b := make([]byte, rng.IntN(100))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		texts = append(texts, string(b))
	}
	for _, s := range texts {
		for _, limit := range []int{1, 2, 5, 17, maxCountedWords, 121, 1000} {
			if got, want := countWords(s, limit), refCountWords(s, limit); got != want {
				t.Fatalf("countWords(%q, %d) = %d, want %d", s, limit, got, want)
			}
		}
	}
}
