package article

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// TextReader reads one plain-text article per file. The id is the file
// name without extension. The text may begin (after whitespace) with a
// date marker "date YYYY-MM-DD", possibly followed on the same line by the
// first sentence.
type TextReader struct{}

var dateMarker = regexp.MustCompile(`^\s*date\s+(\d{4}-\d{1,2}-\d{1,2})\b[ \t]*`)

// Read implements Reader.
func (TextReader) Read(ctx context.Context, name string, r io.Reader, s Sink) error {
	b, tooLong, err := readLimited(r, MaxTextBytes)
	if err != nil {
		s.Reject(Rejection{File: name, Err: fmt.Errorf("read: %w", err)})
		return nil
	}
	switch {
	case tooLong:
		s.Reject(Rejection{File: name, Err: fmt.Errorf("article larger than %d bytes", MaxTextBytes)})
		return nil
	case IsBinary(b):
		s.Reject(Rejection{File: name, Err: errors.New("binary data, not text")})
		return nil
	}
	if err := checkUTF8(b); err != nil {
		s.Reject(Rejection{File: name, Err: err})
		return nil
	}
	body := string(b)
	body = strings.TrimPrefix(body, "\ufeff")
	a := Article{ID: strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))}
	if m := dateMarker.FindStringSubmatchIndex(body); m != nil {
		ds := body[m[2]:m[3]]
		t, err := time.Parse("2006-1-2", ds)
		if err != nil {
			s.Reject(Rejection{File: name, Line: 1, Err: fmt.Errorf("impossible date %q; article kept undated", ds)})
		} else {
			a.Published = t
		}
		body = body[m[1]:]
	}
	a.Text = NormalizeText(body)
	if strings.TrimSpace(a.Text) == "" {
		s.Reject(Rejection{File: name, Err: errors.New("empty article")})
		return nil
	}
	if err := s.Article(a); err != nil {
		return stopError{err}
	}
	return nil
}

// NormalizeText normalizes line endings and blank lines: paragraphs are
// separated by a single "\n", lines are trimmed, and runs of spaces are
// collapsed. Hard-wrapped lines inside a paragraph are joined.
func NormalizeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	var paras []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, strings.Join(cur, " "))
			cur = cur[:0]
		}
	}
	blankSeen := false
	for _, ln := range lines {
		ln = strings.Join(strings.Fields(ln), " ")
		if ln == "" {
			blankSeen = true
			flush()
			continue
		}
		cur = append(cur, ln)
	}
	flush()
	if !blankSeen {
		// No blank lines: every line is its own paragraph.
		paras = paras[:0]
		for _, ln := range lines {
			if ln = strings.Join(strings.Fields(ln), " "); ln != "" {
				paras = append(paras, ln)
			}
		}
	}
	return strings.Join(paras, "\n")
}
