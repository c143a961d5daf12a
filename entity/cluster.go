package entity

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
)

// ClusterOptions controls BuildClusters.
type ClusterOptions struct {
	Fine     int    // number of fine clusters (default 256)
	Coarse   int    // number of coarse clusters over the fine ones (default 32)
	MinCount int    // words seen fewer times get no cluster (default 3)
	Contexts int    // most frequent words used as context dimensions (default 1000)
	Iters    int    // k-means iterations (default 12)
	Seed     uint64 // initialisation seed
}

// ClusterCorpus accumulates unlabelled text for BuildClusters: only hashes
// of words and of their neighbours are kept.
type ClusterCorpus struct {
	freq  map[uint64]int
	pairs map[[2]uint64]int // (word, neighbour<<1|side) → count, side 0 left 1 right
}

// NewClusterCorpus returns an empty corpus.
func NewClusterCorpus() *ClusterCorpus {
	return &ClusterCorpus{freq: map[uint64]int{}, pairs: map[[2]uint64]int{}}
}

// AddSentence adds one sentence of words.
func (c *ClusterCorpus) AddSentence(words []string) {
	const bos, eos = 1, 2
	prev := uint64(bos)
	hs := make([]uint64, len(words))
	for i, w := range words {
		hs[i] = hashLower(w)
	}
	for i, h := range hs {
		c.freq[h]++
		next := uint64(eos)
		if i+1 < len(hs) {
			next = hs[i+1]
		}
		c.pairs[[2]uint64{h, prev << 1}]++
		c.pairs[[2]uint64{h, next<<1 | 1}]++
		prev = h
	}
}

// AddText tokenizes raw text and adds its sentences.
func (c *ClusterCorpus) AddText(text string) {
	toks, sents := Tokenize(text, nil, nil)
	from := 0
	words := make([]string, 0, 64)
	for _, end := range sents {
		words = words[:0]
		for _, s := range toks[from:end] {
			words = append(words, text[s.Start:s.End])
		}
		c.AddSentence(words)
		from = end
	}
}

type sparseVec struct {
	idx []int32
	val []float32
}

// BuildClusters groups words by the words around them (positive PMI of
// left and right neighbours, spherical k-means), then groups the fine
// clusters into coarse ones. The result maps folded word hashes to
// coarse<<12 | fine, both counted from 1.
func BuildClusters(ctx context.Context, c *ClusterCorpus, opt ClusterOptions) (map[uint64]uint32, error) {
	if opt.Fine <= 0 {
		opt.Fine = 256
	}
	if opt.Coarse <= 0 {
		opt.Coarse = 32
	}
	if opt.MinCount <= 0 {
		opt.MinCount = 3
	}
	if opt.Contexts <= 0 {
		opt.Contexts = 1000
	}
	if opt.Iters <= 0 {
		opt.Iters = 12
	}
	opt.Fine = min(opt.Fine, 4095)
	type wc struct {
		h uint64
		n int
	}
	var all []wc
	total := 0
	for h, n := range c.freq {
		all = append(all, wc{h, n})
		total += n
	}
	slices.SortFunc(all, func(a, b wc) int {
		if a.n != b.n {
			return b.n - a.n
		}
		if a.h < b.h {
			return -1
		}
		return 1
	})
	ctxDim := map[uint64]int32{1 << 1: 0, 2 << 1: 1, 1<<1 | 1: 2, 2<<1 | 1: 3}
	for _, w := range all[:min(len(all), opt.Contexts)] {
		ctxDim[w.h<<1] = int32(len(ctxDim))
		ctxDim[w.h<<1|1] = int32(len(ctxDim))
	}
	vocab := map[uint64]int{}
	var words []uint64
	for _, w := range all {
		if w.n < opt.MinCount {
			break
		}
		vocab[w.h] = len(words)
		words = append(words, w.h)
	}
	if len(words) < opt.Fine {
		return map[uint64]uint32{}, nil
	}
	ctxCount := make([]float64, len(ctxDim))
	vecs := make([]sparseVec, len(words))
	type kv struct {
		d int32
		n int
	}
	rows := make([][]kv, len(words))
	for p, n := range c.pairs {
		wi, ok := vocab[p[0]]
		if !ok {
			continue
		}
		d, ok := ctxDim[p[1]]
		if !ok {
			continue
		}
		rows[wi] = append(rows[wi], kv{d, n})
		ctxCount[d] += float64(n)
	}
	for i, row := range rows {
		slices.SortFunc(row, func(a, b kv) int { return int(a.d - b.d) })
		wn := float64(c.freq[words[i]])
		var v sparseVec
		norm := 0.0
		for _, e := range row {
			pmi := math.Log(float64(e.n) * float64(2*total) / (wn * ctxCount[e.d]))
			if pmi <= 0 {
				continue
			}
			v.idx = append(v.idx, e.d)
			v.val = append(v.val, float32(pmi))
			norm += pmi * pmi
		}
		if norm > 0 {
			inv := float32(1 / math.Sqrt(norm))
			for k := range v.val {
				v.val[k] *= inv
			}
		}
		vecs[i] = v
	}
	dim := len(ctxDim)
	assign := kmeans(ctx, vecs, dim, opt.Fine, opt.Iters, opt.Seed)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// coarse clusters: k-means over the fine centroids
	cents := centroids(vecs, assign, opt.Fine, dim)
	cvecs := make([]sparseVec, opt.Fine)
	for k, cv := range cents {
		for d, x := range cv {
			if x != 0 {
				cvecs[k].idx = append(cvecs[k].idx, int32(d))
				cvecs[k].val = append(cvecs[k].val, x)
			}
		}
	}
	coarse := kmeans(ctx, cvecs, dim, min(opt.Coarse, opt.Fine), opt.Iters, opt.Seed+1)
	out := make(map[uint64]uint32, len(words))
	for i, h := range words {
		if len(vecs[i].idx) == 0 {
			continue
		}
		f := assign[i]
		out[h] = uint32(coarse[f]+1)<<12 | uint32(f+1)
	}
	return out, ctx.Err()
}

func centroids(vecs []sparseVec, assign []int, k, dim int) [][]float32 {
	cents := make([][]float32, k)
	for i := range cents {
		cents[i] = make([]float32, dim)
	}
	for i, v := range vecs {
		c := cents[assign[i]]
		for j, d := range v.idx {
			c[d] += v.val[j]
		}
	}
	for _, c := range cents {
		norm := 0.0
		for _, x := range c {
			norm += float64(x) * float64(x)
		}
		if norm > 0 {
			inv := float32(1 / math.Sqrt(norm))
			for d := range c {
				c[d] *= inv
			}
		}
	}
	return cents
}

// kmeans clusters unit-length sparse vectors by cosine similarity.
func kmeans(ctx context.Context, vecs []sparseVec, dim, k, iters int, seed uint64) []int {
	rng := rand.New(rand.NewPCG(seed, 0xc1))
	assign := make([]int, len(vecs))
	for i := range assign {
		assign[i] = rng.IntN(k)
	}
	for it := 0; it < iters && ctx.Err() == nil; it++ {
		cents := centroids(vecs, assign, k, dim)
		changed := 0
		for i, v := range vecs {
			best, bestS := assign[i], float32(-1)
			for c := range cents {
				cv := cents[c]
				var s float32
				for j, d := range v.idx {
					s += v.val[j] * cv[d]
				}
				if s > bestS {
					best, bestS = c, s
				}
			}
			if best != assign[i] {
				changed++
				assign[i] = best
			}
		}
		if changed == 0 {
			break
		}
	}
	return assign
}
