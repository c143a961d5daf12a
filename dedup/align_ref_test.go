package dedup

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// alignRunsRef is alignRuns before the gram filter and the skipping of
// samples inside the last run found: every sample is looked up in the
// table. It is the reference for alignRuns (same runs, same order).
func alignRunsRef(dst []run, ax *gramIndex, a, b []uint16, k int) []run {
	g := ax.g
	if len(a) < k || len(b) < k || len(ax.next) == 0 {
		return dst
	}
	step := k - g + 1
	for j := 0; j+g <= len(b); j += step {
		for i, c := ax.first(packGram(b, j, g)), 0; i >= 0 && c < maxChain; i, c = ax.next[i], c+1 {
			ii, jj := int(i), j
			back := 0
			for back < step && ii > 0 && jj > 0 && a[ii-1] == b[jj-1] {
				ii, jj, back = ii-1, jj-1, back+1
			}
			if back == step {
				continue
			}
			e, f := int(i)+g, j+g
			for e < len(a) && f < len(b) && a[e] == b[f] {
				e, f = e+1, f+1
			}
			if n := f - jj; n >= k {
				dst = append(dst, run{int32(ii), int32(jj), int32(n)})
			}
		}
	}
	return dst
}

// TestAlignRunsRef compares alignRuns with alignRunsRef, order included,
// on random texts over small vocabularies (grams repeating beyond
// maxChain too) and on the generated article stream.
func TestAlignRunsRef(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	var ax gramIndex
	for iter := 0; iter < 20000; iter++ {
		k := 1 + r.IntN(12)
		vocab := 1 + r.IntN(40)
		a := make([]uint16, r.IntN(300))
		for i := range a {
			a[i] = uint16(r.IntN(vocab))
		}
		var b []uint16
		for len(b) < r.IntN(300) {
			if len(a) > 0 && r.IntN(2) == 0 {
				s := r.IntN(len(a))
				b = append(b, a[s:min(len(a), s+1+r.IntN(40))]...)
			} else {
				b = append(b, uint16(r.IntN(vocab+3)))
			}
		}
		ax.build(a, alignGram(k))
		got, want := alignRuns(nil, &ax, a, b, k), alignRunsRef(nil, &ax, a, b, k)
		if !slices.Equal(got, want) {
			t.Fatalf("k=%d a=%v b=%v:\n got %v\nwant %v", k, a, b, got, want)
		}
	}
	arts := genStream()
	if arts == nil {
		t.Skip("no shared corpora")
	}
	o := DefaultOptions()
	ix := NewIndex(o)
	toks := make([][]uint16, 0, 3000)
	runs := 0
	for _, a := range arts[:3000] {
		p := getPrepared()
		p.fromText(&ix.opt, a.text)
		toks = append(toks, slices.Clone(p.toks))
		ax := p.alignIndex(&o)
		for _, b := range toks[max(0, len(toks)-40) : len(toks)-1] {
			got, want := alignRuns(nil, ax, p.toks, b, o.MinPassage), alignRunsRef(nil, ax, p.toks, b, o.MinPassage)
			if !slices.Equal(got, want) {
				t.Fatalf("%s: got %v, want %v", a.id, got, want)
			}
			runs += len(got)
		}
		putPrepared(p)
	}
	if runs < 1000 {
		t.Errorf("only %d runs compared", runs)
	}
}
