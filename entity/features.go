package entity

// Entity types and BILOU labels. Label 0 is O; label 1+4*t+p is position p
// (B, I, L, U) of type t.
var typeNames = [nTypes]string{"PER", "ORG", "LOC", "MISC"}

const (
	nTypes  = 4
	nLabels = 1 + 4*nTypes
	posB    = 0
	posI    = 1
	posL    = 2
	posU    = 3
)

func label(typ, pos int) uint8 { return uint8(1 + 4*typ + pos) }
func labelType(l uint8) int    { return int(l-1) / 4 }
func labelPos(l uint8) int     { return int(l-1) % 4 }

// typeIndex returns the index of an entity type name, or -1.
func typeIndex(s string) int {
	for i, t := range typeNames {
		if t == s {
			return i
		}
	}
	return -1
}

// validAfter reports whether label l may follow label prev in BILOU.
func validAfter(prev, l uint8) bool { return validTable[prev][l] }

var validTable = func() (t [nLabels][nLabels]bool) {
	for p := range uint8(nLabels) {
		for l := range uint8(nLabels) {
			t[p][l] = validAfterSlow(p, l)
		}
	}
	return t
}()

func validAfterSlow(prev, l uint8) bool {
	open := prev != 0 && (labelPos(prev) == posB || labelPos(prev) == posI)
	if l == 0 {
		return !open
	}
	p := labelPos(l)
	if open {
		return (p == posI || p == posL) && labelType(l) == labelType(prev)
	}
	return p == posB || p == posU
}

// feature templates
const (
	tBias = iota + 1
	tLower
	tExact
	tLowerM1
	tLowerP1
	tLowerM2
	tLowerP2
	tShape
	tShapeM1
	tShapeP1
	tShape3
	tShort
	tPre
	tSuf
	tBiM1
	tBiP1
	tFirst
	tUncased
	tGaz
	tGazShape
	tFlags
	tLen
	tCase
	tExactM1
	tExactP1
	tShortM2P2
	tCluster
	tHand
	tHandNext
	tClusterM1
	tClusterP1
	// dynamic
	tPrev1
	tPrev2
	tPrevWord
	tPrevShape
	tHist
	tHistShape
	tHistMajor
	tFwd
)

// lexicon holds the word-level resources a model carries besides its
// weights: gazetteers, truecase classes and word clusters, all keyed by
// hashes (no text is stored).
type lexicon struct {
	// gaz maps a phrase hash to bits: 1<<t when the phrase is an entity of
	// type t, gazPrefix when it starts a longer entry.
	gaz map[uint64]uint8
	// tc maps a folded word hash to its usual casing: tcCap or tcUpper.
	tc map[uint64]uint8
	// hand is the hand-written gazetteer (gazetteer.txt) in the same form
	// as gaz, with bit handFirst for given names.
	hand map[uint64]uint8
	// clusters maps a folded word hash to its cluster: coarse<<12 | fine
	// (0 = none).
	clusters map[uint64]uint32
}

const (
	gazPrefix = 0x80
	maxGazLen = 8
	tcCap     = 1
	tcUpper   = 2
)

// token is the per-token state the featurizer computes once per sentence.
type token struct {
	wordInfo
	vshape, vshort uint64 // shape used for features (virtual in uncased text)
	vflags         uint8
	gaz            [nTypes]uint8 // 0 none, 1+pos
	hand           [nTypes + 1]uint8
	cluster        uint32
}

// featurizer turns sentences into hashed feature buckets.
type featurizer struct {
	lex  *lexicon
	mask uint64
	// gazF and handF, when set, filter the lookups of lex.gaz and
	// lex.hand (most phrases looked up are in neither).
	gazF, handF hashFilter
	toks        []token
	uncased     bool // the last prepared sentence is all lower or all upper case
}

var (
	shapeHashCap   = shapeOf("Xx")
	shapeHashUpper = shapeOf("X")
	shapeHashLower = shapeOf("x")
)

func shapeOf(s string) uint64 {
	var wi wordInfo
	analyze(s, &wi)
	return wi.short
}

// prepare analyzes the words of one sentence.
func (f *featurizer) prepare(words []string) []token {
	if cap(f.toks) < len(words) {
		f.toks = make([]token, len(words), 2*len(words))
	}
	toks := f.toks[:len(words)]
	mixed, upperOnly, lowerOnly := 0, 0, 0
	for i, w := range words {
		t := &toks[i]
		analyze(w, &t.wordInfo)
		t.gaz = [nTypes]uint8{}
		t.hand = [nTypes + 1]uint8{}
		t.cluster = 0
		if len(f.lex.clusters) > 0 {
			t.cluster = f.lex.clusters[t.lower]
		}
		switch fl := t.flags; {
		case fl&fHasUpper != 0 && fl&fHasLower != 0:
			mixed++
		case fl&fHasUpper != 0:
			upperOnly++
		case fl&fHasLower != 0:
			lowerOnly++
		}
	}
	uncased := mixed == 0 && (upperOnly == 0 || lowerOnly == 0) && upperOnly+lowerOnly > 0
	for i := range toks {
		t := &toks[i]
		t.vshape, t.vshort, t.vflags = t.shape, t.short, t.flags
		if uncased && t.flags&(fHasUpper|fHasLower) != 0 {
			class := f.lex.tc[t.lower]
			t.vflags &^= fInitCap | fAllCap | fHasUpper | fHasLower
			t.vflags |= 0x80 // marks "casing guessed"
			switch class {
			case tcCap:
				t.vshape, t.vshort = shapeHashCap, shapeHashCap
				t.vflags |= fInitCap | fHasUpper | fHasLower
			case tcUpper:
				t.vshape, t.vshort = shapeHashUpper, shapeHashUpper
				t.vflags |= fAllCap | fHasUpper
			default:
				t.vshape, t.vshort = shapeHashLower, shapeHashLower
				t.vflags |= fHasLower
			}
		}
	}
	f.uncased = uncased
	f.matchGaz(toks, uncased)
	return toks
}

// matchGaz marks, per type, the BILOU position of each token inside the
// longest gazetteer phrase that covers it.
func (f *featurizer) matchGaz(toks []token, uncased bool) {
	matchPhrases(toks, uncased, f.lex.gaz, f.gazF, nTypes, func(t *token) []uint8 { return t.gaz[:] })
	matchPhrases(toks, uncased, f.lex.hand, f.handF, nTypes+1, func(t *token) []uint8 { return t.hand[:] })
}

// hashFilter is a one-hash Bloom filter of the keys of a hashed table, a
// bit per value of a key's top filterBits bits: a clear bit means the key
// is not in the table, a set one that it may be. The keys are
// well-mixed hashes.
type hashFilter []uint64

const filterBits = 17

func newHashFilter(m map[uint64]uint8) hashFilter {
	f := make(hashFilter, 1<<filterBits/64)
	for k := range m {
		i := k >> (64 - filterBits)
		f[i>>6] |= 1 << (i & 63)
	}
	return f
}

// mayHave reports whether h may be a key; a nil filter may have any.
func (f hashFilter) mayHave(h uint64) bool {
	if f == nil {
		return true
	}
	i := h >> (64 - filterBits)
	return f[i>>6]&(1<<(i&63)) != 0
}

// matchPhrases marks, for each of ntypes bits, the BILOU position of each
// token inside the longest phrase of gaz that covers it.
// Lookups that filter rules out are skipped.
func matchPhrases(toks []token, uncased bool, gaz map[uint64]uint8, filter hashFilter, ntypes int, slot func(*token) []uint8) {
	if len(gaz) == 0 {
		return
	}
	for i := 0; i < len(toks); i++ {
		if !uncased && toks[i].flags&(fHasUpper|fHasDigit) == 0 {
			continue
		}
		h := uint64(0)
		for j := i; j < len(toks) && j-i < maxGazLen; j++ {
			h = phraseHash(h, toks[j].lower)
			if !filter.mayHave(h) {
				break
			}
			bits, ok := gaz[h]
			if !ok {
				break
			}
			n := j - i + 1
			for t := 0; t < ntypes; t++ {
				if bits&(1<<t) == 0 {
					continue
				}
				for k := i; k <= j; k++ {
					var pos uint8
					switch {
					case n == 1:
						pos = posU
					case k == i:
						pos = posB
					case k == j:
						pos = posL
					default:
						pos = posI
					}
					slot(&toks[k])[t] = 1 + pos
				}
			}
			if bits&gazPrefix == 0 {
				break
			}
		}
	}
}

func (f *featurizer) add(out []uint32, h uint64) []uint32 {
	return append(out, uint32(h&f.mask))
}

// static appends the features of token i that do not depend on earlier
// predictions.
func (f *featurizer) static(toks []token, i int, out []uint32) []uint32 {
	t := &toks[i]
	var none token
	at := func(k int) *token {
		if k < 0 || k >= len(toks) {
			return &none
		}
		return &toks[k]
	}
	m1, p1, m2, p2 := at(i-1), at(i+1), at(i-2), at(i+2)
	bnd := func(k int) uint64 { // boundary marker
		if k < 0 {
			return 1
		}
		if k >= len(toks) {
			return 2
		}
		return 0
	}
	out = f.add(out, mix(tBias, 0, 0))
	out = f.add(out, mix(tLower, t.lower, 0))
	exact := t.exact
	if t.vflags&0x80 != 0 {
		exact = mix(tUncased, t.lower, t.vshort)
	}
	out = f.add(out, mix(tExact, exact, 0))
	out = f.add(out, mix(tLowerM1, m1.lower, bnd(i-1)))
	out = f.add(out, mix(tLowerP1, p1.lower, bnd(i+1)))
	out = f.add(out, mix(tLowerM2, m2.lower, bnd(i-2)))
	out = f.add(out, mix(tLowerP2, p2.lower, bnd(i+2)))
	out = f.add(out, mix(tShape, t.vshape, 0))
	out = f.add(out, mix(tShapeM1, m1.vshort, bnd(i-1)))
	out = f.add(out, mix(tShapeP1, p1.vshort, bnd(i+1)))
	out = f.add(out, mix(tShape3, mix(0, m1.vshort, t.vshort), p1.vshort))
	out = f.add(out, mix(tShortM2P2, mix(0, m2.vshort, p2.vshort), t.vshort))
	out = f.add(out, mix(tShort, t.vshort, 0))
	for k := 0; k < 4; k++ {
		if t.pre[k] != 0 {
			out = f.add(out, mix(tPre, t.pre[k], uint64(k)))
		}
		if suf := t.suffix(k + 1); suf != 0 {
			out = f.add(out, mix(tSuf, suf, uint64(k)))
		}
	}
	out = f.add(out, mix(tBiM1, m1.lower, t.lower))
	out = f.add(out, mix(tBiP1, t.lower, p1.lower))
	out = f.add(out, mix(tExactM1, m1.exact, t.vshort))
	out = f.add(out, mix(tExactP1, p1.exact, t.vshort))
	if i == 0 {
		out = f.add(out, mix(tFirst, t.vshort, 0))
		out = f.add(out, mix(tFirst, t.lower, 1))
	}
	if t.vflags&0x80 != 0 {
		out = f.add(out, mix(tUncased, t.vshort, 0))
	}
	out = f.add(out, mix(tFlags, uint64(t.vflags), 0))
	n := uint64(t.nrunes)
	if n > 12 {
		n = 12
	}
	out = f.add(out, mix(tLen, n, uint64(t.vflags&fInitCap)))
	for ty := 0; ty < nTypes; ty++ {
		if g := t.gaz[ty]; g != 0 {
			out = f.add(out, mix(tGaz, uint64(ty), uint64(g)))
			out = f.add(out, mix(tGazShape, uint64(ty)<<8|uint64(g), t.vshort))
		}
	}
	for ty := 0; ty <= nTypes; ty++ {
		if g := t.hand[ty]; g != 0 {
			out = f.add(out, mix(tHand, uint64(ty), uint64(g)))
			out = f.add(out, mix(tHand, uint64(ty)<<8|uint64(g), t.vshort))
		}
	}
	if p1.hand[nTypes] != 0 {
		out = f.add(out, mix(tHandNext, 1, t.vshort)) // next word is a given name
	}
	if m1.hand[nTypes] != 0 {
		out = f.add(out, mix(tHandNext, 2, t.vshort)) // previous word is a given name
	}
	if t.cluster != 0 {
		c := uint64(t.cluster)
		out = f.add(out, mix(tCluster, c&0xfff, 0))
		out = f.add(out, mix(tCluster, c>>12, 1))
		out = f.add(out, mix(tCluster, c&0xfff, t.vshort))
	}
	if m1.cluster != 0 {
		out = f.add(out, mix(tClusterM1, uint64(m1.cluster&0xfff), 0))
	}
	if p1.cluster != 0 {
		out = f.add(out, mix(tClusterP1, uint64(p1.cluster&0xfff), 0))
	}
	return out
}

// The decoder scores the features of static in two parts: those of the
// token alone (its word and casing), the same wherever the word occurs in
// cased text and so scored once per word (see wordScores), and those of
// its context. Training keeps static, whose order its float sums follow;
// a test checks that the two parts are static's features.

// intrinsic appends the features of static that depend on token t alone.
func (f *featurizer) intrinsic(t *token, out []uint32) []uint32 {
	out = f.add(out, mix(tBias, 0, 0))
	out = f.add(out, mix(tLower, t.lower, 0))
	exact := t.exact
	if t.vflags&0x80 != 0 {
		exact = mix(tUncased, t.lower, t.vshort)
	}
	out = f.add(out, mix(tExact, exact, 0))
	out = f.add(out, mix(tShape, t.vshape, 0))
	out = f.add(out, mix(tShort, t.vshort, 0))
	for k := 0; k < 4; k++ {
		if t.pre[k] != 0 {
			out = f.add(out, mix(tPre, t.pre[k], uint64(k)))
		}
		if suf := t.suffix(k + 1); suf != 0 {
			out = f.add(out, mix(tSuf, suf, uint64(k)))
		}
	}
	if t.vflags&0x80 != 0 {
		out = f.add(out, mix(tUncased, t.vshort, 0))
	}
	out = f.add(out, mix(tFlags, uint64(t.vflags), 0))
	n := uint64(t.nrunes)
	if n > 12 {
		n = 12
	}
	return f.add(out, mix(tLen, n, uint64(t.vflags&fInitCap)))
}

// context appends the features of static that intrinsic leaves out:
// those of the neighbours, the position, gazetteers and clusters.
func (f *featurizer) context(toks []token, i int, out []uint32) []uint32 {
	t := &toks[i]
	var none token
	at := func(k int) *token {
		if k < 0 || k >= len(toks) {
			return &none
		}
		return &toks[k]
	}
	m1, p1, m2, p2 := at(i-1), at(i+1), at(i-2), at(i+2)
	bnd := func(k int) uint64 { // boundary marker
		if k < 0 {
			return 1
		}
		if k >= len(toks) {
			return 2
		}
		return 0
	}
	out = f.add(out, mix(tLowerM1, m1.lower, bnd(i-1)))
	out = f.add(out, mix(tLowerP1, p1.lower, bnd(i+1)))
	out = f.add(out, mix(tLowerM2, m2.lower, bnd(i-2)))
	out = f.add(out, mix(tLowerP2, p2.lower, bnd(i+2)))
	out = f.add(out, mix(tShapeM1, m1.vshort, bnd(i-1)))
	out = f.add(out, mix(tShapeP1, p1.vshort, bnd(i+1)))
	out = f.add(out, mix(tShape3, mix(0, m1.vshort, t.vshort), p1.vshort))
	out = f.add(out, mix(tShortM2P2, mix(0, m2.vshort, p2.vshort), t.vshort))
	out = f.add(out, mix(tBiM1, m1.lower, t.lower))
	out = f.add(out, mix(tBiP1, t.lower, p1.lower))
	out = f.add(out, mix(tExactM1, m1.exact, t.vshort))
	out = f.add(out, mix(tExactP1, p1.exact, t.vshort))
	if i == 0 {
		out = f.add(out, mix(tFirst, t.vshort, 0))
		out = f.add(out, mix(tFirst, t.lower, 1))
	}
	for ty := 0; ty < nTypes; ty++ {
		if g := t.gaz[ty]; g != 0 {
			out = f.add(out, mix(tGaz, uint64(ty), uint64(g)))
			out = f.add(out, mix(tGazShape, uint64(ty)<<8|uint64(g), t.vshort))
		}
	}
	for ty := 0; ty <= nTypes; ty++ {
		if g := t.hand[ty]; g != 0 {
			out = f.add(out, mix(tHand, uint64(ty), uint64(g)))
			out = f.add(out, mix(tHand, uint64(ty)<<8|uint64(g), t.vshort))
		}
	}
	if p1.hand[nTypes] != 0 {
		out = f.add(out, mix(tHandNext, 1, t.vshort)) // next word is a given name
	}
	if m1.hand[nTypes] != 0 {
		out = f.add(out, mix(tHandNext, 2, t.vshort)) // previous word is a given name
	}
	if t.cluster != 0 {
		c := uint64(t.cluster)
		out = f.add(out, mix(tCluster, c&0xfff, 0))
		out = f.add(out, mix(tCluster, c>>12, 1))
		out = f.add(out, mix(tCluster, c&0xfff, t.vshort))
	}
	if m1.cluster != 0 {
		out = f.add(out, mix(tClusterM1, uint64(m1.cluster&0xfff), 0))
	}
	if p1.cluster != 0 {
		out = f.add(out, mix(tClusterP1, uint64(p1.cluster&0xfff), 0))
	}
	return out
}

// history is the document memory: label counts of earlier occurrences of
// the same (folded) word in the document, found through a small
// open-addressing table of word hashes (a map lookup per capitalized
// token was a visible cost).
type history struct {
	slots  []histSlot           // len is a power of two, at most half full
	shift  uint                 // 64 - log2(len(slots))
	used   []int32              // filled slots, to reset cheaply
	counts [][nTypes + 1]uint16 // reused across documents
}

// histSlot is one entry of the table: pos is the index into counts + 1,
// 0 for an empty slot.
type histSlot struct {
	word uint64
	pos  int32
}

const minHistSlots = 1 << 8

func newHistory() *history {
	h := &history{}
	h.grow(minHistSlots)
	return h
}

// reset forgets the previous document.
func (h *history) reset() {
	for _, i := range h.used {
		h.slots[i] = histSlot{}
	}
	h.used = h.used[:0]
	h.counts = h.counts[:0]
}

func (h *history) slot(w uint64) int { return int((w * 0x9E3779B97F4A7C15) >> h.shift) }

// find returns the slot of w, or the empty slot where it would go.
func (h *history) find(w uint64) int {
	mask := len(h.slots) - 1
	i := h.slot(w)
	for h.slots[i].pos != 0 && h.slots[i].word != w {
		i = (i + 1) & mask
	}
	return i
}

// grow rebuilds the table with n slots (a power of two).
func (h *history) grow(n int) {
	old := h.slots
	h.slots = make([]histSlot, n)
	h.shift = 64
	for m := n; m > 1; m >>= 1 {
		h.shift--
	}
	h.used = h.used[:0]
	for _, e := range old {
		if e.pos != 0 {
			i := h.find(e.word)
			h.slots[i] = e
			h.used = append(h.used, int32(i))
		}
	}
}

func (h *history) get(w uint64) *[nTypes + 1]uint16 {
	if e := &h.slots[h.find(w)]; e.pos != 0 {
		return &h.counts[e.pos-1]
	}
	return nil
}

// dynamic appends the features that depend on earlier predictions.
func (f *featurizer) dynamic(t *token, prev1, prev2 uint8, hist *history, out []uint32) []uint32 {
	out = f.prevFeatures(t, prev1, prev2, out)
	return f.histFeatures(t, hist, out)
}

// prevFeatures appends the features of the two previous labels.
func (f *featurizer) prevFeatures(t *token, prev1, prev2 uint8, out []uint32) []uint32 {
	out = f.add(out, mix(tPrev1, uint64(prev1), 0))
	out = f.add(out, mix(tPrev2, uint64(prev1), uint64(prev2)))
	out = f.add(out, mix(tPrevWord, uint64(prev1), t.lower))
	return f.add(out, mix(tPrevShape, uint64(prev1), t.vshort))
}

// The beam decoder splits prevFeatures in two: the features of the label
// pair alone, scored once per model (Model.labelPairs), and those that
// also depend on the token.

// pairFeatures appends the features of prevFeatures that depend on the
// previous labels alone.
func (f *featurizer) pairFeatures(prev1, prev2 uint8, out []uint32) []uint32 {
	out = f.add(out, mix(tPrev1, uint64(prev1), 0))
	return f.add(out, mix(tPrev2, uint64(prev1), uint64(prev2)))
}

// prevWordFeatures appends the rest of prevFeatures.
func (f *featurizer) prevWordFeatures(t *token, prev1 uint8, out []uint32) []uint32 {
	out = f.add(out, mix(tPrevWord, uint64(prev1), t.lower))
	return f.add(out, mix(tPrevShape, uint64(prev1), t.vshort))
}

// histFeatures appends the document-memory features of t.
func (f *featurizer) histFeatures(t *token, hist *history, out []uint32) []uint32 {
	if hist != nil && (memorable(t) || t.vflags&0x80 != 0) {
		if c := hist.get(t.lower); c != nil {
			best, bestN := 0, uint16(0)
			for ty := 0; ty <= nTypes; ty++ {
				if c[ty] > 0 {
					out = f.add(out, mix(tHist, uint64(ty), 0))
					out = f.add(out, mix(tHistShape, uint64(ty), t.vshort))
				}
				if c[ty] > bestN {
					best, bestN = ty, c[ty]
				}
			}
			out = f.add(out, mix(tHistMajor, uint64(best), 0))
		}
	}
	return out
}

// memorable reports whether a token's labels are worth remembering across
// the document: capitalized words (in uncased text, words usually written
// capitalized).
func memorable(t *token) bool {
	return t.vflags&fHasUpper != 0
}

// remember records the label given to t.
func (h *history) remember(t *token, l uint8) {
	if h == nil || !memorable(t) {
		return
	}
	c := h.get(t.lower)
	if c == nil {
		if 2*(len(h.counts)+1) > len(h.slots) {
			h.grow(2 * len(h.slots))
		}
		i := h.find(t.lower)
		h.counts = append(h.counts, [nTypes + 1]uint16{})
		h.slots[i] = histSlot{word: t.lower, pos: int32(len(h.counts))}
		h.used = append(h.used, int32(i))
		c = &h.counts[len(h.counts)-1]
	}
	k := nTypes // O
	if l != 0 {
		k = labelType(l)
	}
	if c[k] < 65535 {
		c[k]++
	}
}
