package article

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/zeebo/xxh3"
)

// JSONLReader reads one JSON article per line with the fields id, title,
// text, published (RFC 3339 or YYYY-MM-DD), url, source and lang. Other
// string fields are kept in Extra; other values are ignored. Blank lines
// are skipped.
type JSONLReader struct{}

// Read implements Reader. Lines are parsed on GOMAXPROCS goroutines in
// chunks and delivered to the sink in file order, with their line numbers.
func (JSONLReader) Read(ctx context.Context, name string, r io.Reader, s Sink) error {
	br := bufio.NewReaderSize(r, 64<<10)
	if head, _ := br.Peek(8192); IsBinary(head) {
		s.Reject(Rejection{File: name, Err: errors.New("binary data, not JSON Lines")})
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := runtime.GOMAXPROCS(0)
	work := make(chan *jsonChunk, workers)
	order := make(chan *jsonChunk, 2*workers)
	go readJSONChunks(ctx, &lineReader{br: br, max: MaxLineBytes}, work, order)
	for range workers {
		go func() {
			for c := range work {
				c.parse()
			}
		}()
	}
	records := 0
	defer func() {
		if records == 0 {
			s.Reject(Rejection{File: name, Err: errors.New("empty file: no articles")})
		}
	}()
	for c := range order {
		select {
		case <-c.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		for i := range c.lines {
			n := c.nums[i]
			switch {
			case c.readErr[i] != nil:
				s.Reject(Rejection{File: name, Line: n, Err: fmt.Errorf("read: %w", c.readErr[i])})
				return nil
			case c.tooLong[i]:
				records++
				s.Reject(Rejection{File: name, Line: n, Err: fmt.Errorf("line longer than %d bytes", MaxLineBytes)})
				continue
			}
			records++
			p := &c.out[i]
			if p.err != nil {
				s.Reject(Rejection{File: name, Line: n, Err: p.err})
				continue
			}
			if p.warn != nil {
				s.Reject(Rejection{File: name, Line: n, Err: p.warn})
			}
			if err := s.Article(p.a); err != nil {
				return stopError{err}
			}
		}
	}
	return ctx.Err()
}

// A parsing goroutine takes jsonChunkLines lines at once, or fewer when
// they reach jsonChunkBytes: at most about 3×GOMAXPROCS chunks are held.
const (
	jsonChunkLines = 128
	jsonChunkBytes = 4 << 20
)

// jsonChunk is a run of lines of a JSON Lines file and, once done is
// closed, their parsed articles.
type jsonChunk struct {
	lines   [][]byte
	nums    []int   // line numbers
	tooLong []bool  // line over MaxLineBytes (not parsed)
	readErr []error // a read error at this line (the last entry)
	out     []parsedLine
	done    chan struct{}
}

type parsedLine struct {
	a         Article
	warn, err error
}

func (c *jsonChunk) parse() {
	c.out = make([]parsedLine, len(c.lines))
	for i, l := range c.lines {
		if !c.tooLong[i] && c.readErr[i] == nil {
			c.out[i].a, c.out[i].warn, c.out[i].err = ParseJSON(l)
		}
	}
	close(c.done)
}

// readJSONChunks reads lines into chunks (blank lines skipped) and hands
// each to the parsers (work) and, in file order, to the consumer (order).
func readJSONChunks(ctx context.Context, lr *lineReader, work, order chan<- *jsonChunk) {
	defer close(work)
	defer close(order)
	newChunk := func() *jsonChunk { return &jsonChunk{done: make(chan struct{})} }
	c := newChunk()
	size := 0
	send := func() bool {
		if len(c.lines) == 0 {
			return true
		}
		select {
		case order <- c:
		case <-ctx.Done():
			return false
		}
		select {
		case work <- c:
		case <-ctx.Done():
			return false
		}
		c, size = newChunk(), 0
		return true
	}
	add := func(n int, line []byte, tooLong bool, err error) {
		c.lines = append(c.lines, line)
		c.nums = append(c.nums, n)
		c.tooLong = append(c.tooLong, tooLong)
		c.readErr = append(c.readErr, err)
	}
	for n := 1; ; n++ {
		line, tooLong, err := lr.next()
		if err == io.EOF {
			send()
			return
		}
		if err != nil {
			add(n, nil, false, err)
			send()
			return
		}
		if !tooLong && len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if tooLong {
			line = nil
		} else {
			line = bytes.Clone(line)
		}
		add(n, line, tooLong, nil)
		if size += len(line); (len(c.lines) == jsonChunkLines || size >= jsonChunkBytes) && !send() {
			return
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
