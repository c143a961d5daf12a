package dedup

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// entryVersion is the first byte of a marshalled entry.
const entryVersion = 1

// maxEntryWords bounds the words of an entry read back (a 4 MiB article
// has fewer than 2M words).
const maxEntryWords = 1 << 22

// Entry returns the persistent form of an indexed article: its exact hash,
// 16-bit word tokens and word offsets. The MinHash signature, LSH keys and
// fingerprints are derived from the tokens when the entry is added back, so
// entries stay valid when the index options change. The format is
//
//	version byte (1) | exact hash uint64 LE | uvarint word count n |
//	n tokens uint16 LE | uvarint deltas of the n word start offsets
func (ix *Index) Entry(id string) ([]byte, bool) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	slot, ok := ix.ids[id]
	if !ok {
		return nil, false
	}
	e := ix.arts[slot]
	b := make([]byte, 0, 1+8+binary.MaxVarintLen64+2*len(e.toks)+len(e.offs))
	b = append(b, entryVersion)
	b = binary.LittleEndian.AppendUint64(b, e.exact)
	b = binary.AppendUvarint(b, uint64(len(e.toks)))
	for _, t := range e.toks {
		b = binary.LittleEndian.AppendUint16(b, t)
	}
	return append(b, e.offs...), true
}

// AddEntry indexes an article from its Entry without its text (re-adding an
// id replaces it). Nothing is compared: use it to rebuild an index.
func (ix *Index) AddEntry(id string, published time.Time, entry []byte) error {
	p := getPrepared()
	defer putPrepared(p)
	if err := p.fromEntry(entry); err != nil {
		return fmt.Errorf("dedup: entry of %q: %w", id, err)
	}
	p.derive(&ix.opt)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.removeLocked(id)
	e, t := ix.newEntry(id, published, p)
	ix.insertLocked(e, t, p)
	return nil
}

func (p *prepared) fromEntry(b []byte) error {
	if len(b) < 10 || b[0] != entryVersion {
		return errors.New("not a version 1 entry")
	}
	p.exact = binary.LittleEndian.Uint64(b[1:9])
	n, k := binary.Uvarint(b[9:])
	if k <= 0 || n > maxEntryWords {
		return errors.New("bad word count")
	}
	b = b[9+k:]
	if uint64(len(b)) < 2*n {
		return errors.New("truncated tokens")
	}
	if (n == 0) != (p.exact == 0) {
		return errors.New("exact hash does not match word count")
	}
	p.toks = p.toks[:0]
	for i := uint64(0); i < n; i++ {
		p.toks = append(p.toks, binary.LittleEndian.Uint16(b[2*i:]))
	}
	var ok bool
	p.starts, ok = decodeOffsets(p.starts[:0], b[2*n:], int(n))
	if !ok {
		return errors.New("bad word offsets")
	}
	// Word ends are unknown without the text; only starts are needed.
	p.tk.reset()
	return nil
}
