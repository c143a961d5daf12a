package dedup

import (
	"errors"
	"fmt"
)

// Options configures an Index. The zero value of a field means its default.
type Options struct {
	// Threshold is the Jaccard similarity of word-shingle sets at or above
	// which two articles are near-duplicates. Default 0.6.
	Threshold float64
	// Shingle is the number of words per shingle for MinHash. Default 4.
	Shingle int
	// NumHash is the number of MinHash bins. Default 128.
	NumHash int
	// Bands and Rows set the LSH banding (Bands*Rows <= NumHash). When 0
	// they are chosen from Threshold by LSHParams.
	Bands, Rows int
	// MinPassage is the shortest shared run of words reported as a reused
	// passage; it is also the fingerprint length. Default 8.
	MinPassage int
	// Window is the winnowing window over passage fingerprints: any shared
	// run of at least MinPassage+Window-1 words is guaranteed to be found,
	// shorter ones (down to MinPassage) usually are. Default 6.
	Window int
	// MaxCandidates bounds the earlier articles aligned word by word per
	// query (the ones sharing most fingerprints are kept). Default 16:
	// on the dedup-eval corpus 64 found 0.06% more shared sentences.
	MaxCandidates int
	// MaxPostings bounds the articles kept per fingerprint or band key (the
	// earliest added are kept), so boilerplate cannot blow up queries.
	// Default 256.
	MaxPostings int
	// NoPassages turns passage reuse off: only exact and near copies are
	// found, and the index holds no passage fingerprints.
	NoPassages bool
}

// DefaultOptions returns the defaults described on Options, with the LSH
// banding filled in.
func DefaultOptions() Options {
	return Options{}.withDefaults()
}

func (o Options) withDefaults() Options {
	if o.Threshold <= 0 {
		o.Threshold = 0.6
	}
	if o.Shingle <= 0 {
		o.Shingle = 4
	}
	if o.NumHash <= 0 {
		o.NumHash = 128
	}
	if o.Bands <= 0 || o.Rows <= 0 {
		o.Bands, o.Rows = LSHParams(o.NumHash, o.Threshold)
	}
	if o.MinPassage <= 0 {
		o.MinPassage = 8
	}
	if o.Window <= 0 {
		o.Window = 6
	}
	if o.MaxCandidates <= 0 {
		o.MaxCandidates = 16
	}
	if o.MaxPostings <= 0 {
		o.MaxPostings = 256
	}
	return o
}

// Validate reports an option that cannot work.
func (o Options) Validate() error {
	o = o.withDefaults()
	switch {
	case o.Threshold > 1:
		return fmt.Errorf("dedup: threshold %v above 1", o.Threshold)
	case o.Bands*o.Rows > o.NumHash:
		return fmt.Errorf("dedup: %d bands x %d rows exceed %d hashes", o.Bands, o.Rows, o.NumHash)
	case o.NumHash > 1<<16:
		return errors.New("dedup: more than 65536 hashes")
	}
	return nil
}
