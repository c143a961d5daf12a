package dedup

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/corpora"
	"github.com/zeebo/xxh3"
)

// tokenizeRef is tokens.tokenize before plain words were hashed in
// place: every word is lower-cased into the buffer. It is the reference
// for tokenize.
func (t *tokens) tokenizeRef(text string) {
	t.reset()
	buf := t.buf[:0]
	inWord := false
	var ws int
	flush := func(end int) {
		t.hash = append(t.hash, xxh3.Hash(buf))
		t.start = append(t.start, int32(ws))
		t.end = append(t.end, int32(end))
		buf = buf[:0]
		inWord = false
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			switch asciiClass[c] {
			case 0:
				if inWord {
					flush(i)
				}
			case 1:
				if !inWord {
					inWord, ws = true, i
				}
				buf = append(buf, c)
			case 2:
				if !inWord {
					inWord, ws = true, i
				}
				buf = append(buf, c+('a'-'A'))
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if isWordRune(r) {
			if !inWord {
				inWord, ws = true, i
			}
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
		} else if inWord {
			flush(i)
		}
		i += size
	}
	if inWord {
		flush(len(text))
	}
	t.buf = buf
}

// TestTokenizeRef checks tokenize against tokenizeRef on the testdata,
// the ECB+ articles when the shared corpora are there, and random strings
// of ASCII, accented, combining, upper-case and invalid bytes.
func TestTokenizeRef(t *testing.T) {
	var texts []string
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	files = append(files, filepath.Join(corpora.Data(), "ecbplus", "ecbplus-dev.jsonl"))
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil {
			texts = append(texts, strings.Split(string(b), "\n")...)
		}
	}
	pieces := []string{"a", "Z", "7", " ", ".", "-", "é", "É", "\u0301", "ß", "İ", "\u212a", "Ω", "ǅ", "\xff", "\xe2\x82", "中", "٣", "\n", "'", "x"}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(30) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	var a, r tokens
	for _, text := range texts {
		a.tokenize(text)
		r.tokenizeRef(text)
		if !slices.Equal(a.hash, r.hash) || !slices.Equal(a.start, r.start) || !slices.Equal(a.end, r.end) {
			t.Fatalf("tokenize(%q) = %v %v %v, want %v %v %v", text, a.hash, a.start, a.end, r.hash, r.start, r.end)
		}
	}
	t.Logf("%d texts", len(texts))
}

// BenchmarkTokenize tokenizes the ECB+ articles (or, without the shared
// corpora, synthetic texts), one per op.
func BenchmarkTokenize(b *testing.B) {
	var texts []string
	if data, err := os.ReadFile(filepath.Join(corpora.Data(), "ecbplus", "ecbplus-dev.jsonl")); err == nil {
		texts = strings.Split(strings.TrimSpace(string(data)), "\n")
	} else {
		texts = synthCorpus(500, 3000, 1)
	}
	var tk tokens
	i := 0
	for b.Loop() {
		tk.tokenize(texts[i%len(texts)])
		i++
	}
}
