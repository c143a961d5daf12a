package entity

import "strings"

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
}

func newDecoder(m *Model, beam int) *decoder {
	return &decoder{m: m, f: m.newFeaturizer(), feats: make([]uint32, 0, 128), hist: newHistory(), width: max(beam, 1),
		margin: int64(beamMargin * float64(m.scale))}
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
	for i := range toks {
		d.feats = d.f.static(toks, i, d.feats[:0])
		d.feats = d.f.histFeatures(&toks[i], d.hist, d.feats)
		d.m.score(d.feats, &ss)
		top = top[:0]
		for j, h := range prev {
			d.feats = d.f.prevFeatures(&toks[i], h.p1, h.p2, d.feats[:0])
			d.m.score(d.feats, &ds)
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
	for i := range toks {
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
