package dedup

import (
	"encoding/binary"
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

// decodeOffsetsRef is decodeOffsets before its one-byte fast path: the
// reference for decodeOffsets.
func decodeOffsetsRef(dst []int32, b []byte, n int) ([]int32, bool) {
	prev := int64(0)
	for i := 0; i < n; i++ {
		d, k := binary.Uvarint(b)
		if k <= 0 || d > 1<<31 {
			return dst, false
		}
		b = b[k:]
		prev += int64(d)
		if prev > 1<<31-1 {
			return dst, false
		}
		dst = append(dst, int32(prev))
	}
	return dst, len(b) == 0
}

// TestDecodeOffsetsRef compares decodeOffsets with decodeOffsetsRef on
// encoded offsets (whole and cut short), random bytes, and sums past
// 2^31.
func TestDecodeOffsetsRef(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	check := func(b []byte, n int) {
		t.Helper()
		got, ok := decodeOffsets([]int32{7}, b, n)
		want, wantOK := decodeOffsetsRef([]int32{7}, b, n)
		if ok != wantOK || !slices.Equal(got, want) {
			t.Fatalf("%x n=%d: %v %v, want %v %v", b, n, got, ok, want, wantOK)
		}
	}
	for iter := 0; iter < 20000; iter++ {
		starts := make([]int32, r.IntN(50))
		pos := int32(0)
		for i := range starts {
			pos += int32(r.IntN([]int{10, 200, 40000, 1 << 30}[r.IntN(4)]))
			if pos < 0 {
				pos = 1<<31 - 1
			}
			starts[i] = pos
		}
		b := encodeOffsets(nil, starts)
		check(b, len(starts))
		check(b, r.IntN(len(starts)+2))
		if len(b) > 0 {
			check(b[:r.IntN(len(b))], len(starts))
		}
		rb := make([]byte, r.IntN(20))
		for i := range rb {
			rb[i] = byte(r.IntN(256))
		}
		check(rb, r.IntN(20))
	}
	// Many one-byte gaps summing past 2^31 - 1.
	big := slices.Repeat([]byte{0x7f}, 1<<24+1<<18)
	check(big, len(big))
}
