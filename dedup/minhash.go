package dedup

import "math"

// signature fills sig (one value per bin) with the one-permutation MinHash
// of the set of shingle hashes grams (duplicates allowed) and densifies the
// empty bins with Shrivastava's optimal densification, so that two sets
// agree on a bin with probability close to their Jaccard similarity.
// filled is scratch of len(sig). It reports false when grams is empty.
func signature(sig []uint32, grams []uint64, filled []bool) bool {
	k := uint64(len(sig))
	for i := range sig {
		sig[i] = math.MaxUint32
		filled[i] = false
	}
	if len(grams) == 0 {
		return false
	}
	for _, g := range grams {
		b := (g >> 32) * k >> 32
		v := uint32(g)
		if !filled[b] || v < sig[b] {
			sig[b], filled[b] = v, true
		}
	}
	for i := range sig {
		if filled[i] {
			continue
		}
		for a := uint64(1); ; a++ {
			j := (mix64(uint64(i)<<32|a) >> 32) * k >> 32
			if filled[j] {
				sig[i] = sig[j]
				break
			}
		}
	}
	return true
}

// truncate keeps the low 16 bits of each bin (b-bit MinHash): equal bins
// stay equal, different ones collide with probability 1/65536.
func truncate(dst []uint16, sig []uint32) []uint16 {
	for _, v := range sig {
		dst = append(dst, uint16(v))
	}
	return dst
}

// estimate is the share of equal bins of two signatures: an unbiased
// estimate of the Jaccard similarity of the underlying sets.
func estimate(a, b []uint16) float64 {
	if len(a) == 0 || len(a) != len(b) {
		return 0
	}
	eq := 0
	for i, v := range a {
		if v == b[i] {
			eq++
		}
	}
	return float64(eq) / float64(len(a))
}

// MinCandidateProb is the probability with which LSH must propose a pair
// whose Jaccard similarity equals the threshold; LSHParams picks the
// most selective banding that reaches it.
const MinCandidateProb = 0.995

// LSHParams chooses the band and row counts for numHash MinHash values and
// a Jaccard threshold t: the largest rows r (fewest false candidates) such
// that with bands b = numHash/r a pair at exactly t becomes a candidate with
// probability 1-(1-t^r)^b >= MinCandidateProb. Pairs above t are proposed
// with higher probability; candidates are then checked, so a low r costs
// only time, never precision.
func LSHParams(numHash int, t float64) (bands, rows int) {
	if numHash < 1 {
		return 0, 0
	}
	bands, rows = numHash, 1
	for r := 2; r <= numHash; r++ {
		b := numHash / r
		if CandidateProb(t, b, r) < MinCandidateProb {
			break
		}
		bands, rows = b, r
	}
	return bands, rows
}

// CandidateProb is the probability that LSH with b bands of r rows proposes
// a pair of Jaccard similarity s: 1-(1-s^r)^b.
func CandidateProb(s float64, b, r int) float64 {
	return 1 - math.Pow(1-math.Pow(s, float64(r)), float64(b))
}

// bandKey hashes the rows of band bi of sig into a 32-bit table key.
func bandKey(sig []uint16, bi, rows int) uint32 {
	h := uint64(bi+1) * 0x9e3779b97f4a7c15
	for _, v := range sig[bi*rows : (bi+1)*rows] {
		h = mix64(h ^ uint64(v))
	}
	return uint32(h)
}
