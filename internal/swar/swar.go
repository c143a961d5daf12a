// Package swar holds the few eight-bytes-at-a-time ("SIMD within a
// register") helpers that the text and article hot paths share: loading
// bytes of a string into a little-endian word and testing or transforming
// all eight bytes at once.
package swar

const (
	// Lo has the low bit of every byte set.
	Lo = 0x0101010101010101
	// Hi has the high bit of every byte set (all clear: all ASCII).
	Hi = 0x8080808080808080
)

// Load8 returns the first 8 bytes of s, little-endian.
func Load8(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// load4 returns the first 4 bytes of s, little-endian.
func load4(s string) uint64 {
	_ = s[3]
	return uint64(uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24)
}

// LoadUpTo8 returns the bytes of s (at most 8), little-endian and
// zero-padded, with two overlapping loads instead of a loop.
func LoadUpTo8(s string) uint64 {
	switch n := len(s); {
	case n >= 4:
		return load4(s) | load4(s[n-4:])<<(8*(n-4))
	case n > 0:
		return uint64(s[0]) | uint64(s[n/2])<<(8*(n/2)) | uint64(s[n-1])<<(8*(n-1))
	}
	return 0
}

// HasByte reports whether any byte of x is c.
func HasByte(x uint64, c byte) bool {
	v := x ^ Lo*uint64(c)
	return (v-Lo)&^v&Hi != 0
}

// ByteMask returns the high bit of each byte of x that equals c (exactly:
// no carries cross bytes).
func ByteMask(x uint64, c byte) uint64 {
	v := x ^ Lo*uint64(c) // zero bytes where x has c
	t := v&^Hi + ^uint64(Hi)
	return ^(t | v) & Hi
}

// LowerASCII8 lower-cases the eight ASCII bytes of x.
func LowerASCII8(x uint64) uint64 {
	upper := (x + Lo*(0x80-'A')) &^ (x + Lo*(0x80-'Z'-1)) & Hi
	return x | upper>>2
}
