package dedup

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// bruteRuns lists every maximal run of at least k equal words between a
// and b by trying every pair of start positions.
func bruteRuns(a, b []uint16, k int) []run {
	var out []run
	for j := range b {
		for i := range a {
			if a[i] != b[j] || (i > 0 && j > 0 && a[i-1] == b[j-1]) {
				continue
			}
			n := 0
			for i+n < len(a) && j+n < len(b) && a[i+n] == b[j+n] {
				n++
			}
			if n >= k {
				out = append(out, run{int32(i), int32(j), int32(n)})
			}
		}
	}
	return out
}

func sortRuns(rs []run) []run {
	rs = slices.Clone(rs)
	slices.SortFunc(rs, func(x, y run) int {
		if x.j != y.j {
			return int(x.j - y.j)
		}
		return int(x.i - y.i)
	})
	return rs
}

func TestAlignRuns(t *testing.T) {
	seq := func(s string) []uint16 {
		out := make([]uint16, len(s))
		for i, c := range s {
			out[i] = uint16(c)
		}
		return out
	}
	tests := []struct {
		name string
		a, b string
		k    int
		want []run
	}{
		{"identical", "abcdefghij", "abcdefghij", 8, []run{{0, 0, 10}}},
		{"too short", "abcdefgXij", "abcdefgYij", 8, nil},
		{"exactly k, unaligned to samples", "zzzabcdefghzz", "yyyyyyabcdefghy", 8, []run{{3, 6, 8}}},
		{"two passages", "abcdefghXXXXXXXXXXijklmnopq", "ijklmnopqYYabcdefgh", 8, []run{{18, 0, 9}, {0, 11, 8}}},
		{"repeated in a", "abcdefghQabcdefgh", "Zabcdefgh", 8, []run{{0, 1, 8}, {9, 1, 8}}},
		{"repeated in b", "abcdefgh", "abcdefghQQabcdefgh", 8, []run{{0, 0, 8}, {0, 10, 8}}},
		{"short k", "xxabcyy", "abcz", 3, []run{{2, 0, 3}}},
		{"k of one", "ab", "ba", 1, []run{{1, 0, 1}, {0, 1, 1}}},
		{"b shorter than k", "abcdefgh", "abc", 8, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := seq(tc.a), seq(tc.b)
			var ax gramIndex
			ax.build(a, alignGram(tc.k))
			got := alignRuns(nil, &ax, a, b, tc.k)
			if !reflect.DeepEqual(sortRuns(got), sortRuns(tc.want)) {
				t.Errorf("alignRuns = %v, want %v", got, tc.want)
			}
			if brute := bruteRuns(a, b, tc.k); !reflect.DeepEqual(sortRuns(got), sortRuns(brute)) {
				t.Errorf("alignRuns = %v, brute force %v", got, brute)
			}
		})
	}
}

// TestAlignRunsRandom checks alignRuns against brute force on texts over
// small vocabularies (many repeats and partial matches), for several
// passage lengths.
func TestAlignRunsRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var ax gramIndex
	checked := 0
	for iter := 0; iter < 3000; iter++ {
		k := 1 + r.IntN(10)
		vocab := 2 + r.IntN(6)
		a := make([]uint16, r.IntN(80))
		for i := range a {
			a[i] = uint16(r.IntN(vocab))
		}
		// b mixes copied stretches of a with fresh words.
		var b []uint16
		for len(b) < 60 {
			if len(a) > 0 && r.IntN(2) == 0 {
				s := r.IntN(len(a))
				b = append(b, a[s:min(len(a), s+1+r.IntN(20))]...)
			} else {
				b = append(b, uint16(r.IntN(vocab+3)))
			}
		}
		ax.build(a, alignGram(k))
		got := sortRuns(alignRuns(nil, &ax, a, b, k))
		want := sortRuns(bruteRuns(a, b, k))
		// Chains are cut at maxChain occurrences: only compare when no
		// gram of a repeats that often.
		if maxRepeat(a, alignGram(k)) > maxChain {
			continue
		}
		checked++
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("k=%d a=%v b=%v:\n got %v\nwant %v", k, a, b, got, want)
		}
	}
	if checked < 2000 {
		t.Errorf("only %d of 3000 cases checked", checked)
	}
}

func maxRepeat(a []uint16, g int) int {
	count := map[uint64]int{}
	m := 0
	for i := 0; i+g <= len(a); i++ {
		c := count[packGram(a, i, g)] + 1
		count[packGram(a, i, g)] = c
		m = max(m, c)
	}
	return m
}

func TestStrongest(t *testing.T) {
	o := func(slot uint32, kind candKind, hits uint32, order int64) origin {
		return origin{slot: slot, kind: kind, hits: hits, order: order, seq: uint64(slot)}
	}
	tests := []struct {
		name string
		cs   []origin
		k    int
		want []uint32 // slots, strongest first
	}{
		{"fewer than k kept as is", []origin{o(1, kindFingerprint, 1, 5), o(2, kindNear, 0, 1)}, 3, []uint32{1, 2}},
		{"kind before hits", []origin{o(1, kindFingerprint, 9, 1), o(2, kindNear, 0, 2), o(3, kindFingerprint, 3, 3)}, 2, []uint32{2, 1}},
		{"hits before time", []origin{o(1, kindFingerprint, 1, 1), o(2, kindFingerprint, 4, 9), o(3, kindFingerprint, 2, 5)}, 2, []uint32{2, 3}},
		{"earlier wins ties", []origin{o(1, kindFingerprint, 2, 7), o(2, kindFingerprint, 2, 3), o(3, kindFingerprint, 2, 5)}, 2, []uint32{2, 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []uint32
			for _, c := range strongest(slices.Clone(tc.cs), tc.k) {
				got = append(got, c.slot)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("strongest = %v, want %v", got, tc.want)
			}
		})
	}
	r := rand.New(rand.NewPCG(5, 6))
	for iter := 0; iter < 500; iter++ {
		cs := make([]origin, 1+r.IntN(60))
		for i := range cs {
			cs[i] = o(uint32(i), candKind(r.IntN(4)), uint32(r.IntN(4)), int64(r.IntN(10)))
		}
		k := 1 + r.IntN(20)
		want := slices.Clone(cs)
		slices.SortFunc(want, func(a, b origin) int {
			if a.stronger(b) {
				return -1
			}
			return 1
		})
		got := strongest(slices.Clone(cs), k)
		if len(cs) > k && !reflect.DeepEqual(got, want[:k]) {
			t.Fatalf("k=%d: strongest %v, sorted %v", k, got, want[:k])
		}
	}
}
