// Package eval scores storyline's output against gold labels: clustering
// (pairwise, BCubed, ARI, NMI).
package eval

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
)

// PRF is precision, recall and F1.
type PRF struct {
	P  float64 `json:"p"`
	R  float64 `json:"r"`
	F1 float64 `json:"f1"`
}

func prf(p, r float64) PRF {
	f := 0.0
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return PRF{P: p, R: r, F1: f}
}

// ClusterScores are the standard scores of a predicted clustering against
// a gold one over the same items.
type ClusterScores struct {
	Docs         int     `json:"docs"`
	GoldClusters int     `json:"gold_clusters"`
	PredClusters int     `json:"pred_clusters"`
	Pairwise     PRF     `json:"pairwise"`
	BCubed       PRF     `json:"bcubed"`
	ARI          float64 `json:"ari"`
	NMI          float64 `json:"nmi"`
}

// ScoreClusters compares pred with gold; both give a label per item, in the
// same order.
func ScoreClusters(gold, pred []string) (ClusterScores, error) {
	if len(gold) != len(pred) {
		return ClusterScores{}, fmt.Errorf("eval: %d gold labels but %d predicted", len(gold), len(pred))
	}
	n := len(gold)
	gi, ng := index(gold)
	pi, np := index(pred)
	s := ClusterScores{Docs: n, GoldClusters: ng, PredClusters: np}
	if n == 0 {
		return s, nil
	}
	// Contingency table.
	type cell struct{ g, p int }
	cont := map[cell]int{}
	gs := make([]int, ng)
	ps := make([]int, np)
	for k := 0; k < n; k++ {
		cont[cell{gi[k], pi[k]}]++
		gs[gi[k]]++
		ps[pi[k]]++
	}
	c2 := func(x int) float64 { return float64(x) * float64(x-1) / 2 }
	var tp, sumG, sumP float64
	for _, v := range cont {
		tp += c2(v)
	}
	for _, v := range gs {
		sumG += c2(v)
	}
	for _, v := range ps {
		sumP += c2(v)
	}
	pp, pr := 1.0, 1.0
	if sumP > 0 {
		pp = tp / sumP
	}
	if sumG > 0 {
		pr = tp / sumG
	}
	s.Pairwise = prf(pp, pr)
	// BCubed: per item, precision = |cluster ∩ class| / |cluster|.
	var bp, br float64
	for k := 0; k < n; k++ {
		v := float64(cont[cell{gi[k], pi[k]}])
		bp += v / float64(ps[pi[k]])
		br += v / float64(gs[gi[k]])
	}
	s.BCubed = prf(bp/float64(n), br/float64(n))
	// ARI.
	total := c2(n)
	expected := sumG * sumP / total
	maxIdx := (sumG + sumP) / 2
	if maxIdx-expected != 0 {
		s.ARI = (tp - expected) / (maxIdx - expected)
	} else {
		s.ARI = 1
	}
	// NMI (arithmetic mean normalization, as scikit-learn's default).
	fn := float64(n)
	var hg, hp, mi float64
	for _, v := range gs {
		q := float64(v) / fn
		hg -= q * math.Log(q)
	}
	for _, v := range ps {
		q := float64(v) / fn
		hp -= q * math.Log(q)
	}
	// In a fixed cell order: a float sum in map order differs between
	// runs in its last digits.
	cells := slices.SortedFunc(maps.Keys(cont), func(a, b cell) int {
		return cmp.Or(cmp.Compare(a.g, b.g), cmp.Compare(a.p, b.p))
	})
	for _, c := range cells {
		v := cont[c]
		q := float64(v) / fn
		mi += q * math.Log(q/(float64(gs[c.g])/fn*float64(ps[c.p])/fn))
	}
	switch {
	case hg == 0 && hp == 0:
		s.NMI = 1
	case hg+hp > 0:
		s.NMI = mi / ((hg + hp) / 2)
	}
	return s, nil
}

func index(labels []string) ([]int, int) {
	m := map[string]int{}
	out := make([]int, len(labels))
	for i, l := range labels {
		id, ok := m[l]
		if !ok {
			id = len(m)
			m[l] = id
		}
		out[i] = id
	}
	return out, len(m)
}
