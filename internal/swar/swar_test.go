package swar

import (
	"math/bits"
	"strings"
	"testing"
)

// TestHelpers checks each helper against a byte loop.
func TestHelpers(t *testing.T) {
	pack := func(s string) uint64 {
		var x uint64
		for i := 0; i < len(s); i++ {
			x |= uint64(s[i]) << (8 * i)
		}
		return x
	}
	words := []string{"", "a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh", "\x80\xff\x00.", "A.B"}
	for _, w := range words {
		if got, want := LoadUpTo8(w), pack(w); got != want {
			t.Errorf("LoadUpTo8(%q) = %#x, want %#x", w, got, want)
		}
		if len(w) == 8 && Load8(w) != pack(w) {
			t.Errorf("Load8(%q) = %#x", w, Load8(w))
		}
	}
	for c := 0; c < 0x100; c++ {
		for pos := 0; pos < 8; pos++ {
			b := []byte("zZaA@[`{")
			b[pos] = byte(c)
			x := pack(string(b))
			if c < 0x80 {
				if got, want := LowerASCII8(x), pack(strings.ToLower(string(b))); got != want {
					t.Errorf("LowerASCII8(%q) = %#x, want %#x", b, got, want)
				}
			}
			for _, d := range []byte{'.', 0, 'z', ' ', 0xff} {
				if got, want := HasByte(x, d), strings.IndexByte(string(b), d) >= 0; got != want {
					t.Errorf("HasByte(%q, %q) = %v", b, d, got)
				}
				if got, want := bits.OnesCount64(ByteMask(x, d)), strings.Count(string(b), string([]byte{d})); got != want {
					t.Errorf("ByteMask(%q, %q) marks %d bytes, want %d", b, d, got, want)
				}
			}
		}
	}
}
