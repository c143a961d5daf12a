package text

import (
	"strings"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
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
type Stemmer struct {
	cache map[string]stemEntry
	buf   []byte
	env   *snowballstem.Env
}

type stemEntry struct {
	term Term
	stop bool
}

// maxStemCache bounds the cache; it is cleared when full.
const maxStemCache = 1 << 19

// NewStemmer returns an empty Stemmer.
func NewStemmer() *Stemmer {
	return &Stemmer{cache: make(map[string]stemEntry, 1<<14), env: snowballstem.NewEnv("")}
}

// Term lower-cases word, stems it and returns its Term; stop is true for
// stop words and words that carry no content (single letters).
func (s *Stemmer) Term(word string) (t Term, stop bool) {
	s.buf = appendLower(s.buf[:0], word)
	if e, ok := s.cache[string(s.buf)]; ok {
		return e.term, e.stop
	}
	lw := string(s.buf)
	e := stemEntry{stop: IsStopWord(lw) || len(lw) < 2}
	if !e.stop {
		s.env.SetCurrent(lw)
		english.Stem(s.env)
		e.term = TermOf(s.env.Current())
	}
	if len(s.cache) >= maxStemCache {
		clear(s.cache)
	}
	s.cache[lw] = e
	return e.term, e.stop
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
