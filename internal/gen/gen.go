// Package gen generates synthetic article streams for benchmarks and
// crash tests by recombining sentences of a real corpus: each synthetic
// story draws its sentences from one source document, so articles of a
// story share vocabulary the way follow-ups do.
package gen

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/text"
)

// Pools are sentence pools, one per source document.
type Pools [][]string

// LoadJSONL reads the "text" (and "title") of every JSONL file under dir
// into one pool per document with at least 4 sentences.
func LoadJSONL(dir string) (Pools, error) {
	var pools Pools
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".jsonl") {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 8<<20)
		for sc.Scan() {
			var r struct{ Title, Text string }
			if json.Unmarshal(sc.Bytes(), &r) != nil {
				continue
			}
			var pool []string
			for _, sp := range text.Sentences(r.Text) {
				pool = append(pool, r.Text[sp.Start:sp.End])
			}
			if len(pool) >= 4 {
				pools = append(pools, pool)
			}
		}
		return sc.Err()
	})
	if err == nil && len(pools) == 0 {
		err = fmt.Errorf("no JSONL documents with text under %s", dir)
	}
	return pools, err
}

// Articles generates n articles dated over a year from 2024-01-01, shaped
// like a news stream: storylines of 2–40 articles over a few weeks, each
// drawing on the sentences of three source documents (its background and
// facts); an article takes 8–16 distinct sentences, mostly from its
// storyline and some from anywhere, and one in ten is a syndicated copy
// of an earlier article of its storyline with a new first sentence and a
// dropped one.
func Articles(pools Pools, n int, seed uint64) []article.Article {
	r := rand.New(rand.NewPCG(seed, seed^0x5bd1e995))
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]article.Article, 0, n)
	for story := 0; len(out) < n; story++ {
		var pool []string
		for k := 0; k < 3; k++ {
			pool = append(pool, pools[r.IntN(len(pools))]...)
		}
		size := 2 + r.IntN(39)
		t0 := start.Add(time.Duration(r.IntN(365*24)) * time.Hour)
		first := len(out)
		for k := 0; k < size && len(out) < n; k++ {
			pub := t0.Add(time.Duration(r.IntN(30*24)) * time.Hour)
			var sents []string
			if k > 0 && r.IntN(10) == 0 {
				// Syndicated copy of an earlier article of the storyline.
				src := out[first+r.IntN(len(out)-first)]
				sents = splitSentences(src.Text)
				if len(sents) > 3 {
					drop := 1 + r.IntN(len(sents)-1)
					sents = append(sents[:drop:drop], sents[drop+1:]...)
				}
				sents[0] = pool[r.IntN(len(pool))]
			} else {
				ns := 8 + r.IntN(9)
				used := map[int]bool{}
				for len(sents) < ns {
					if r.IntN(5) == 0 {
						p := pools[r.IntN(len(pools))]
						sents = append(sents, p[r.IntN(len(p))])
						continue
					}
					i := r.IntN(len(pool))
					if used[i] && len(used) < len(pool) {
						continue
					}
					used[i] = true
					sents = append(sents, pool[i])
				}
			}
			var b strings.Builder
			for s, x := range sents {
				if s > 0 {
					if s%4 == 0 {
						b.WriteByte('\n')
					} else {
						b.WriteByte(' ')
					}
				}
				b.WriteString(x)
			}
			out = append(out, article.Article{
				ID:        fmt.Sprintf("gen-%d-%d", story, k),
				Title:     pool[r.IntN(len(pool))],
				Text:      b.String(),
				Published: pub,
				Source:    fmt.Sprintf("outlet%d", r.IntN(50)),
			})
		}
	}
	return out
}

func splitSentences(s string) []string {
	var out []string
	for _, sp := range text.Sentences(s) {
		out = append(out, s[sp.Start:sp.End])
	}
	return out
}

// WriteJSONL writes articles as JSONL.
func WriteJSONL(path string, arts []article.Article) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for _, a := range arts {
		rec := map[string]string{"id": a.ID, "title": a.Title, "text": a.Text, "published": a.Published.Format(time.RFC3339), "source": a.Source}
		if err := enc.Encode(rec); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
