package text

import (
	"strings"
	"sync"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/storyline/storyline/internal/swar"
	"github.com/zeebo/xxh3"
)

// Term is a hashed, stemmed, lower-cased word. Hashing keeps the engine
// free of a vocabulary; 32-bit collisions are rare enough to be noise.
type Term uint32

// TermOf returns the Term of an already normalized (stemmed) string.
func TermOf(s string) Term { return Term(xxh3.HashString(s)) }

// Stemmer maps words to Terms through the Snowball English stemmer, with a
// cache so each distinct word is stemmed once. A Stemmer is not safe for
// concurrent use: give each goroutine its own.
//
// The cache is an open-addressing table whose slots hold the lower-cased
// word itself when it is at most 16 bytes long (packed in two words, so a
// lookup compares integers and the table holds no pointers for the garbage
// collector to scan); longer words go to a map.
type Stemmer struct {
	tab   []stemSlot // len is a power of two, at most half full
	shift uint       // 64 - log2(len(tab))
	used  int        // filled slots of tab
	long  map[string]stemEntry
	limit int // cached words (tab and long) before the cache is cleared
	buf   []byte
	env   *snowballstem.Env
}

type stemEntry struct {
	term Term
	stop bool
}

// stemSlot caches one lower-cased word of up to 16 bytes.
type stemSlot struct {
	k0, k1 uint64 // the word's bytes, little-endian, zero-padded
	term   Term
	n      uint8 // the word's length + 1; 0 marks an empty slot
	stop   bool
}

// maxStemCache bounds the cache; it is cleared when full.
const maxStemCache = 1 << 19

// initialStemSlots is the starting size of the cache table.
const initialStemSlots = 1 << 12

// NewStemmer returns an empty Stemmer.
func NewStemmer() *Stemmer {
	s := &Stemmer{long: map[string]stemEntry{}, limit: maxStemCache, env: snowballstem.NewEnv("")}
	s.resize(initialStemSlots)
	return s
}

// Term lower-cases word, stems it and returns its Term; stop is true for
// stop words and words that carry no content (single letters).
func (s *Stemmer) Term(word string) (t Term, stop bool) {
	if n := len(word); n > 0 && n <= 16 {
		// Fast path: ASCII without periods is lower-cased eight bytes at
		// a time, straight into the packed key.
		var k0, k1 uint64
		if n > 8 {
			k0, k1 = swar.Load8(word), swar.LoadUpTo8(word[8:])
		} else {
			k0 = swar.LoadUpTo8(word)
		}
		if (k0|k1)&swar.Hi == 0 && !swar.HasByte(k0, '.') && !swar.HasByte(k1, '.') {
			return s.lookup(swar.LowerASCII8(k0), swar.LowerASCII8(k1), n)
		}
	}
	s.buf = appendLower(s.buf[:0], word)
	if len(s.buf) > 16 {
		if e, ok := s.long[string(s.buf)]; ok {
			return e.term, e.stop
		}
		e := s.entry(s.buf)
		lw := string(s.buf)
		s.makeRoom()
		s.long[lw] = e
		return e.term, e.stop
	}
	var k [2]uint64
	for i, c := range s.buf {
		k[i>>3] |= uint64(c) << (8 * (i & 7))
	}
	return s.lookup(k[0], k[1], len(s.buf))
}

// lookup returns the cached entry of the packed lower-cased word of n
// bytes, stemming and caching it on a miss.
func (s *Stemmer) lookup(k0, k1 uint64, n int) (Term, bool) {
	mask := len(s.tab) - 1
	i := int(stemHash(k0, k1, n) >> s.shift)
	for {
		e := &s.tab[i]
		if e.n == 0 {
			break
		}
		if e.k0 == k0 && e.k1 == k1 && int(e.n) == n+1 {
			return e.term, e.stop
		}
		i = (i + 1) & mask
	}
	var b [16]byte
	for j := range n {
		w := k0
		if j >= 8 {
			w = k1
		}
		b[j] = byte(w >> (8 * (j & 7)))
	}
	e := s.entry(b[:n])
	if s.makeRoom() {
		i = int(stemHash(k0, k1, n) >> s.shift) // the table is empty now
	} else if (s.used+1)*2 > len(s.tab) {
		s.resize(2 * len(s.tab))
		mask = len(s.tab) - 1
		i = int(stemHash(k0, k1, n) >> s.shift)
		for s.tab[i].n != 0 {
			i = (i + 1) & mask
		}
	}
	s.tab[i] = stemSlot{k0: k0, k1: k1, term: e.term, n: uint8(n + 1), stop: e.stop}
	s.used++
	return e.term, e.stop
}

// entry stems the lower-cased word lw, or finds it in the shared cache.
func (s *Stemmer) entry(lw []byte) stemEntry {
	shared.RLock()
	e, ok := shared.m[string(lw)]
	shared.RUnlock()
	if ok {
		return e
	}
	w := string(lw)
	e.stop = IsStopWord(w) || len(w) < 2
	if !e.stop {
		s.env.SetCurrent(w)
		english.Stem(s.env)
		e.term = TermOf(s.env.Current())
	}
	shared.Lock()
	if len(shared.m) < maxSharedStems {
		shared.m[w] = e
	}
	shared.Unlock()
	return e
}

// shared caches stems for all Stemmers of the process, behind their own
// caches: a new Stemmer (one per worker, per batch, per summary) does not
// stem again the words others have seen. It stops growing at
// maxSharedStems words.
var shared = struct {
	sync.RWMutex
	m map[string]stemEntry
}{m: map[string]stemEntry{}}

// maxSharedStems bounds the shared cache.
const maxSharedStems = 1 << 17

// makeRoom clears the cache when it holds limit words and reports whether
// it did.
func (s *Stemmer) makeRoom() bool {
	if s.used+len(s.long) < s.limit {
		return false
	}
	clear(s.tab)
	s.used = 0
	clear(s.long)
	return true
}

// resize rehashes the table into n slots (a power of two).
func (s *Stemmer) resize(n int) {
	old := s.tab
	s.tab = make([]stemSlot, n)
	s.shift = 64
	for m := n; m > 1; m >>= 1 {
		s.shift--
	}
	mask := n - 1
	for _, e := range old {
		if e.n == 0 {
			continue
		}
		i := int(stemHash(e.k0, e.k1, int(e.n)-1) >> s.shift)
		for s.tab[i].n != 0 {
			i = (i + 1) & mask
		}
		s.tab[i] = e
	}
}

// stemHash mixes a packed word into 64 bits; the table uses the top bits.
func stemHash(k0, k1 uint64, n int) uint64 {
	h := k0*0x9e3779b97f4a7c15 ^ (k1+uint64(n))*0xc2b2ae3d27d4eb4f
	h ^= h >> 29
	return h * 0x94d049bb133111eb
}

// Stem returns the Snowball English stem of a lower-case word.
func (s *Stemmer) Stem(lower string) string {
	s.env.SetCurrent(lower)
	english.Stem(s.env)
	return s.env.Current()
}

// appendLower appends the lower-case form of w, folding curly apostrophes
// to ASCII and dropping periods of acronyms ("U.S." -> "us").
func appendLower(dst []byte, w string) []byte {
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c >= 'A' && c <= 'Z':
			dst = append(dst, c+32)
		case c == '.':
		case c < 0x80:
			dst = append(dst, c)
		default:
			if strings.HasPrefix(w[i:], "\u2019") {
				dst = append(dst, '\'')
				i += 2
				continue
			}
			// Non-ASCII: lower-case rune-wise.
			j := i
			for j < len(w) && w[j] >= 0x80 {
				j++
			}
			for _, r := range w[i:j] {
				dst = appendRuneLower(dst, r)
			}
			i = j - 1
		}
	}
	return dst
}
