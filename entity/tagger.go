package entity

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"
)

// Mention is one entity mention found in a text.
type Mention struct {
	Start int    `json:"start"` // byte offset of the mention in the text
	End   int    `json:"end"`   // byte offset after the mention
	Text  string `json:"text"`  // text[Start:End]
	Type  string `json:"type"`  // PER, ORG, LOC or MISC
}

// Tagger finds entity mentions in raw text with a trained Model. It is safe
// for concurrent use.
type Tagger struct {
	m    *Model
	beam int
	pool sync.Pool // *tagState
}

type tagState struct {
	d      *decoder
	toks   []Span
	sents  []int
	words  []string
	labels []uint8
}

// NewTagger returns a tagger for m that decodes with DefaultBeam.
func NewTagger(m *Model) *Tagger { return NewTaggerBeam(m, DefaultBeam) }

// NewTaggerBeam returns a tagger for m that keeps beam label sequences
// while decoding (1 = greedy).
func NewTaggerBeam(m *Model, beam int) *Tagger {
	t := &Tagger{m: m, beam: max(beam, 1)}
	t.pool.New = func() any { return &tagState{d: newDecoder(m, t.beam)} }
	return t
}

// Model returns the tagger's model.
func (t *Tagger) Model() *Model { return t.m }

//go:embed model/ner.model.gz
var embeddedModel []byte

var (
	defaultOnce   sync.Once
	defaultTagger *Tagger
	defaultErr    error
)

// Default returns a tagger over the model embedded in the binary, loaded
// once.
func Default() (*Tagger, error) {
	defaultOnce.Do(func() {
		m, err := ReadModel(bytes.NewReader(embeddedModel))
		if err != nil {
			defaultErr = fmt.Errorf("entity: embedded model: %w", err)
			return
		}
		defaultTagger = NewTagger(m)
	})
	return defaultTagger, defaultErr
}

// Tag finds the entity mentions in one article's raw text. Runs of blank
// lines and sentence-final punctuation split sentences; the whole text is
// one document for the tagger's document memory, so a name tagged early
// helps tag its later (or lower-cased) repetitions.
func (t *Tagger) Tag(text string) []Mention {
	st := t.pool.Get().(*tagState)
	defer t.pool.Put(st)
	st.toks, st.sents = Tokenize(text, st.toks[:0], st.sents[:0])
	st.words = st.words[:0]
	for _, s := range st.toks {
		st.words = append(st.words, text[s.Start:s.End])
	}
	if cap(st.labels) < len(st.toks) {
		st.labels = make([]uint8, len(st.toks))
	}
	st.labels = st.labels[:len(st.toks)]
	st.d.startDoc()
	var out []Mention
	from := 0
	for _, end := range st.sents {
		labels := st.labels[from:end]
		st.d.sentence(st.words[from:end], labels)
		out = appendMentions(out, text, st.toks[from:end], labels)
		from = end
	}
	return out
}

// TagWords tags a pre-tokenized document (sentences of words) and returns
// BILOU tag strings, for evaluation on CoNLL files.
func (t *Tagger) TagWords(doc [][]string) [][]string {
	st := t.pool.Get().(*tagState)
	defer t.pool.Put(st)
	st.d.startDoc()
	out := make([][]string, len(doc))
	for i, words := range doc {
		labels := make([]uint8, len(words))
		st.d.sentence(words, labels)
		tags := make([]string, len(words))
		for k, l := range labels {
			tags[k] = labelTag(l)
		}
		out[i] = tags
	}
	return out
}

func appendMentions(out []Mention, text string, toks []Span, labels []uint8) []Mention {
	start := -1
	for i, l := range labels {
		if l == 0 {
			start = -1
			continue
		}
		switch labelPos(l) {
		case posB:
			start = i
		case posU:
			start = i
			fallthrough
		case posL:
			if start >= 0 {
				s, e := toks[start].Start, toks[i].End
				out = append(out, Mention{Start: s, End: e, Text: text[s:e], Type: typeNames[labelType(l)]})
			}
			start = -1
		}
	}
	return out
}
