package dedupeval

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/storyline/storyline/dedup"
)

// Report holds the measured figures.
type Report struct {
	Articles  int           `json:"articles"`
	Options   dedup.Options `json:"options"`
	Threshold float64       `json:"threshold"`
	// Near-duplicate pairs: truth is exact shingle Jaccard >= threshold.
	TruePairs      int     `json:"true_pairs"`
	PredictedPairs int     `json:"predicted_pairs"`
	PairTP         int     `json:"pair_tp"`
	Precision      float64 `json:"precision"`
	Recall         float64 `json:"recall"`
	// HardPairs counts pairs with true Jaccard within 0.1 of the threshold.
	HardPairs int `json:"hard_pairs"`
	// Shared sentences: a sentence is shared when at least half of its words
	// lie in runs of MinPassage words seen in an earlier article.
	Sentences       int     `json:"sentences"`
	SharedSentences int     `json:"shared_sentences"`
	SentTP          int     `json:"sentence_tp"`
	SentFP          int     `json:"sentence_fp"`
	SentFN          int     `json:"sentence_fn"`
	SentPrecision   float64 `json:"sentence_precision"`
	SentRecall      float64 `json:"sentence_recall"`
	SentenceF1      float64 `json:"sentence_f1"`
	// OriginAccuracy is the share of reported passages whose origin is the
	// earliest article holding the passage's first MinPassage words.
	Passages       int     `json:"passages"`
	OriginAccuracy float64 `json:"origin_accuracy"`
	// NoveltyMAE is the mean absolute error of Result.Novelty against the
	// share of words not covered by earlier runs.
	NoveltyMAE float64 `json:"novelty_mae"`
	// Speed of Index.Add (tokenize, sign, LSH, passages, insert) in one
	// goroutine over the corpus.
	AddSeconds      float64 `json:"add_seconds"`
	ArticlesPerSec  float64 `json:"articles_per_sec"`
	BytesPerArticle float64 `json:"bytes_per_article"`
	MeanBytesText   float64 `json:"mean_text_bytes"`
}

// refWords is the reference tokenizer: maximal runs of letters, digits and
// combining marks, lower-cased, with byte spans.
func refWords(text string) (ws []string, spans [][2]int) {
	s := -1
	for i, r := range text {
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		if word && s < 0 {
			s = i
		} else if !word && s >= 0 {
			ws = append(ws, strings.ToLower(text[s:i]))
			spans = append(spans, [2]int{s, i})
			s = -1
		}
	}
	if s >= 0 {
		ws = append(ws, strings.ToLower(text[s:]))
		spans = append(spans, [2]int{s, len(text)})
	}
	return ws, spans
}

// refShingles is the set of k-word shingles (the whole text if shorter).
func refShingles(ws []string, k int) []string {
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

type pair struct{ a, b int }

func mkPair(a, b int) pair {
	if a > b {
		a, b = b, a
	}
	return pair{a, b}
}

// truePairs returns the pairs with Jaccard >= t, computed exactly over an
// inverted index of shingles (pairs sharing no shingle have Jaccard 0), and
// the number of pairs within 0.1 of t.
func truePairs(ctx context.Context, arts []Article, k int, t float64) (map[pair]bool, int, error) {
	dict := map[string]int32{}
	sets := make([][]int32, len(arts))
	for i, a := range arts {
		ws, _ := refWords(a.Text)
		var set []int32
		for _, s := range refShingles(ws, k) {
			id, ok := dict[s]
			if !ok {
				id = int32(len(dict))
				dict[s] = id
			}
			set = append(set, id)
		}
		slices.Sort(set)
		sets[i] = slices.Compact(set)
	}
	post := make([][]int32, len(dict))
	counts := make([]int32, len(arts))
	out := map[pair]bool{}
	hard := 0
	for i, set := range sets {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, 0, err
			}
		}
		var touched []int32
		for _, s := range set {
			for _, j := range post[s] {
				if counts[j] == 0 {
					touched = append(touched, j)
				}
				counts[j]++
			}
			post[s] = append(post[s], int32(i))
		}
		for _, j := range touched {
			inter := int(counts[j])
			counts[j] = 0
			jac := float64(inter) / float64(len(set)+len(sets[j])-inter)
			if jac >= t {
				out[mkPair(i, int(j))] = true
			}
			if jac >= t-0.1 && jac < t+0.1 {
				hard++
			}
		}
	}
	return out, hard, nil
}

// Evaluate runs an index with opt over arts (in publication order) and
// compares it with the brute-force truth.
func Evaluate(ctx context.Context, arts []Article, opt dedup.Options) (Report, error) {
	arts = slices.Clone(arts)
	sort.SliceStable(arts, func(i, j int) bool { return arts[i].Published.Before(arts[j].Published) })
	ix := dedup.NewIndex(opt)
	opt = ix.Options()
	rep := Report{Articles: len(arts), Options: opt, Threshold: opt.Threshold}

	// System.
	results := make([]dedup.Result, len(arts))
	pos := map[string]int{}
	start := time.Now()
	for i, a := range arts {
		results[i] = ix.Add(a.ID, a.Published, a.Text)
		pos[a.ID] = i
	}
	rep.AddSeconds = time.Since(start).Seconds()
	if rep.AddSeconds > 0 {
		rep.ArticlesPerSec = float64(len(arts)) / rep.AddSeconds
	}
	st := ix.Stats()
	rep.BytesPerArticle = st.BytesPerArticle
	textBytes := 0
	for _, a := range arts {
		textBytes += len(a.Text)
	}
	if len(arts) > 0 {
		rep.MeanBytesText = float64(textBytes) / float64(len(arts))
	}

	// Pairs.
	truth, hard, err := truePairs(ctx, arts, opt.Shingle, opt.Threshold)
	if err != nil {
		return rep, err
	}
	pred := map[pair]bool{}
	for i, r := range results {
		for _, id := range r.Duplicates() {
			pred[mkPair(i, pos[id])] = true
		}
	}
	rep.TruePairs, rep.PredictedPairs, rep.HardPairs = len(truth), len(pred), hard
	for p := range pred {
		if truth[p] {
			rep.PairTP++
		}
	}
	rep.Precision = ratio(rep.PairTP, rep.PredictedPairs)
	rep.Recall = ratio(rep.PairTP, rep.TruePairs)

	// Sentences and origins.
	m := opt.MinPassage
	first := map[string]int{} // MinPassage-gram → first article holding it
	var noveltyErr float64
	for i, a := range arts {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return rep, err
			}
		}
		ws, spans := refWords(a.Text)
		covered := make([]bool, len(ws))
		var grams []string
		for g := 0; g+m <= len(ws); g++ {
			key := strings.Join(ws[g:g+m], " ")
			grams = append(grams, key)
			if _, seen := first[key]; seen {
				for w := g; w < g+m; w++ {
					covered[w] = true
				}
			}
		}
		predCov := make([]bool, len(ws))
		for w, sp := range spans {
			predCov[w] = inSpans(results[i].ReusedSpans, sp[0])
		}
		nc := 0
		for _, c := range covered {
			if c {
				nc++
			}
		}
		if len(ws) > 0 {
			noveltyErr += abs(results[i].Novelty - (1 - float64(nc)/float64(len(ws))))
		}
		for _, ss := range sentenceSpans(a.Text) {
			tot, tc, pc := 0, 0, 0
			for w, sp := range spans {
				if sp[0] >= ss[0] && sp[0] < ss[1] {
					tot++
					if covered[w] {
						tc++
					}
					if predCov[w] {
						pc++
					}
				}
			}
			if tot == 0 {
				continue
			}
			rep.Sentences++
			isT, isP := 2*tc >= tot, 2*pc >= tot
			switch {
			case isT && isP:
				rep.SentTP++
			case isP:
				rep.SentFP++
			case isT:
				rep.SentFN++
			}
			if isT {
				rep.SharedSentences++
			}
		}
		// Origins of the reported passages.
		for _, ru := range results[i].Reuse {
			for _, p := range ru.Passages {
				pw, _ := refWords(p.Text)
				if len(pw) < m {
					continue
				}
				rep.Passages++
				if o, ok := first[strings.Join(pw[:m], " ")]; ok && arts[o].ID == ru.From {
					rep.OriginAccuracy++
				}
			}
		}
		for _, g := range grams {
			if _, ok := first[g]; !ok {
				first[g] = i
			}
		}
	}
	if rep.Passages > 0 {
		rep.OriginAccuracy /= float64(rep.Passages)
	}
	if len(arts) > 0 {
		rep.NoveltyMAE = noveltyErr / float64(len(arts))
	}
	rep.SentPrecision = ratio(rep.SentTP, rep.SentTP+rep.SentFP)
	rep.SentRecall = ratio(rep.SentTP, rep.SentTP+rep.SentFN)
	if rep.SentPrecision+rep.SentRecall > 0 {
		rep.SentenceF1 = 2 * rep.SentPrecision * rep.SentRecall / (rep.SentPrecision + rep.SentRecall)
	}
	return rep, nil
}

func inSpans(spans [][2]int, off int) bool {
	i := sort.Search(len(spans), func(i int) bool { return spans[i][1] > off })
	return i < len(spans) && spans[i][0] <= off
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TruePairs returns the id pairs (earlier first in arts order) whose exact
// Jaccard similarity of k-word shingle sets is at least t.
func TruePairs(ctx context.Context, arts []Article, k int, t float64) ([][2]string, error) {
	m, _, err := truePairs(ctx, arts, k, t)
	if err != nil {
		return nil, err
	}
	out := make([][2]string, 0, len(m))
	for p := range m {
		out = append(out, [2]string{arts[p.a].ID, arts[p.b].ID})
	}
	slices.SortFunc(out, func(x, y [2]string) int { return strings.Compare(x[0]+"\x00"+x[1], y[0]+"\x00"+y[1]) })
	return out, nil
}
