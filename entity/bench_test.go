package entity

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/corpora"
)

// benchArticle is a ~3 KB news-like text written for the benchmark.
var benchArticle = func() string {
	para := `BRUSSELS (Wire) - Foreign ministers of the European Union met in Brussels on Monday to discuss sanctions, ` +
		`Dutch Foreign Minister Hanna Verbeek told reporters after talks with her counterpart Jean-Marc Dufresne. ` +
		`The U.S. State Department said Secretary Martin Kell would travel to Warsaw and Vilnius next week. ` +
		`Shares of Norvex Holdings Inc. fell 4.5 percent to $31.20 on the New York Stock Exchange after the company ` +
		`cut its forecast, while the Federal Reserve left rates unchanged. "We are not there yet," Verbeek said.` + "\n\n"
	var b strings.Builder
	for b.Len() < 3000 {
		b.WriteString(para)
	}
	return b.String()
}()

// reportCPU reports the process CPU time per op since start ("cpu-ns/op"),
// steadier than wall time on a machine shared with other jobs.
func reportCPU(b *testing.B, start time.Duration) {
	if c := processCPU() - start; c > 0 && b.N > 0 {
		b.ReportMetric(float64(c.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func BenchmarkTag(b *testing.B) {
	tg := mustDefault(b)
	b.SetBytes(int64(len(benchArticle)))
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b, processCPU())
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			tg.Tag(benchArticle)
		}
	})
}

func BenchmarkLoadModel(b *testing.B) {
	for b.Loop() {
		if _, err := ReadModel(bytes.NewReader(embeddedModel)); err != nil {
			b.Fatal(err)
		}
	}
}

// ecbTexts returns the title and text of the ECB+ articles (real news,
// more varied than benchArticle), or skips without the shared corpora
// (under corpora.Data).
func ecbTexts(b testing.TB) []string {
	b.Helper()
	f, err := os.Open(filepath.Join(corpora.Data(), "ecbplus", "ecbplus-dev.jsonl"))
	if err != nil {
		b.Skip("no ECB+ corpus (set SHARED):", err)
	}
	defer f.Close()
	var texts []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		var rec struct{ Title, Text string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			b.Fatal(err)
		}
		texts = append(texts, rec.Title+"\n"+rec.Text)
	}
	if len(texts) == 0 {
		b.Skip("empty corpus")
	}
	return texts
}

// BenchmarkTagECB tags the ECB+ articles in turn, one per op.
func BenchmarkTagECB(b *testing.B) {
	tg := mustDefault(b)
	texts := ecbTexts(b)
	n := 0
	for _, t := range texts {
		n += len(t)
	}
	b.SetBytes(int64(n / len(texts)))
	b.ReportAllocs()
	var next atomic.Int64
	b.ResetTimer()
	defer reportCPU(b, processCPU())
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			tg.Tag(texts[int(next.Add(1))%len(texts)])
		}
	})
}
