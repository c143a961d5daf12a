package entity

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/storyline/storyline/entity/conll"
)

// TrainOptions controls Train.
type TrainOptions struct {
	Epochs int    // passes over the training data (default 10)
	Bits   int    // log2 of the number of hashed feature rows (default 20)
	Folds  int    // gazetteer jackknife folds (default 5)
	Seed   uint64 // shuffling seed
	// LowerFrac is the share of training documents also added in an
	// all-lower-case copy, so the tagger learns uncased text (default 0).
	LowerFrac float64
	// Clusters, when set, gives word-cluster features (see BuildClusters);
	// the map is stored in the model.
	Clusters map[uint64]uint32
	// Logf, when set, receives one line per epoch.
	Logf func(format string, args ...any)
}

// TrainResult reports how training went.
type TrainResult struct {
	BestEpoch int
	DevF1     float64
	Epochs    []float64 // dev F1 after each epoch
}

// goldLabels converts a sentence's IOB tags to BILOU labels.
func goldLabels(tags []string) []uint8 {
	out := make([]uint8, len(tags))
	for _, c := range conll.Chunks(tags) {
		ty := typeIndex(c.Type)
		if ty < 0 {
			continue
		}
		if c.End-c.Start == 1 {
			out[c.Start] = label(ty, posU)
			continue
		}
		out[c.Start] = label(ty, posB)
		for k := c.Start + 1; k < c.End-1; k++ {
			out[k] = label(ty, posI)
		}
		out[c.End-1] = label(ty, posL)
	}
	return out
}

// buildGaz collects the entity phrases of docs into a gazetteer.
func buildGaz(docs []conll.Document, gaz map[uint64]uint8) {
	for _, d := range docs {
		for _, s := range d.Sentences {
			for _, c := range conll.Chunks(s.Tags) {
				ty := typeIndex(c.Type)
				if ty < 0 || c.End-c.Start > maxGazLen {
					continue
				}
				h := uint64(0)
				for k := c.Start; k < c.End; k++ {
					h = phraseHash(h, hashLower(s.Words[k]))
					if k < c.End-1 {
						gaz[h] |= gazPrefix
					}
				}
				gaz[h] |= 1 << ty
			}
		}
	}
}

// buildTruecase learns each word's usual casing from mixed-case sentences
// (never from the first word of a sentence).
func buildTruecase(docs []conll.Document) map[uint64]uint8 {
	type cnt struct{ lower, cap, upper int }
	counts := map[uint64]*cnt{}
	var wi wordInfo
	for _, d := range docs {
		for _, s := range d.Sentences {
			mixed := false
			for _, w := range s.Words {
				analyze(w, &wi)
				if wi.flags&fHasLower != 0 && wi.flags&fHasUpper != 0 {
					mixed = true
					break
				}
			}
			if !mixed {
				continue
			}
			for i, w := range s.Words {
				if i == 0 {
					continue
				}
				analyze(w, &wi)
				if wi.flags&(fHasLower|fHasUpper) == 0 {
					continue
				}
				c := counts[wi.lower]
				if c == nil {
					c = &cnt{}
					counts[wi.lower] = c
				}
				switch {
				case wi.flags&fAllCap != 0 && wi.nrunes > 1:
					c.upper++
				case wi.flags&fInitCap != 0:
					c.cap++
				default:
					c.lower++
				}
			}
		}
	}
	tc := map[uint64]uint8{}
	for k, c := range counts {
		switch {
		case c.upper > c.cap && c.upper > c.lower:
			tc[k] = tcUpper
		case c.cap+c.upper > c.lower:
			tc[k] = tcCap
		}
	}
	return tc
}

// lowerDoc returns a copy of a document with its sentences lower-cased:
// all of them or, for half the documents, each with probability 1/2, so
// the tagger also learns to carry names from cased sentences into uncased
// ones through its document memory.
func lowerDoc(d conll.Document, rng *rand.Rand) conll.Document {
	out := conll.Document{Sentences: make([]conll.Sentence, len(d.Sentences))}
	partial := rng.IntN(2) == 0
	for i, s := range d.Sentences {
		if partial && rng.IntN(2) == 0 {
			out.Sentences[i] = s
			continue
		}
		words := make([]string, len(s.Words))
		for k, w := range s.Words {
			words[k] = strings.ToLower(w)
		}
		out.Sentences[i] = conll.Sentence{Words: words, Tags: s.Tags}
	}
	return out
}

// prepared is a document with its static features computed once.
type prepared struct {
	sents []preparedSent
}

type preparedSent struct {
	toks  []token
	feats [][]uint32
	gold  []uint8
	tags  []string
}

func prepare(d conll.Document, f *featurizer) prepared {
	var p prepared
	for _, s := range d.Sentences {
		toks := f.prepare(s.Words)
		ps := preparedSent{toks: append([]token(nil), toks...), gold: goldLabels(s.Tags), tags: s.Tags}
		ps.feats = make([][]uint32, len(toks))
		for i := range toks {
			ps.feats[i] = f.static(toks, i, nil)
		}
		p.sents = append(p.sents, ps)
	}
	return p
}

// Train learns a model from CoNLL documents with a greedy averaged
// perceptron, keeping the epoch that scores best on dev.
func Train(ctx context.Context, train, dev []conll.Document, opt TrainOptions) (*Model, TrainResult, error) {
	if opt.Epochs <= 0 {
		opt.Epochs = 10
	}
	if opt.Bits <= 0 {
		opt.Bits = 20
	}
	if opt.Folds <= 1 {
		opt.Folds = 5
	}
	if opt.Bits < 8 || opt.Bits > 24 {
		return nil, TrainResult{}, fmt.Errorf("entity: train: bits %d out of range 8..24", opt.Bits)
	}
	logf := opt.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	var res TrainResult
	mask := uint64(1)<<opt.Bits - 1
	full := lexicon{gaz: map[uint64]uint8{}, tc: buildTruecase(train), clusters: opt.Clusters, hand: handGazetteer()}
	buildGaz(train, full.gaz)

	// Jackknifed gazetteers: a training document sees only the phrases of
	// the other folds, as unseen text will.
	prep := make([]prepared, len(train))
	foldLex := make([]*lexicon, opt.Folds)
	for k := 0; k < opt.Folds; k++ {
		var others []conll.Document
		for i, d := range train {
			if i%opt.Folds != k {
				others = append(others, d)
			}
		}
		lex := lexicon{gaz: map[uint64]uint8{}, tc: full.tc, clusters: full.clusters, hand: full.hand}
		buildGaz(others, lex.gaz)
		foldLex[k] = &lex
		f := &featurizer{lex: &lex, mask: mask}
		for i, d := range train {
			if i%opt.Folds == k {
				prep[i] = prepare(d, f)
			}
		}
	}
	if opt.LowerFrac > 0 {
		// Lower-cased copies read the same jackknifed gazetteer as their
		// original (their fold).
		lrng := rand.New(rand.NewPCG(opt.Seed, 0x10e))
		for i, d := range train {
			if lrng.Float64() >= opt.LowerFrac {
				continue
			}
			k := i % opt.Folds
			prep = append(prep, prepare(lowerDoc(d, lrng), &featurizer{lex: foldLex[k], mask: mask}))
		}
	}
	logf("prepared %d training documents", len(prep))

	nw := (1 << opt.Bits) * nLabels
	w := make([]float32, nw)
	u := make([]float64, nw) // sum of c*delta for averaging
	c := 1.0
	rng := rand.New(rand.NewPCG(opt.Seed, 0x5eed))
	order := make([]int, len(prep))
	for i := range order {
		order[i] = i
	}
	f := &featurizer{lex: &full, mask: mask}
	var best *Model
	hist := newHistory()
	var feats []uint32
	avg := make([]float32, nw)
	for ep := 1; ep <= opt.Epochs; ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		errs, total := 0, 0
		for _, di := range order {
			if err := ctx.Err(); err != nil {
				return nil, res, err
			}
			hist.reset()
			for _, s := range prep[di].sents {
				var p1, p2 uint8
				for i := range s.toks {
					feats = append(feats[:0], s.feats[i]...)
					feats = f.dynamic(&s.toks[i], p1, p2, hist, feats)
					var sc [nLabels]float32
					for _, ft := range feats {
						row := w[int(ft)*nLabels : int(ft)*nLabels+nLabels]
						for l := range nLabels {
							sc[l] += row[l]
						}
					}
					guess := uint8(0)
					for l := uint8(1); l < nLabels; l++ {
						if sc[l] > sc[guess] {
							guess = l
						}
					}
					g := s.gold[i]
					total++
					if guess != g {
						errs++
						for _, ft := range feats {
							base := int(ft) * nLabels
							w[base+int(g)]++
							u[base+int(g)] += c
							w[base+int(guess)]--
							u[base+int(guess)] -= c
						}
					}
					c++
					hist.remember(&s.toks[i], guess)
					p2, p1 = p1, guess
				}
			}
		}
		for i := range avg {
			avg[i] = float32(float64(w[i]) - u[i]/c)
		}
		m := quantize(uint8(opt.Bits), avg, full)
		f1 := 0.0
		if len(dev) > 0 {
			f1 = Evaluate(m, dev).F1
		}
		res.Epochs = append(res.Epochs, f1)
		logf("epoch %d: train token error %.4f, dev F1 %.4f", ep, float64(errs)/float64(total), f1)
		if best == nil || f1 > res.DevF1 || len(dev) == 0 {
			best, res.DevF1, res.BestEpoch = m, f1, ep
		}
	}
	return best, res, nil
}

// Evaluate tags CoNLL documents (keeping their sentence and document
// boundaries) with DefaultBeam and scores the result with the CoNLL-2003
// definition.
func Evaluate(m *Model, docs []conll.Document) conll.Result {
	return EvaluateBeam(m, docs, DefaultBeam)
}

// EvaluateBeam is Evaluate with a given beam width (1 = greedy). It scores
// every token (the decoder's plain-word shortcut is off), as training
// does, so that the epoch a training run keeps does not depend on the
// shortcut; the Tagger (and ner-eval) decode with it.
func EvaluateBeam(m *Model, docs []conll.Document, beam int) conll.Result {
	d := newDecoder(m, beam)
	d.exact = true
	sc := conll.NewScorer()
	var labels []uint8
	var tags []string
	for _, doc := range docs {
		d.startDoc()
		for _, s := range doc.Sentences {
			labels = append(labels[:0], make([]uint8, len(s.Words))...)
			d.sentence(s.Words, labels)
			tags = tags[:0]
			for _, l := range labels {
				tags = append(tags, labelTag(l))
			}
			_ = sc.Add(s.Tags, tags) // lengths match by construction
		}
	}
	return sc.Result()
}
