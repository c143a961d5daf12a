// Package tml reads TimeML (.tml, TempEval-3 format) documents and scores
// temporal-expression taggers against their TIMEX3 gold annotations with
// the TempEval-3 definitions (strict and relaxed span match, value F1).
package tml

import (
	"errors"
	"fmt"
	"html"
	"strings"
	"time"
)

// Gold is one annotated TIMEX3 inside a document's TEXT element.
type Gold struct {
	Start, End int    // byte offsets in Doc.Text
	Text       string // covered text
	Type       string // DATE, TIME, DURATION or SET
	Value      string // TIMEX3 value
	TID        string // annotation id
}

// Doc is one TimeML document reduced to what timex evaluation needs.
type Doc struct {
	ID    string    // DOCID, or the name it was read under
	DCT   time.Time // document creation time (day precision); zero if absent
	Title string    // TITLE text, if any
	Text  string    // TEXT element with all markup removed and entities decoded
	Gold  []Gold    // TIMEX3 annotations inside TEXT, in text order
}

// ErrNoText is returned when a document has no <TEXT> element.
var ErrNoText = errors.New("tml: no <TEXT> element")

// Parse reads one TimeML document. It tolerates unknown elements and
// attributes; it fails only when the TEXT element is missing or its markup
// is broken (unterminated tag, unbalanced TIMEX3).
func Parse(data []byte) (*Doc, error) {
	s := string(data)
	d := &Doc{}
	d.ID = strings.TrimSpace(elementText(s, "DOCID"))
	if dct := elementText(s, "DCT"); dct != "" {
		if v, ok := attr(dct, "value"); ok {
			d.DCT = parseDay(v)
		}
	}
	d.Title = strings.TrimSpace(html.UnescapeString(stripTags(elementText(s, "TITLE"))))
	i := strings.Index(s, "<TEXT>")
	if i < 0 {
		return nil, ErrNoText
	}
	body := s[i+len("<TEXT>"):]
	j := strings.Index(body, "</TEXT>")
	if j < 0 {
		return nil, fmt.Errorf("tml: unterminated <TEXT>: %w", ErrNoText)
	}
	body = body[:j]
	if err := d.readBody(body); err != nil {
		return nil, err
	}
	return d, nil
}

// readBody strips markup from the TEXT body, recording TIMEX3 spans.
func (d *Doc) readBody(body string) error {
	var b strings.Builder
	var open *Gold
	for len(body) > 0 {
		lt := strings.IndexByte(body, '<')
		if lt < 0 {
			b.WriteString(html.UnescapeString(body))
			break
		}
		b.WriteString(html.UnescapeString(body[:lt]))
		gt := strings.IndexByte(body[lt:], '>')
		if gt < 0 {
			return fmt.Errorf("tml: unterminated tag at %q", clip(body[lt:]))
		}
		tag := body[lt+1 : lt+gt]
		body = body[lt+gt+1:]
		switch {
		case strings.HasPrefix(tag, "TIMEX3") && !strings.HasSuffix(tag, "/"):
			if open != nil {
				return fmt.Errorf("tml: nested TIMEX3 %q", clip(tag))
			}
			g := Gold{Start: b.Len()}
			g.Type, _ = attr(tag, "type")
			g.Value, _ = attr(tag, "value")
			g.TID, _ = attr(tag, "tid")
			open = &g
		case tag == "/TIMEX3":
			if open == nil {
				return errors.New("tml: </TIMEX3> without <TIMEX3>")
			}
			open.End = b.Len()
			d.Gold = append(d.Gold, *open)
			open = nil
		}
	}
	if open != nil {
		return errors.New("tml: unterminated TIMEX3")
	}
	d.Text = b.String()
	for k := range d.Gold {
		d.Gold[k].Text = d.Text[d.Gold[k].Start:d.Gold[k].End]
	}
	return nil
}

// elementText returns the raw inner markup of the first <name>...</name>.
func elementText(s, name string) string {
	i := strings.Index(s, "<"+name+">")
	if i < 0 {
		return ""
	}
	rest := s[i+len(name)+2:]
	j := strings.Index(rest, "</"+name+">")
	if j < 0 {
		return ""
	}
	return rest[:j]
}

// attr returns the value of attribute name inside a tag or fragment.
func attr(tag, name string) (string, bool) {
	for k := 0; ; {
		i := strings.Index(tag[k:], name+`="`)
		if i < 0 {
			return "", false
		}
		i += k
		if i > 0 && tag[i-1] != ' ' && tag[i-1] != '\t' && tag[i-1] != '\n' {
			k = i + 1
			continue
		}
		v := tag[i+len(name)+2:]
		j := strings.IndexByte(v, '"')
		if j < 0 {
			return "", false
		}
		return html.UnescapeString(v[:j]), true
	}
}

// stripTags removes markup from a fragment.
func stripTags(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			return b.String()
		}
		s = s[i+j+1:]
	}
}

// parseDay reads the leading YYYY-MM-DD (or YYYYMMDD) of a TIMEX3 value.
func parseDay(v string) time.Time {
	if len(v) >= 10 {
		if t, err := time.Parse("2006-01-02", v[:10]); err == nil {
			return t
		}
	}
	if len(v) >= 8 {
		if t, err := time.Parse("20060102", v[:8]); err == nil {
			return t
		}
	}
	return time.Time{}
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40]
	}
	return s
}
