// Package conll reads CoNLL-2003 style column files and scores entity
// tagging with the CoNLL-2003 (conlleval) definition: an entity counts as
// found only when its span and its type both match exactly.
package conll

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Sentence is one sentence of a column file: its words and, index for
// index, their entity tags (IOB1, IOB2, IOBES or BILOU).
type Sentence struct {
	Words []string
	Tags  []string
}

// Document is a run of sentences between two -DOCSTART- lines.
type Document struct {
	Sentences []Sentence
}

// Read parses a CoNLL column file. The first column is the word and the last
// column the entity tag; blank lines end sentences and "-DOCSTART-" lines
// end documents. Lines with a single column get the tag "O".
func Read(r io.Reader) ([]Document, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	var docs []Document
	var cur Document
	var sent Sentence
	flushSent := func() {
		if len(sent.Words) > 0 {
			cur.Sentences = append(cur.Sentences, sent)
		}
		sent = Sentence{}
	}
	flushDoc := func() {
		flushSent()
		if len(cur.Sentences) > 0 {
			docs = append(docs, cur)
		}
		cur = Document{}
	}
	line := 0
	for sc.Scan() {
		line++
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			flushSent()
			continue
		}
		if fields[0] == "-DOCSTART-" {
			flushDoc()
			continue
		}
		tag := "O"
		if len(fields) > 1 {
			tag = fields[len(fields)-1]
		}
		if !validTag(tag) {
			return nil, fmt.Errorf("conll: line %d: bad tag %q", line, tag)
		}
		sent.Words = append(sent.Words, fields[0])
		sent.Tags = append(sent.Tags, tag)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("conll: line %d: %w", line, err)
	}
	flushDoc()
	return docs, nil
}

func validTag(t string) bool {
	if t == "O" {
		return true
	}
	if len(t) < 3 || t[1] != '-' {
		return false
	}
	switch t[0] {
	case 'B', 'I', 'E', 'S', 'L', 'U':
		return true
	}
	return false
}

// Chunk is an entity span over the words of one sentence: [Start, End).
type Chunk struct {
	Start, End int
	Type       string
}

// split returns the prefix letter and type of a tag ("O" has type "").
func split(tag string) (byte, string) {
	if tag == "O" || len(tag) < 3 {
		return 'O', ""
	}
	p := tag[0]
	switch p {
	case 'L':
		p = 'E'
	case 'U':
		p = 'S'
	}
	return p, tag[2:]
}

// endOfChunk and startOfChunk follow conlleval.pl exactly.
func endOfChunk(prevTag byte, tag byte, prevType, typ string) bool {
	switch {
	case prevTag == 'E', prevTag == 'S':
		return true
	case prevTag == 'B' && (tag == 'B' || tag == 'S' || tag == 'O'):
		return true
	case prevTag == 'I' && (tag == 'B' || tag == 'S' || tag == 'O'):
		return true
	case prevTag != 'O' && prevType != typ:
		return true
	}
	return false
}

func startOfChunk(prevTag byte, tag byte, prevType, typ string) bool {
	switch {
	case tag == 'B', tag == 'S':
		return true
	case prevTag == 'E' && (tag == 'E' || tag == 'I'):
		return true
	case prevTag == 'S' && (tag == 'E' || tag == 'I'):
		return true
	case prevTag == 'O' && (tag == 'E' || tag == 'I'):
		return true
	case tag != 'O' && prevType != typ:
		return true
	}
	return false
}

// Chunks returns the entity spans of a tag sequence with conlleval's rules,
// which read IOB1, IOB2, IOBES and BILOU alike.
func Chunks(tags []string) []Chunk {
	var out []Chunk
	prevTag, prevType := byte('O'), ""
	start := -1
	for i, t := range tags {
		tag, typ := split(t)
		if start >= 0 && endOfChunk(prevTag, tag, prevType, typ) {
			out = append(out, Chunk{Start: start, End: i, Type: prevType})
			start = -1
		}
		if startOfChunk(prevTag, tag, prevType, typ) {
			start = i
		}
		prevTag, prevType = tag, typ
	}
	if start >= 0 {
		out = append(out, Chunk{Start: start, End: len(tags), Type: prevType})
	}
	return out
}

// Counts holds the tallies behind precision and recall.
type Counts struct {
	Correct, Guessed, Gold int
}

// Precision is Correct/Guessed (0 when nothing was guessed).
func (c Counts) Precision() float64 {
	if c.Guessed == 0 {
		return 0
	}
	return float64(c.Correct) / float64(c.Guessed)
}

// Recall is Correct/Gold (0 when there is no gold entity).
func (c Counts) Recall() float64 {
	if c.Gold == 0 {
		return 0
	}
	return float64(c.Correct) / float64(c.Gold)
}

// F1 is the harmonic mean of precision and recall.
func (c Counts) F1() float64 {
	p, r := c.Precision(), c.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Scorer accumulates entity-level counts over sentences, overall and per type.
type Scorer struct {
	All     Counts
	PerType map[string]*Counts
}

// NewScorer returns an empty scorer.
func NewScorer() *Scorer { return &Scorer{PerType: map[string]*Counts{}} }

func (s *Scorer) typ(t string) *Counts {
	c := s.PerType[t]
	if c == nil {
		c = &Counts{}
		s.PerType[t] = c
	}
	return c
}

// Add scores one sentence's guessed tags against its gold tags.
func (s *Scorer) Add(gold, guess []string) error {
	if len(gold) != len(guess) {
		return fmt.Errorf("conll: %d gold tags but %d guessed", len(gold), len(guess))
	}
	g := Chunks(gold)
	p := Chunks(guess)
	set := make(map[Chunk]bool, len(g))
	for _, c := range g {
		set[c] = true
		s.All.Gold++
		s.typ(c.Type).Gold++
	}
	for _, c := range p {
		s.All.Guessed++
		s.typ(c.Type).Guessed++
		if set[c] {
			s.All.Correct++
			s.typ(c.Type).Correct++
		}
	}
	return nil
}

// Result is the JSON form of a score.
type Result struct {
	F1        float64               `json:"f1"`
	Precision float64               `json:"precision"`
	Recall    float64               `json:"recall"`
	Correct   int                   `json:"correct"`
	Guessed   int                   `json:"guessed"`
	Gold      int                   `json:"gold"`
	PerType   map[string]TypeResult `json:"per_type"`
}

// TypeResult is the score of one entity type.
type TypeResult struct {
	F1        float64 `json:"f1"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	Correct   int     `json:"correct"`
	Guessed   int     `json:"guessed"`
	Gold      int     `json:"gold"`
}

// Result summarizes the scorer.
func (s *Scorer) Result() Result {
	r := Result{
		F1: s.All.F1(), Precision: s.All.Precision(), Recall: s.All.Recall(),
		Correct: s.All.Correct, Guessed: s.All.Guessed, Gold: s.All.Gold,
		PerType: map[string]TypeResult{},
	}
	for t, c := range s.PerType {
		r.PerType[t] = TypeResult{F1: c.F1(), Precision: c.Precision(), Recall: c.Recall(),
			Correct: c.Correct, Guessed: c.Guessed, Gold: c.Gold}
	}
	return r
}
