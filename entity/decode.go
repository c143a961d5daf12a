package entity

import (
	"strings"
	"unicode/utf8"
)

// decoder holds the reusable buffers of one tagging goroutine.
type decoder struct {
	m      *Model
	f      *featurizer
	feats  []uint32
	hist   *history
	width  int   // beam width; 1 is greedy
	margin int64 // beam pruning margin in quantized weight units
	hyps   []hyp // beam buffers
	top    []hyp
	tmp    [nLabels]int32
	// exact turns the plain-word shortcut off (see plainO): every token
	// is scored, as in training.
	exact bool
	// tokens and skipped count the tokens decoded and those the shortcut
	// labelled without scoring.
	tokens, skipped int
	// words caches the intrinsic scores of words in cased text.
	words *wordScores
}

// wordScores is a direct-mapped cache of the summed weights of the
// intrinsic features of words (see featurizer.intrinsic) in cased text,
// where they depend on the word alone. Names and capitalized words, the
// tokens the decoder scores, repeat within and across articles. An entry
// holds the word itself, so a hit is always the same word; words longer
// than wordKeyLen bytes are not cached.
type wordScores [wordSlots]wordScore

const (
	wordSlots  = 2048
	wordKeyLen = 23
)

type wordScore struct {
	n   uint8 // key length; 0: empty
	key [wordKeyLen]byte
	s   [nLabels]int32
}

// intrinsicScore returns the summed weights of the intrinsic features of
// token t, the word w, from the cache or computed (and cached).
func (d *decoder) intrinsicScore(t *token, w string) *[nLabels]int32 {
	cacheable := t.vflags&0x80 == 0 && len(w) > 0 && len(w) <= wordKeyLen
	if cacheable {
		e := &d.words[t.exact&(wordSlots-1)]
		if int(e.n) == len(w) && string(e.key[:e.n]) == w {
			return &e.s
		}
		d.feats = d.f.intrinsic(t, d.feats[:0])
		d.m.score(d.feats, &e.s)
		e.n = uint8(copy(e.key[:], w))
		return &e.s
	}
	d.feats = d.f.intrinsic(t, d.feats[:0])
	d.m.score(d.feats, &d.tmp)
	return &d.tmp
}

func newDecoder(m *Model, beam int) *decoder {
	return &decoder{m: m, f: m.newFeaturizer(), feats: make([]uint32, 0, 128), hist: newHistory(), width: max(beam, 1),
		margin: int64(beamMargin * float64(m.scale)), words: new(wordScores)}
}

// plainO reports whether token i of a sentence is a plain token that the
// decoder labels O without scoring it when no hypothesis has an entity
// open before it. Plain tokens are, in cased sentences, after the first
// word and outside any gazetteer phrase, tokens without letters
// (punctuation, numbers) and lower-case words (hyphens and periods
// allowed) other than the particles that can start a name ("de Villepin",
// "van Gaal"). Uncased sentences (all lower or all upper case) are always
// scored in full.
//
// Plain tokens are most of the tokens of news text (70% of CoNLL-2003,
// 81% of the ECB+ articles) and, after O or a closed entity, practically
// never start one: on CoNLL-2003 the shortcut changes 0.02% of the labels
// of eng.train and 0.3% of eng.testa, where F1 goes up (0.923 to 0.928:
// the O scores it leaves out differ between hypotheses only through the
// previous labels, and dropping them no longer favours the hypotheses
// that end in an entity). The document memory never sees these tokens
// either way (memorable needs a capital).
func plainO(toks []token, i int, uncased bool) bool {
	t := &toks[i]
	if i == 0 || uncased || t.gaz != [nTypes]uint8{} || t.hand != [nTypes + 1]uint8{} {
		return false
	}
	if t.vflags&(fHasUpper|fHasLower) == 0 {
		return true // no letters
	}
	return t.vflags&^(fHasHyph|fHasDot) == fHasLower && (t.nrunes > maxStarter || !nameStarters.has(t.lower))
}

// maxStarter is the length in runes of the longest nameStarters word.
const maxStarter = 5

// nameStarters are lower-case words that may begin an entity in cased
// text, as a small open-addressing set of their folded hashes (the check
// runs for most tokens, where a map lookup was a visible cost).
var nameStarters = func() (s hashSet) {
	for _, w := range strings.Fields(`le la lo li de du des van von der den al el bin ben ibn abu da di del della dos das
ter ten mac st`) {
		if utf8.RuneCountInString(w) > maxStarter {
			panic("entity: name starter longer than maxStarter: " + w)
		}
		s.add(hashLower(w))
	}
	return s
}()

// hashSet is a fixed-size set of up to 64 non-zero word hashes.
type hashSet [128]uint64

func (s *hashSet) add(h uint64) {
	i := h % uint64(len(s))
	for s[i] != 0 && s[i] != h {
		i = (i + 1) % uint64(len(s))
	}
	s[i] = h
}

func (s *hashSet) has(h uint64) bool {
	for i := h % uint64(len(s)); s[i] != 0; i = (i + 1) % uint64(len(s)) {
		if s[i] == h {
			return true
		}
	}
	return false
}

// allClosed reports whether every hypothesis may be followed by O.
func allClosed(hs []hyp) bool {
	for _, h := range hs {
		if !validAfter(h.p1, 0) {
			return false
		}
	}
	return true
}

// startDoc clears the document memory.
func (d *decoder) startDoc() { d.hist.reset() }

// DefaultBeam is the number of label sequences the tagger keeps while
// decoding a sentence. The model is trained greedily (beam 1), but keeping
// two sequences lets a later word revise an earlier choice ("Lindsay" before
// "Lohan"): +0.8 F1 on eng.testa for ~1.4x the tagging time.
const DefaultBeam = 2

// beamMargin (in perceptron weight units) prunes hypotheses that trail the
// best one by more than this; at 50 eng.testa F1 is unchanged (0.9251)
// and decoding does little more work than greedy where choices are clear.
const beamMargin = 50

type hyp struct {
	score  int64
	p1, p2 uint8
	back   int32 // index of the parent hypothesis at the previous token
}

// labelPairs returns the summed weights of the features of each pair of
// previous labels (featurizer.pairFeatures), computed once per model.
func (m *Model) labelPairs(f *featurizer) *[nLabels][nLabels][nLabels]int32 {
	m.pairsOnce.Do(func() {
		m.pairs = new([nLabels][nLabels][nLabels]int32)
		var feats []uint32
		for p1 := range uint8(nLabels) {
			for p2 := range uint8(nLabels) {
				feats = f.pairFeatures(p1, p2, feats[:0])
				m.score(feats, &m.pairs[p1][p2])
			}
		}
	})
	return m.pairs
}

// sentence tags one sentence of a document into out (len(words) labels).
func (d *decoder) sentence(words []string, out []uint8) {
	if d.width > 1 {
		d.beam(words, out, d.width)
		return
	}
	d.greedy(words, out)
}

// beam decodes with a beam of width k; the document memory is updated
// once the sentence is decoded.
func (d *decoder) beam(words []string, out []uint8, k int) {
	toks := d.f.prepare(words)
	n := len(toks)
	if n == 0 {
		return
	}
	// hyps[i*k+j] is hypothesis j after token i.
	if cap(d.hyps) < n*k {
		d.hyps = make([]hyp, n*k)
	}
	hyps := d.hyps[:n*k]
	var ss, ds [nLabels]int32
	top := d.top[:0]
	prev := []hyp{{back: -1}}
	pairs := d.m.labelPairs(d.f)
	d.tokens += n
	for i := range toks {
		if !d.exact && plainO(toks, i, d.f.uncased) && allClosed(prev) {
			// every hypothesis continues with O, at no cost: the scores
			// it would add are not computed, so the ranking stays
			top = top[:0]
			for j, h := range prev {
				top = append(top, hyp{score: h.score, p2: h.p1, back: int32(j)})
			}
			copy(hyps[i*k:], top)
			prev = hyps[i*k : i*k+len(top)]
			d.skipped++
			continue
		}
		ss = *d.intrinsicScore(&toks[i], words[i])
		d.feats = d.f.context(toks, i, d.feats[:0])
		d.feats = d.f.histFeatures(&toks[i], d.hist, d.feats)
		d.m.addScore(d.feats, &ss)
		top = top[:0]
		for j, h := range prev {
			// after plain tokens the hypotheses often share their last
			// two labels, and so these scores
			if j == 0 || h.p1 != prev[j-1].p1 || h.p2 != prev[j-1].p2 {
				ds = pairs[h.p1][h.p2]
				d.feats = d.f.prevWordFeatures(&toks[i], h.p1, d.feats[:0])
				d.m.addScore(d.feats, &ds)
			}
			for l := uint8(0); l < nLabels; l++ {
				if !validAfter(h.p1, l) {
					continue
				}
				c := hyp{score: h.score + int64(ss[l]) + int64(ds[l]), p1: l, p2: h.p1, back: int32(j)}
				// insert into the sorted top-k (first come wins ties)
				if len(top) == k && c.score <= top[k-1].score {
					continue
				}
				pos := len(top)
				for pos > 0 && top[pos-1].score < c.score {
					pos--
				}
				if len(top) < k {
					top = append(top, hyp{})
				}
				copy(top[pos+1:], top[pos:len(top)-1])
				top[pos] = c
			}
		}
		// drop hypotheses far behind the best: where the choice is clear
		// the beam costs no more than greedy decoding
		for len(top) > 1 && top[len(top)-1].score < top[0].score-d.margin {
			top = top[:len(top)-1]
		}
		copy(hyps[i*k:], top)
		prev = hyps[i*k : i*k+len(top)]
	}
	d.top = top
	// best final hypothesis that closes its entity
	best := 0
	for j, h := range prev {
		if h.p1 == 0 || labelPos(h.p1) == posL || labelPos(h.p1) == posU {
			best = j
			break
		}
	}
	for i := n - 1; i >= 0; i-- {
		h := hyps[i*k+best]
		out[i] = h.p1
		best = int(h.back)
	}
	closeOpen(out)
	splitTitles(toks, out)
	for i := range toks {
		d.hist.remember(&toks[i], out[i])
	}
}

// greedy tags one sentence left to right.
func (d *decoder) greedy(words []string, out []uint8) {
	toks := d.f.prepare(words)
	var p1, p2 uint8
	var s [nLabels]int32
	d.tokens += len(toks)
	for i := range toks {
		if !d.exact && validAfter(p1, 0) && plainO(toks, i, d.f.uncased) {
			out[i] = 0
			p2, p1 = p1, 0
			d.skipped++
			continue
		}
		d.feats = d.f.static(toks, i, d.feats[:0])
		d.feats = d.f.dynamic(&toks[i], p1, p2, d.hist, d.feats)
		d.m.score(d.feats, &s)
		best := uint8(0)
		bestS := int32(-1 << 31)
		for l := uint8(0); l < nLabels; l++ {
			if s[l] > bestS && validAfter(p1, l) {
				best, bestS = l, s[l]
			}
		}
		out[i] = best
		d.hist.remember(&toks[i], best)
		p2, p1 = p1, best
	}
	closeOpen(out)
	splitTitles(toks, out)
}

// personTitles are words that, leading a multi-word entity, make it a
// title before a person's name ("Chancellor Olaf Scholz").
var personTitles = func() map[uint64]bool {
	m := map[uint64]bool{}
	for _, w := range strings.Fields(`mr mrs ms dr president chancellor minister secretary senator sen gov governor
mayor pope judge col colonel lt capt captain sgt adm admiral commander rev sheikh ayatollah emir ambassador
premier coach prof`) {
		m[hashLower(w)] = true
	}
	return m
}()

// splitTitles drops leading person titles from multi-word entities and
// makes the rest a person.
func splitTitles(toks []token, out []uint8) {
	for i := 0; i < len(out); i++ {
		if out[i] == 0 || labelPos(out[i]) != posB || !personTitles[toks[i].lower] {
			continue
		}
		j := i
		for j < len(out) && out[j] != 0 && labelPos(out[j]) != posL {
			j++
		}
		if j >= len(out) {
			break
		}
		// entity i..j; drop titles at its front
		k := i
		for k < j && personTitles[toks[k].lower] {
			out[k] = 0
			k++
		}
		per := 0 // typeNames[0] is PER
		if k == j {
			out[k] = label(per, posU)
		} else {
			out[k] = label(per, posB)
			for m := k + 1; m < j; m++ {
				out[m] = label(per, posI)
			}
			out[j] = label(per, posL)
		}
		i = j
	}
}

// closeOpen repairs a label sequence that ends inside an entity.
func closeOpen(out []uint8) {
	if n := len(out); n > 0 && out[n-1] != 0 {
		l := out[n-1]
		switch labelPos(l) {
		case posB:
			out[n-1] = label(labelType(l), posU)
		case posI:
			out[n-1] = label(labelType(l), posL)
		}
	}
}

// labelTag returns the BILOU tag string of a label.
func labelTag(l uint8) string {
	if l == 0 {
		return "O"
	}
	return bilouTags[l]
}

var bilouTags = func() [nLabels]string {
	var t [nLabels]string
	t[0] = "O"
	for ty, name := range typeNames {
		for p, c := range "BILU" {
			t[label(ty, p)] = string(c) + "-" + name
		}
	}
	return t
}()
