package timex

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/corpora"
	"github.com/storyline/storyline/timex/tml"
)

// benchText returns the TEXT of the TempEval-3 TBAQ-cleaned documents when
// the shared data is there (corpora.Data), else the test
// fixture repeated to a similar size.
func benchText(b *testing.B) string {
	docs, err := tml.LoadDir(filepath.Join(corpora.Data(), "tempeval3", "TBAQ-cleaned"))
	if err == nil && len(docs) > 0 {
		var sb strings.Builder
		for _, d := range docs {
			sb.WriteString(d.Text)
			sb.WriteString("\n\n")
		}
		return sb.String()
	}
	in, err := os.ReadFile(filepath.Join("testdata", "news.txt"))
	if err != nil {
		b.Fatal(err)
	}
	return strings.Repeat(string(in)+"\n", 1000)
}

// BenchmarkTag measures tagging throughput (bytes of text per second, one
// goroutine).
func BenchmarkTag(b *testing.B) {
	text := benchText(b)
	dct := time.Date(1998, 8, 7, 0, 0, 0, 0, time.UTC)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Tag(text, dct)
	}
}

// BenchmarkEventDate measures the per-article cost of dating an event.
func BenchmarkEventDate(b *testing.B) {
	in, err := os.ReadFile(filepath.Join("testdata", "news.txt"))
	if err != nil {
		b.Fatal(err)
	}
	text := string(in)
	b.SetBytes(int64(len(text)))
	for i := 0; i < b.N; i++ {
		EventDate("Leaders meet", text, monday)
	}
}
