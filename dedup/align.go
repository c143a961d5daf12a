package dedup

import "math/bits"

// maxChain bounds the occurrences of one gram followed per lookup, so a
// text repeating a phrase many times cannot blow up alignment.
const maxChain = 16

// gramIndex maps every g-word gram of a token sequence (g <= 4, packed
// exactly into 64 bits, so lookups have no false positives) to its
// positions: an open-addressing table of first positions with per-position
// chains to the next occurrence. It is built once per article in Prepare,
// outside the index lock, and answers the alignment of every candidate.
type gramIndex struct {
	g     int
	keys  []uint64
	head  []int32 // first position+1 of the gram in the slot, 0 when empty
	next  []int32 // per position: next position with the same gram, -1 at the end
	shift uint
	mask  int
	// filter has a bit set for every gram present, indexed by the top
	// fbits bits of its hash (3 more than the table's): most grams of
	// another text are absent, and the filter answers them from a few
	// cache lines without probing the table.
	filter []uint64
	fshift uint
	// dup is true at positions whose gram occurs more than once.
	dup []bool
}

// alignGram is the gram length indexed for passages of at least k words:
// sampling one gram every k-g+1 words of the other text still meets every
// shared run of k words.
func alignGram(k int) int { return min(k, 4) }

// packGram packs the g tokens at toks[i:] into one exact key.
func packGram(toks []uint16, i, g int) uint64 {
	if g == 4 {
		t := toks[i : i+4 : i+4]
		return uint64(t[0])<<48 | uint64(t[1])<<32 | uint64(t[2])<<16 | uint64(t[3])
	}
	var x uint64
	for _, t := range toks[i : i+g] {
		x = x<<16 | uint64(t)
	}
	return x
}

func (x *gramIndex) slot(key uint64) int {
	return int((key * 0x9e3779b97f4a7c15) >> x.shift)
}

// mayHave is false when key is certainly absent.
func (x *gramIndex) mayHave(key uint64) bool {
	b := (key * 0x9e3779b97f4a7c15) >> x.fshift
	return x.filter[b>>6]&(1<<(b&63)) != 0
}

// build indexes every g-gram of toks.
func (x *gramIndex) build(toks []uint16, g int) {
	x.g = g
	n := len(toks) - g + 1
	if n < 0 {
		n = 0
	}
	size := 16
	for size < 2*n {
		size <<= 1
	}
	if cap(x.head) < size {
		x.keys = make([]uint64, size)
		x.head = make([]int32, size)
	}
	x.keys, x.head = x.keys[:size], x.head[:size]
	clear(x.head)
	x.shift = uint(64 - bits.TrailingZeros(uint(size)))
	x.mask = size - 1
	if cap(x.next) < n {
		x.next = make([]int32, n)
	}
	x.next = x.next[:n]
	// 8 filter bits per table slot (size/8 words).
	if cap(x.filter) < size/8 {
		x.filter = make([]uint64, size/8)
	}
	x.filter = x.filter[:size/8]
	clear(x.filter)
	x.fshift = x.shift - 3
	if cap(x.dup) < n {
		x.dup = make([]bool, n)
	}
	x.dup = x.dup[:n]
	clear(x.dup)
	// Last position first, so that chains run in ascending order.
	for i := n - 1; i >= 0; i-- {
		key := packGram(toks, i, g)
		s := x.slot(key)
		for x.head[s] != 0 && x.keys[s] != key {
			s = (s + 1) & x.mask
		}
		x.next[i] = x.head[s] - 1
		x.keys[s], x.head[s] = key, int32(i+1)
		b := (key * 0x9e3779b97f4a7c15) >> x.fshift
		x.filter[b>>6] |= 1 << (b & 63)
		if nx := x.next[i]; nx >= 0 {
			x.dup[i], x.dup[nx] = true, true
		}
	}
}

// first returns the first position of key, -1 when absent.
func (x *gramIndex) first(key uint64) int32 {
	for s := x.slot(key); ; s = (s + 1) & x.mask {
		h := x.head[s]
		if h == 0 {
			return -1
		}
		if x.keys[s] == key {
			return h - 1
		}
	}
}

// alignRuns appends every maximal run of at least k equal words between a
// and b (a[i:i+n] == b[j:j+n], extendable neither way), given ax, the
// gram index of a built with alignGram(k). Only every
// (k-g+1)-th gram of b is looked up: any run of k words holds one of them.
// Each run is reported by the first sampled gram inside it.
//
// Two kinds of samples are answered without the table: grams the filter
// rules out, and samples at least a step inside the last run found whose
// gram occurs once in a (the lookup would find only that run again, and
// skip it as reported).
func alignRuns(dst []run, ax *gramIndex, a, b []uint16, k int) []run {
	g := ax.g
	if len(a) < k || len(b) < k || len(ax.next) == 0 {
		return dst
	}
	step := k - g + 1
	rs, re, rd := 0, 0, 0 // last run found: b[rs:re] == a[rs+rd:re+rd]
	for j := 0; j+g <= len(b); j += step {
		if j >= rs+step && j+g <= re && !ax.dup[j+rd] {
			continue
		}
		key := packGram(b, j, g)
		if !ax.mayHave(key) {
			continue
		}
		for i, c := ax.first(key), 0; i >= 0 && c < maxChain; i, c = ax.next[i], c+1 {
			ii, jj := int(i), j
			// Back to the run's start, unless it holds the previous
			// sample (which reported it).
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
				rs, re, rd = jj, f, ii-jj
			}
		}
	}
	return dst
}
