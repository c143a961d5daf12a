package dedup

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// synthCorpus makes n articles of about size bytes from a Zipf-distributed
// vocabulary of made-up words; every third article is an edited copy of an
// earlier one (some words substituted, a sentence dropped).
func synthCorpus(n, size int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, 7))
	vocab := make([]string, 20000)
	for i := range vocab {
		var b strings.Builder
		for l := 2 + r.IntN(8); l > 0; l-- {
			b.WriteByte(byte('a' + r.IntN(26)))
		}
		vocab[i] = b.String()
	}
	z := rand.NewZipf(r, 1.1, 2, uint64(len(vocab)-1))
	sentence := func() string {
		var b strings.Builder
		for w := 8 + r.IntN(20); w > 0; w-- {
			b.WriteString(vocab[z.Uint64()])
			b.WriteByte(' ')
		}
		return strings.TrimSpace(b.String()) + ". "
	}
	out := make([]string, n)
	for i := range out {
		if i%3 == 2 {
			src := strings.Fields(out[r.IntN(i)])
			for k := 0; k < len(src)/40; k++ {
				src[r.IntN(len(src))] = vocab[r.IntN(len(vocab))]
			}
			out[i] = strings.Join(src, " ")
			continue
		}
		var b strings.Builder
		for b.Len() < size {
			b.WriteString(sentence())
		}
		out[i] = b.String()
	}
	return out
}

var benchTexts = sync.OnceValue(func() []string { return synthCorpus(30000, 3000, 1) })

// BenchmarkAdd measures Index.Add (everything: tokens, signature, LSH,
// passages, insert) on ~3 KB articles, one goroutine.
func BenchmarkAdd(b *testing.B) {
	texts := benchTexts()
	t0 := time.Unix(0, 0)
	b.ReportAllocs()
	for b.Loop() {
		ix := NewIndex(DefaultOptions())
		for i, t := range texts[:10000] {
			ix.Add(fmt.Sprint(i), t0.Add(time.Duration(i)), t)
		}
	}
	b.ReportMetric(float64(b.N*10000)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkNearParallel measures signatures + LSH queries and inserts
// (Options.NoPassages) with GOMAXPROCS goroutines on ~3 KB articles.
func BenchmarkNearParallel(b *testing.B) {
	texts := benchTexts()
	t0 := time.Unix(0, 0)
	for b.Loop() {
		ix := NewIndex(Options{NoPassages: true})
		var wg sync.WaitGroup
		workers := runtime.GOMAXPROCS(0)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := w; i < len(texts); i += workers {
					ix.Add(fmt.Sprint(i), t0.Add(time.Duration(i)), texts[i])
				}
			}(w)
		}
		wg.Wait()
	}
	b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkAddParallel is BenchmarkAdd with GOMAXPROCS goroutines.
func BenchmarkAddParallel(b *testing.B) {
	texts := benchTexts()
	t0 := time.Unix(0, 0)
	for b.Loop() {
		ix := NewIndex(DefaultOptions())
		var wg sync.WaitGroup
		workers := runtime.GOMAXPROCS(0)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := w; i < len(texts); i += workers {
					ix.Add(fmt.Sprint(i), t0.Add(time.Duration(i)), texts[i])
				}
			}(w)
		}
		wg.Wait()
	}
	b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkMemory reports the heap held per indexed ~3 KB article.
func BenchmarkMemory(b *testing.B) {
	texts := benchTexts()
	t0 := time.Unix(0, 0)
	for b.Loop() {
		runtime.GC()
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		ix := NewIndex(DefaultOptions())
		for i, t := range texts {
			ix.Add(fmt.Sprint(i), t0.Add(time.Duration(i)), t)
		}
		runtime.GC()
		runtime.ReadMemStats(&m1)
		st := ix.Stats()
		b.ReportMetric(float64(m1.HeapAlloc-m0.HeapAlloc)/float64(len(texts)), "heap-bytes/article")
		b.ReportMetric(st.BytesPerArticle, "est-bytes/article")
		b.ReportMetric(float64(st.Words)/float64(st.Articles), "words/article")
		runtime.KeepAlive(ix)
	}
}
