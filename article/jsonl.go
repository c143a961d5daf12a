package article

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/zeebo/xxh3"
)

// JSONLReader reads one JSON article per line with the fields id, title,
// text, published (RFC 3339 or YYYY-MM-DD), url, source and lang. Other
// string fields are kept in Extra; other values are ignored. Blank lines
// are skipped.
type JSONLReader struct{}

// Read implements Reader.
func (JSONLReader) Read(ctx context.Context, name string, r io.Reader, s Sink) error {
	br := bufio.NewReaderSize(r, 64<<10)
	if head, _ := br.Peek(8192); IsBinary(head) {
		s.Reject(Rejection{File: name, Err: errors.New("binary data, not JSON Lines")})
		return nil
	}
	lr := &lineReader{br: br, max: MaxLineBytes}
	records := 0
	defer func() {
		if records == 0 {
			s.Reject(Rejection{File: name, Err: errors.New("empty file: no articles")})
		}
	}()
	for n := 1; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		line, tooLong, err := lr.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			s.Reject(Rejection{File: name, Line: n, Err: fmt.Errorf("read: %w", err)})
			return nil
		}
		if tooLong {
			records++
			s.Reject(Rejection{File: name, Line: n, Err: fmt.Errorf("line longer than %d bytes", MaxLineBytes)})
			continue
		}
		if len(strings.TrimSpace(string(line))) == 0 {
			continue
		}
		records++
		a, warn, err := ParseJSON(line)
		if err != nil {
			s.Reject(Rejection{File: name, Line: n, Err: err})
			continue
		}
		if warn != nil {
			s.Reject(Rejection{File: name, Line: n, Err: warn})
		}
		if err := s.Article(a); err != nil {
			return stopError{err}
		}
	}
}

// ParseJSON decodes one JSON article. A non-nil warn means the article is
// usable but part of it was dropped (e.g. an unparseable date: the article
// is kept undated).
func ParseJSON(b []byte) (a Article, warn error, err error) {
	if IsBinary(b) {
		return a, nil, errors.New("binary data, not JSON")
	}
	if err := checkUTF8(b); err != nil {
		return a, nil, err
	}
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return a, nil, errors.New("not a JSON object (each line must be one article: {\"id\":...,\"text\":...})")
		}
		return a, nil, fmt.Errorf("malformed JSON: %w", err)
	}
	for _, k := range []string{"id", "title", "text", "published", "url", "source", "lang"} {
		if v, ok := raw[k]; ok && v != nil {
			if _, isStr := v.(string); !isStr && !(k == "id" && isNumber(v)) {
				return a, nil, fmt.Errorf("field %q must be a string", k)
			}
		}
	}
	str := func(k string) string {
		v, _ := raw[k].(string)
		return v
	}
	a.ID = strings.TrimSpace(str("id"))
	if v, ok := raw["id"].(float64); ok && a.ID == "" {
		a.ID = fmt.Sprint(v)
	}
	a.Title = strings.Join(strings.Fields(str("title")), " ")
	a.Text = NormalizeText(str("text"))
	a.URL = strings.TrimSpace(str("url"))
	a.Source = strings.TrimSpace(str("source"))
	a.Lang = strings.TrimSpace(str("lang"))
	if len(a.Text) > MaxTextBytes {
		return a, nil, fmt.Errorf("article text larger than %d bytes", MaxTextBytes)
	}
	if strings.TrimSpace(a.Text) == "" && a.Title == "" {
		return a, nil, errors.New("article has no text and no title")
	}
	if a.ID == "" {
		if a.URL != "" {
			a.ID = a.URL
		} else {
			a.ID = fmt.Sprintf("h%016x", xxh3.HashString(a.Title+"\n"+a.Text))
		}
	}
	if ps := strings.TrimSpace(str("published")); ps != "" {
		t, err := ParseDate(ps)
		if err != nil {
			warn = fmt.Errorf("article %q: %w; kept undated", a.ID, err)
		} else {
			a.Published = t
		}
	}
	for k, v := range raw {
		switch k {
		case "id", "title", "text", "url", "source", "lang", "published":
			continue
		}
		if sv, ok := v.(string); ok {
			if a.Extra == nil {
				a.Extra = map[string]string{}
			}
			a.Extra[k] = sv
		}
	}
	return a, warn, nil
}

func isNumber(v any) bool { _, ok := v.(float64); return ok }

var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02 15:04",
	"2006-1-2",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"January 2, 2006",
	"2 January 2006",
}

// ParseDate parses a publication date in RFC 3339, YYYY-MM-DD or a few
// other common layouts. Dates before 1800 or more than a year ahead of now
// are refused as impossible.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			if t.Year() < 1800 || t.After(time.Now().AddDate(1, 0, 0)) {
				return time.Time{}, fmt.Errorf("impossible date %q", s)
			}
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unparseable date %q (want RFC 3339 or YYYY-MM-DD)", s)
}
