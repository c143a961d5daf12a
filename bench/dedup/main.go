// Command dedupbench compares storyline's dedup index with
// github.com/ekzhu/minhash-lsh on the same corpus and threshold: a
// syndication corpus generated (dedupeval.Generate) from real article texts
// joined two by two into ~3.5 KB articles. It prints time, articles/s and
// near-duplicate pair recall/precision against the brute-force truth.
//
//	go run . -corpus ../../../shared/data/ecbplus/ecbplus-dev.jsonl
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	minhashlsh "github.com/ekzhu/minhash-lsh"

	"github.com/storyline/storyline/dedup"
	"github.com/storyline/storyline/dedup/dedupeval"
)

func main() {
	corpus := flag.String("corpus", "", "JSONL file of real articles (fields id, text)")
	seeds := flag.Int("seeds", 4, "generator seeds (corpus copies with different variants)")
	flag.Parse()
	docs, err := readDocs(*corpus)
	if err != nil {
		fmt.Fprintln(os.Stderr, "dedupbench:", err)
		os.Exit(1)
	}
	arts := buildCorpus(docs, *seeds)
	res, err := Compare(context.Background(), arts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "dedupbench:", err)
		os.Exit(1)
	}
	total := 0
	for _, a := range arts {
		total += len(a.Text)
	}
	fmt.Printf("corpus: %d articles, mean %d bytes, %d true pairs (Jaccard >= %.2f, 4-word shingles); GOMAXPROCS %d\n\n",
		len(arts), total/len(arts), res[0].TruePairs, dedup.DefaultOptions().Threshold, runtime.GOMAXPROCS(0))
	fmt.Println("| system | seconds | articles/s | pairs reported | recall | precision |")
	fmt.Println("|---|---|---|---|---|---|")
	for _, r := range res {
		fmt.Printf("| %s | %.3f | %.0f | %d | %.4f | %.4f |\n", r.Name, r.Seconds, float64(len(arts))/r.Seconds, r.Reported, r.Recall, r.Precision)
	}
}

func readDocs(path string) ([]dedupeval.Doc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open corpus: %w", err)
	}
	defer f.Close()
	var docs []dedupeval.Doc
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var d struct{ ID, Text string }
		if json.Unmarshal(sc.Bytes(), &d) == nil && d.Text != "" {
			docs = append(docs, dedupeval.Doc{ID: d.ID, Text: d.Text})
		}
	}
	return docs, sc.Err()
}

// buildCorpus joins documents two by two (~3.5 KB) and generates variants
// with several seeds, ids kept apart per seed.
func buildCorpus(docs []dedupeval.Doc, seeds int) []dedupeval.Article {
	var joined []dedupeval.Doc
	for i := 0; i+1 < len(docs); i += 2 {
		joined = append(joined, dedupeval.Doc{ID: docs[i].ID + "+" + docs[i+1].ID, Text: docs[i].Text + "\n" + docs[i+1].Text})
	}
	var out []dedupeval.Article
	for s := 1; s <= seeds; s++ {
		for _, a := range dedupeval.Generate(joined, uint64(s)) {
			a.ID = fmt.Sprintf("s%d-%s", s, a.ID)
			a.Published = a.Published.Add(time.Duration(s) * 24 * 365 * time.Hour)
			out = append(out, a)
		}
	}
	return out
}

// Result is one system's run.
type Result struct {
	Name                string
	Seconds             float64
	Reported, TruePairs int
	Recall, Precision   float64
}

func key(a, b string) [2]string {
	if a > b {
		a, b = b, a
	}
	return [2]string{a, b}
}

func score(name string, secs float64, pred map[[2]string]bool, truth [][2]string) Result {
	tp := 0
	tset := map[[2]string]bool{}
	for _, p := range truth {
		tset[key(p[0], p[1])] = true
	}
	for p := range pred {
		if tset[p] {
			tp++
		}
	}
	r := Result{Name: name, Seconds: secs, Reported: len(pred), TruePairs: len(truth)}
	r.Recall = float64(tp) / max(1, float64(len(truth)))
	r.Precision = float64(tp) / max(1, float64(len(pred)))
	return r
}

// Compare runs both systems on arts (in order) with GOMAXPROCS workers.
func Compare(ctx context.Context, arts []dedupeval.Article) ([]Result, error) {
	opt := dedup.DefaultOptions()
	truth, err := dedupeval.TruePairs(ctx, arts, opt.Shingle, opt.Threshold)
	if err != nil {
		return nil, err
	}
	workers := runtime.GOMAXPROCS(0)
	var out []Result
	for _, mode := range []struct {
		name string
		opt  dedup.Options
	}{
		{"storyline dedup (signatures + LSH + check)", dedup.Options{NoPassages: true}},
		{"storyline dedup (full Add, with passages)", dedup.Options{}},
	} {
		runtime.GC()
		start := time.Now()
		ix := dedup.NewIndex(mode.opt)
		var mu sync.Mutex
		pred := map[[2]string]bool{}
		parallel(len(arts), workers, func(i int) {
			r := ix.Add(arts[i].ID, arts[i].Published, arts[i].Text)
			mu.Lock()
			for _, d := range r.Duplicates() {
				pred[key(arts[i].ID, d)] = true
			}
			mu.Unlock()
		})
		out = append(out, score(mode.name, time.Since(start).Seconds(), pred, truth))
	}

	// ekzhu/minhash-lsh: 128 independent hash functions over the same
	// 4-word shingles, batch Add + Index, then Query; its candidates are
	// its answer (it has no verification step).
	runtime.GC()
	start := time.Now()
	sigs := make([][]uint64, len(arts))
	parallel(len(arts), workers, func(i int) {
		m := minhashlsh.NewMinhash(1, opt.NumHash)
		for _, sh := range shingles(arts[i].Text, opt.Shingle) {
			m.Push([]byte(sh))
		}
		sigs[i] = m.Signature()
	})
	lsh := minhashlsh.NewMinhashLSH32(opt.NumHash, opt.Threshold)
	for i := range arts {
		lsh.Add(arts[i].ID, sigs[i])
	}
	lsh.Index()
	var mu sync.Mutex
	pred := map[[2]string]bool{}
	parallel(len(arts), workers, func(i int) {
		got := lsh.Query(sigs[i])
		mu.Lock()
		for _, c := range got {
			if id := c.(string); id != arts[i].ID {
				pred[key(arts[i].ID, id)] = true
			}
		}
		mu.Unlock()
	})
	out = append(out, score("ekzhu/minhash-lsh (candidates)", time.Since(start).Seconds(), pred, truth))
	return out, nil
}

func parallel(n, workers int, fn func(i int)) {
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += workers {
				fn(i)
			}
		}(w)
	}
	wg.Wait()
}

// shingles are the k-word shingles of lower-cased letter/digit words.
func shingles(text string, k int) []string {
	ws := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127)
	})
	if len(ws) == 0 {
		return nil
	}
	if len(ws) < k {
		return []string{strings.Join(ws, " ")}
	}
	out := make([]string, 0, len(ws)-k+1)
	for i := 0; i+k <= len(ws); i++ {
		out = append(out, strings.Join(ws[i:i+k], " "))
	}
	return out
}
