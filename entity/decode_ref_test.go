package entity

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/storyline/storyline/entity/conll"
	"github.com/storyline/storyline/internal/corpora"
)

// beamRef is decoder.beam before intrinsic word scores were cached and
// label-pair scores precomputed: every feature of static and
// prevFeatures is scored at every use. It is the reference for beam.
func (d *decoder) beamRef(words []string, out []uint8, k int) {
	toks := d.f.prepare(words)
	n := len(toks)
	if n == 0 {
		return
	}
	if cap(d.hyps) < n*k {
		d.hyps = make([]hyp, n*k)
	}
	hyps := d.hyps[:n*k]
	var ss, ds [nLabels]int32
	top := d.top[:0]
	prev := []hyp{{back: -1}}
	for i := range toks {
		if !d.exact && plainO(toks, i, d.f.uncased) && allClosed(prev) {
			top = top[:0]
			for j, h := range prev {
				top = append(top, hyp{score: h.score, p2: h.p1, back: int32(j)})
			}
			copy(hyps[i*k:], top)
			prev = hyps[i*k : i*k+len(top)]
			continue
		}
		d.feats = d.f.static(toks, i, d.feats[:0])
		d.feats = d.f.histFeatures(&toks[i], d.hist, d.feats)
		d.m.score(d.feats, &ss)
		top = top[:0]
		for j, h := range prev {
			if j == 0 || h.p1 != prev[j-1].p1 || h.p2 != prev[j-1].p2 {
				d.feats = d.f.prevFeatures(&toks[i], h.p1, h.p2, d.feats[:0])
				d.m.score(d.feats, &ds)
			}
			for l := uint8(0); l < nLabels; l++ {
				if !validAfter(h.p1, l) {
					continue
				}
				c := hyp{score: h.score + int64(ss[l]) + int64(ds[l]), p1: l, p2: h.p1, back: int32(j)}
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
		for len(top) > 1 && top[len(top)-1].score < top[0].score-d.margin {
			top = top[:len(top)-1]
		}
		copy(hyps[i*k:], top)
		prev = hyps[i*k : i*k+len(top)]
	}
	d.top = top
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

// refDocs returns documents (sentences of words) to compare decoders on:
// the fixture, the benchmark article, CoNLL-2003 eng.testa and the ECB+
// articles when the shared corpora are there, each also upper- and
// lower-cased (the uncased path).
func refDocs(t *testing.T) [][][]string {
	var docs [][][]string
	for _, d := range readFixture(t) {
		var doc [][]string
		for _, s := range d.Sentences {
			doc = append(doc, s.Words)
		}
		docs = append(docs, doc)
	}
	texts := []string{benchArticle,
		"Foreign Minister Halvard Brennick met Chancellor Olaf Scholz in Berlin on Tuesday, the Dutch news agency ANP said.",
		"Lindsay Lohan has left the Betty Ford Center and is moving to Malibu. She said she was \"grateful\" to her fans.",
		"K\u212aelvin Straße in München: ÉLYSÉE Palace, Zoë Ångström and de Villepin met van Gaal at Wal-Mart Stores Inc.",
	}
	if f, err := os.Open(filepath.Join(corpora.Data(), "conll2003-en", "eng.testa")); err == nil {
		cd, err := conll.Read(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range cd {
			var doc [][]string
			for _, s := range d.Sentences {
				doc = append(doc, s.Words)
			}
			docs = append(docs, doc)
		}
	}
	if !testing.Short() {
		if b, err := os.ReadFile(filepath.Join(corpora.Data(), "ecbplus", "ecbplus-dev.jsonl")); err == nil {
			for _, line := range strings.Split(string(b), "\n") {
				if len(line) > 0 {
					texts = append(texts, line) // JSON, but text all the same
				}
			}
		}
	}
	for _, text := range texts {
		for _, v := range []string{text, strings.ToUpper(text), strings.ToLower(text)} {
			toks, sents := Tokenize(v, nil, nil)
			var doc [][]string
			from := 0
			for _, end := range sents {
				var words []string
				for _, s := range toks[from:end] {
					words = append(words, v[s.Start:s.End])
				}
				doc = append(doc, words)
				from = end
			}
			docs = append(docs, doc)
		}
	}
	return docs
}

// TestBeamRef checks that beam labels every document as beamRef does,
// with one decoder over all documents (its word cache warm and
// overwritten) and with a fresh one per document.
func TestBeamRef(t *testing.T) {
	tg := mustDefault(t)
	docs := refDocs(t)
	ref, warm := newDecoder(tg.m, DefaultBeam), newDecoder(tg.m, DefaultBeam)
	n := 0
	for di, doc := range docs {
		fresh := newDecoder(tg.m, DefaultBeam)
		ref.startDoc()
		warm.startDoc()
		fresh.startDoc()
		for _, words := range doc {
			a, b, c := make([]uint8, len(words)), make([]uint8, len(words)), make([]uint8, len(words))
			ref.beamRef(words, a, DefaultBeam)
			warm.beam(words, b, DefaultBeam)
			fresh.beam(words, c, DefaultBeam)
			if !slices.Equal(a, b) || !slices.Equal(a, c) {
				t.Fatalf("doc %d %q: labels %v, want %v (fresh decoder %v)", di, words, b, a, c)
			}
			n += len(words)
		}
	}
	t.Logf("%d documents, %d tokens", len(docs), n)
}

// TestFeatureSplit checks that intrinsic and context together are
// static's features, and pairFeatures and prevWordFeatures
// prevFeatures', on every token of the reference documents.
func TestFeatureSplit(t *testing.T) {
	tg := mustDefault(t)
	f := tg.m.newFeaturizer()
	for _, doc := range refDocs(t) {
		for _, words := range doc {
			toks := f.prepare(words)
			for i := range toks {
				want := slices.Sorted(slices.Values(f.static(toks, i, nil)))
				got := slices.Sorted(slices.Values(f.context(toks, i, f.intrinsic(&toks[i], nil))))
				if !slices.Equal(got, want) {
					t.Fatalf("%q word %d: split features %v, want %v", words, i, got, want)
				}
				for _, p := range [][2]uint8{{0, 0}, {1, 0}, {3, 4}, {16, 2}} {
					want := slices.Sorted(slices.Values(f.prevFeatures(&toks[i], p[0], p[1], nil)))
					got := slices.Sorted(slices.Values(f.prevWordFeatures(&toks[i], p[0], f.pairFeatures(p[0], p[1], nil))))
					if !slices.Equal(got, want) {
						t.Fatalf("%q word %d: split previous-label features %v, want %v", words, i, got, want)
					}
				}
			}
		}
	}
}

// TestGazetteerFilter checks that the featurizer marks the same gazetteer
// phrases with its lookup filters as without them, on every sentence of
// the reference documents.
func TestGazetteerFilter(t *testing.T) {
	tg := mustDefault(t)
	f := tg.m.newFeaturizer()
	plain := &featurizer{lex: f.lex, mask: f.mask}
	if f.gazF == nil || f.handF == nil {
		t.Fatal("no filters")
	}
	marked := 0
	for _, doc := range refDocs(t) {
		for _, words := range doc {
			a := slices.Clone(f.prepare(words))
			b := plain.prepare(words)
			if !slices.Equal(a, b) {
				t.Fatalf("%q: tokens differ with the filters", words)
			}
			for _, tk := range a {
				if tk.gaz != [nTypes]uint8{} || tk.hand != [nTypes + 1]uint8{} {
					marked++
				}
			}
		}
	}
	if marked == 0 {
		t.Error("no gazetteer phrase marked")
	}
	t.Logf("%d tokens in gazetteer phrases", marked)
}

// TestHistory checks the document memory against a map of counts over
// random documents of random capitalized words (repeats, growth, resets).
func TestHistory(t *testing.T) {
	h := newHistory()
	rng := rand.New(rand.NewPCG(7, 8))
	for doc := range 50 {
		h.reset()
		ref := map[uint64]*[nTypes + 1]uint16{}
		vocab := 1 + rng.IntN(2000)
		for range rng.IntN(5000) {
			var tk token
			tk.lower = uint64(rng.IntN(vocab)) * 0x100000001 // also keys sharing low bits
			tk.vflags = fHasUpper
			if rng.IntN(8) == 0 {
				tk.vflags = fHasLower // not memorable
			}
			l := uint8(rng.IntN(nLabels))
			if got, want := h.get(tk.lower), ref[tk.lower]; (got == nil) != (want == nil) || got != nil && *got != *want {
				t.Fatalf("doc %d: get(%x) = %v, want %v", doc, tk.lower, got, want)
			}
			h.remember(&tk, l)
			if memorable(&tk) {
				c := ref[tk.lower]
				if c == nil {
					c = new([nTypes + 1]uint16)
					ref[tk.lower] = c
				}
				k := nTypes
				if l != 0 {
					k = labelType(l)
				}
				c[k]++
			}
		}
		for w, want := range ref {
			if got := h.get(w); got == nil || *got != *want {
				t.Fatalf("doc %d: get(%x) = %v, want %v", doc, w, got, *want)
			}
		}
	}
}
