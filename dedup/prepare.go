package dedup

import (
	"encoding/binary"
	"slices"
	"sync"
)

// prepared holds everything derived from one article's text or entry
// before it meets the index. It is computed without the index lock.
type prepared struct {
	tk     tokens   // words of the text (only when built from text)
	toks   []uint16 // 16-bit word tokens
	starts []int32  // word start offsets
	exact  uint64   // hash of the normalized text, 0 when empty
	grams  []uint64 // MinHash shingle hashes (unsorted, may repeat)
	sig32  []uint32
	sig    []uint16 // 16-bit MinHash signature; empty when there are no words
	bands  []uint32 // LSH band keys of sig
	filled []bool
	pgrams []uint64  // MinPassage-gram hashes at every word position
	fps    []uint32  // winnowed fingerprint keys, sorted unique
	ax     gramIndex // grams of toks for passage alignment (when axOK)
	axOK   bool
	own    owned // the entry's copies, once detached
}

// owned holds the slices an entry keeps, copied out of a prepared.
type owned struct {
	ok   bool
	sig  []uint16
	toks []uint16
	offs []byte // uvarint deltas of word starts
}

// detach copies what the entry keeps out of the reusable scratch (once).
func (p *prepared) detach() {
	if p.own.ok {
		return
	}
	p.own = owned{ok: true}
	if len(p.sig) > 0 {
		p.own.sig = slices.Clone(p.sig)
	}
	if len(p.toks) > 0 {
		p.own.toks = slices.Clone(p.toks)
		p.own.offs = encodeOffsets(make([]byte, 0, len(p.starts)+len(p.starts)/4), p.starts)
	}
}

var preparedPool = sync.Pool{New: func() any { return new(prepared) }}

func getPrepared() *prepared { return preparedPool.Get().(*prepared) }

func putPrepared(p *prepared) {
	preparedPool.Put(p)
}

// fromText tokenizes text and derives the rest.
func (p *prepared) fromText(o *Options, text string) {
	p.tk.tokenize(text)
	p.toks = p.toks[:0]
	p.starts = p.starts[:0]
	var x uint64 = 0x243f6a8885a308d3
	for i, h := range p.tk.hash {
		p.toks = append(p.toks, tok16(h))
		p.starts = append(p.starts, p.tk.start[i])
		x = mix64(x ^ h)
	}
	p.exact = 0
	if len(p.toks) > 0 {
		p.exact = x | 1
	}
	p.derive(o)
}

// derive computes shingles, signature and fingerprints from p.toks.
func (p *prepared) derive(o *Options) {
	p.grams = shingles(p.grams[:0], p.toks, o.Shingle)
	if cap(p.sig32) < o.NumHash {
		p.sig32 = make([]uint32, o.NumHash)
		p.filled = make([]bool, o.NumHash)
	}
	p.sig32, p.filled = p.sig32[:o.NumHash], p.filled[:o.NumHash]
	p.sig, p.bands = p.sig[:0], p.bands[:0]
	if signature(p.sig32, p.grams, p.filled) {
		p.sig = truncate(p.sig, p.sig32)
		for b := 0; b < o.Bands; b++ {
			p.bands = append(p.bands, bandKey(p.sig, b, o.Rows))
		}
	}
	p.pgrams, p.fps = p.pgrams[:0], p.fps[:0]
	p.axOK = false
	p.own = owned{}
	if !o.NoPassages {
		p.pgrams = passageGrams(p.pgrams, p.toks, o.MinPassage)
		p.fps = winnow(p.fps, p.pgrams, o.Window)
	}
}

// alignIndex builds the gram index used to align candidates with p (once).
func (p *prepared) alignIndex(o *Options) *gramIndex {
	if !p.axOK {
		p.ax.build(p.toks, alignGram(o.MinPassage))
		p.axOK = true
	}
	return &p.ax
}

// shingles appends the hash of every k-word shingle of toks; a text shorter
// than k words is one shingle.
func shingles(dst []uint64, toks []uint16, k int) []uint64 {
	n := len(toks)
	if n == 0 {
		return dst
	}
	if n < k {
		return append(dst, gramHash(toks, 0, n))
	}
	for i := 0; i+k <= n; i++ {
		dst = append(dst, gramHash(toks, i, k))
	}
	return dst
}

// passageGrams appends the hash of the k-word gram starting at every word.
func passageGrams(dst []uint64, toks []uint16, k int) []uint64 {
	for i := 0; i+k <= len(toks); i++ {
		dst = append(dst, gramHash(toks, i, k))
	}
	return dst
}

// winnow appends the keys of the fingerprints chosen by robust winnowing
// with window w (the rightmost minimum of every window of w consecutive
// hashes), sorted and unique. Keys are the low 32 bits, independent of the
// high bits that decide the minimum.
func winnow(dst []uint32, h []uint64, w int) []uint32 {
	if len(h) == 0 {
		return dst
	}
	if w > len(h) {
		w = len(h)
	}
	last := -1
	for s := 0; s+w <= len(h); s++ {
		m := s
		for i := s + 1; i < s+w; i++ {
			if h[i] <= h[m] {
				m = i
			}
		}
		if m != last {
			dst = append(dst, uint32(h[m]))
			last = m
		}
	}
	slices.Sort(dst)
	return slices.Compact(dst)
}

// sortedSet sorts s and removes repeats in place.
func sortedSet(s []uint64) []uint64 {
	slices.Sort(s)
	return slices.Compact(s)
}

// intersectCount counts the common values of two sorted unique slices.
func intersectCount(a, b []uint64) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

// encodeOffsets writes word start offsets as uvarint deltas.
func encodeOffsets(dst []byte, starts []int32) []byte {
	prev := int32(0)
	for _, s := range starts {
		dst = binary.AppendUvarint(dst, uint64(s-prev))
		prev = s
	}
	return dst
}

// decodeOffsets reads n uvarint deltas back into offsets.
func decodeOffsets(dst []int32, b []byte, n int) ([]int32, bool) {
	prev := int64(0)
	for i := 0; i < n; i++ {
		if len(b) > 0 && b[0] < 0x80 { // one byte: most gaps between words
			prev += int64(b[0])
			b = b[1:]
			if prev > 1<<31-1 {
				return dst, false
			}
			dst = append(dst, int32(prev))
			continue
		}
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
