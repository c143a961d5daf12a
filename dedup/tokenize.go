package dedup

import (
	"unicode"
	"unicode/utf8"

	"github.com/zeebo/xxh3"
)

// tokens is the word sequence of one text: per word a 64-bit hash of its
// lower-cased form and its byte span in the text.
type tokens struct {
	hash  []uint64
	start []int32
	end   []int32
	buf   []byte // scratch for the lower-cased word
}

// asciiClass is 0 for separators, 1 for word bytes kept as is, 2 for
// upper-case ASCII letters (lower-cased).
var asciiClass = func() (t [128]byte) {
	for c := '0'; c <= '9'; c++ {
		t[c] = 1
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = 1
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = 2
	}
	return t
}()

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// reset empties t keeping its capacity.
func (t *tokens) reset() {
	t.hash, t.start, t.end = t.hash[:0], t.start[:0], t.end[:0]
}

// tokenize splits text into words: maximal runs of letters, digits and
// combining marks, lower-cased. It appends to t after resetting it. A word
// of lower-case ASCII letters and digits (most words) is hashed in place;
// only the others are lower-cased into a scratch buffer first.
func (t *tokens) tokenize(text string) {
	t.reset()
	inWord, plain := false, false
	var ws int
	flush := func(end int) {
		var h uint64
		if plain {
			h = xxh3.HashString(text[ws:end])
		} else {
			t.buf = lowerWord(t.buf[:0], text[ws:end])
			h = xxh3.Hash(t.buf)
		}
		t.hash = append(t.hash, h)
		t.start = append(t.start, int32(ws))
		t.end = append(t.end, int32(end))
		inWord = false
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			switch asciiClass[c] {
			case 0:
				if inWord {
					flush(i)
				}
			case 1:
				if !inWord {
					inWord, plain, ws = true, true, i
				}
			case 2:
				if !inWord {
					inWord, ws = true, i
				}
				plain = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if isWordRune(r) {
			if !inWord {
				inWord, ws = true, i
			}
			plain = false
		} else if inWord {
			flush(i)
		}
		i += size
	}
	if inWord {
		flush(len(text))
	}
}

// lowerWord appends the lower-cased form of w, one word of tokenize (only
// word runes), to dst.
func lowerWord(dst []byte, w string) []byte {
	for i := 0; i < len(w); {
		c := w[i]
		if c < utf8.RuneSelf {
			if asciiClass[c] == 2 {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(w[i:])
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
		i += size
	}
	return dst
}

// tok16 reduces a word hash to the 16-bit token kept in the index.
func tok16(h uint64) uint16 { return uint16(h >> 48) }

// mix64 is the murmur3 finalizer: a fast bijective scrambler.
func mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// gramHash hashes the n tokens starting at toks[i] into 64 bits. For n <= 4
// the tokens are packed exactly before scrambling, so distinct grams of 16-bit
// tokens never collide.
func gramHash(toks []uint16, i, n int) uint64 {
	if n <= 4 {
		var x uint64
		for j := 0; j < n; j++ {
			x = x<<16 | uint64(toks[i+j])
		}
		return mix64(x ^ uint64(n)*0x9e3779b97f4a7c15)
	}
	x := uint64(n) * 0x9e3779b97f4a7c15
	for j := 0; j < n; j++ {
		x = mix64(x ^ uint64(toks[i+j]))
	}
	return x
}
