// Package ecbxml reads the ECB+ corpus's CAT XML documents: tokens,
// markables anchored to tokens, and the instance ids of cross-document
// coreference chains. storyline uses it to measure entity resolution.
package ecbxml

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Token is one token of a document.
type Token struct {
	ID, Sentence int
	Text         string
}

// Markable is an annotated mention: its tag (e.g. HUMAN_PART_PER) and the
// ids of the tokens it covers.
type Markable struct {
	ID     int
	Tag    string
	Tokens []int
}

// Document is one ECB+ document.
type Document struct {
	Name      string
	Tokens    []Token
	Markables []Markable
	// Instance maps a markable id to the instance id (the relation's note)
	// of the cross-document coreference chain it belongs to.
	Instance map[int]string
}

// Read parses one document.
func Read(r io.Reader) (*Document, error) {
	dec := xml.NewDecoder(r)
	doc := &Document{Instance: map[int]string{}}
	var cur *Markable // markable being read
	var inMarkables, inRelations bool
	var relNote string
	var relCross bool
	var tok *Token
	for {
		t, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("ecbxml: %w", err)
		}
		switch e := t.(type) {
		case xml.StartElement:
			switch {
			case e.Name.Local == "Document":
				doc.Name = attr(e, "doc_name")
			case e.Name.Local == "token":
				id, err1 := strconv.Atoi(attr(e, "t_id"))
				s, err2 := strconv.Atoi(attr(e, "sentence"))
				if err1 != nil || err2 != nil {
					return nil, fmt.Errorf("ecbxml: bad token attributes %v", e.Attr)
				}
				tok = &Token{ID: id, Sentence: s}
			case e.Name.Local == "Markables":
				inMarkables = true
			case e.Name.Local == "Relations":
				inRelations = true
			case inMarkables && cur == nil && e.Name.Local != "token_anchor":
				id, err := strconv.Atoi(attr(e, "m_id"))
				if err != nil {
					return nil, fmt.Errorf("ecbxml: bad markable id in %s", e.Name.Local)
				}
				cur = &Markable{ID: id, Tag: e.Name.Local}
			case inMarkables && e.Name.Local == "token_anchor" && cur != nil:
				id, err := strconv.Atoi(attr(e, "t_id"))
				if err != nil {
					return nil, fmt.Errorf("ecbxml: bad token anchor")
				}
				cur.Tokens = append(cur.Tokens, id)
			case inRelations && (e.Name.Local == "CROSS_DOC_COREF" || e.Name.Local == "INTRA_DOC_COREF"):
				relNote, relCross = attr(e, "note"), e.Name.Local == "CROSS_DOC_COREF"
			case inRelations && e.Name.Local == "source" && relCross && relNote != "":
				if id, err := strconv.Atoi(attr(e, "m_id")); err == nil {
					doc.Instance[id] = relNote
				}
			}
		case xml.CharData:
			if tok != nil {
				tok.Text += string(e)
			}
		case xml.EndElement:
			switch {
			case e.Name.Local == "token" && tok != nil:
				doc.Tokens = append(doc.Tokens, *tok)
				tok = nil
			case e.Name.Local == "Markables":
				inMarkables = false
			case e.Name.Local == "Relations":
				inRelations = false
			case inMarkables && cur != nil && e.Name.Local == cur.Tag:
				if len(cur.Tokens) > 0 {
					doc.Markables = append(doc.Markables, *cur)
				}
				cur = nil
			case e.Name.Local == "CROSS_DOC_COREF" || e.Name.Local == "INTRA_DOC_COREF":
				relNote, relCross = "", false
			}
		}
	}
	return doc, nil
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// Text returns the text of a markable: its tokens joined by spaces.
func (d *Document) Text(m Markable) string {
	byID := make(map[int]string, len(m.Tokens))
	for _, t := range d.Tokens {
		byID[t.ID] = t.Text
	}
	s := ""
	for i, id := range m.Tokens {
		if i > 0 {
			s += " "
		}
		s += byID[id]
	}
	return s
}

// NamedMention is a name-like entity mention with its gold chain.
type NamedMention struct {
	Text     string
	Type     string // PER, ORG or LOC
	Instance string // gold cross-document instance id
	// Start and End are byte offsets of the mention in PlainText (the
	// mention's first to last token).
	Start, End int
}

// PlainText returns the document as text: tokens joined by spaces,
// sentences by newlines, and the byte span of every token id.
func (d *Document) PlainText() (string, map[int][2]int) {
	var b strings.Builder
	spans := make(map[int][2]int, len(d.Tokens))
	for i, t := range d.Tokens {
		if i > 0 {
			if t.Sentence != d.Tokens[i-1].Sentence {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		}
		spans[t.ID] = [2]int{b.Len(), b.Len() + len(t.Text)}
		b.WriteString(t.Text)
	}
	return b.String(), spans
}

var tagTypes = map[string]string{
	"HUMAN_PART_PER": "PER", "HUMAN_PART_ORG": "ORG", "LOC_GEO": "LOC", "LOC_FAC": "LOC", "HUMAN_PART_GPE": "LOC",
}

// Named returns the document's person, organization and place mentions
// that are names (they end in a capitalized word and are not pronouns)
// and belong to a cross-document chain.
func (d *Document) Named() []NamedMention {
	var out []NamedMention
	_, spans := d.PlainText()
	for _, m := range d.Markables {
		typ, ok := tagTypes[m.Tag]
		inst := d.Instance[m.ID]
		if !ok || inst == "" {
			continue
		}
		text := d.Text(m)
		if !isName(text) {
			continue
		}
		nm := NamedMention{Text: text, Type: typ, Instance: inst, Start: -1, End: -1}
		first, okf := spans[m.Tokens[0]]
		last, okl := spans[m.Tokens[len(m.Tokens)-1]]
		if okf && okl && first[0] <= last[1] {
			nm.Start, nm.End = first[0], last[1]
		}
		out = append(out, nm)
	}
	return out
}

var connectors = map[string]bool{"of": true, "the": true, "de": true, "and": true, "&": true, "von": true, "van": true,
	"-": true, ".": true, ",": true, "'": true, "\"": true, "'s": true, "for": true}

var pronouns = map[string]bool{"I": true, "He": true, "She": true, "It": true, "We": true, "They": true, "You": true,
	"Her": true, "His": true, "Him": true, "I'd": true, "I'm": true, "She's": true, "He's": true}

// isName reports whether a mention looks like a proper name: it starts
// with a capitalized word that is not a pronoun, and every other token is
// capitalized or a connector ("Bank of America").
func isName(text string) bool {
	words := strings.Fields(text)
	if len(words) == 0 || pronouns[words[0]] {
		return false
	}
	for i, w := range words {
		c := w[0]
		upper := c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !upper && (i == 0 || !connectors[w]) {
			return false
		}
	}
	return true
}
