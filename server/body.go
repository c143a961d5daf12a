package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"

	"github.com/storyline/storyline/article"
)

// LineResult is the outcome of one line (or object) of an ingest request.
type LineResult struct {
	// Line is the 1-based line of an NDJSON body (the 1-based position in a
	// JSON array, 1 for a single object).
	Line int `json:"line"`
	// ID is the article id ("" when the line could not be read).
	ID string `json:"id,omitempty"`
	// Status is new, updated, unchanged or rejected.
	Status string `json:"status"`
	// Error says why a line was rejected.
	Error string `json:"error,omitempty"`
	// Warning says what was dropped from an accepted line (e.g. a bad date).
	Warning string `json:"warning,omitempty"`
}

// Status values of LineResult.
const (
	StatusNew       = "new"
	StatusUpdated   = "updated"
	StatusUnchanged = "unchanged"
	StatusRejected  = "rejected"
)

// errTooMany is returned when a body holds more articles than allowed.
var errTooMany = errors.New("too many articles in one request")

// isNDJSON reports whether a Content-Type names line-delimited JSON.
func isNDJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch mt {
	case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines":
		return true
	}
	return false
}

// parsed is what a request body holds: the usable articles (with the
// index of their LineResult) and one result per line or object.
type parsed struct {
	arts    []article.Article
	at      []int // arts[i] belongs to results[at[i]]
	results []LineResult
}

func (p *parsed) add(line int, b []byte) {
	a, warn, err := article.ParseJSON(b)
	r := LineResult{Line: line, ID: a.ID}
	if err != nil {
		r.Status, r.Error = StatusRejected, err.Error()
		p.results = append(p.results, r)
		return
	}
	if warn != nil {
		r.Warning = warn.Error()
	}
	p.at = append(p.at, len(p.results))
	p.arts = append(p.arts, a)
	p.results = append(p.results, r)
}

// parseNDJSON reads one article per line; blank lines are skipped but
// counted. A line that is not an article is rejected with its number; a
// read error (e.g. the body size limit) is returned.
func parseNDJSON(r io.Reader, maxLines int) (*parsed, error) {
	p := &parsed{}
	br := bufio.NewReaderSize(r, 64<<10)
	var buf []byte
	for line := 1; ; line++ {
		buf = buf[:0]
		tooLong := false
		for {
			chunk, err := br.ReadSlice('\n')
			if len(buf)+len(chunk) > article.MaxLineBytes {
				tooLong = true
			} else {
				buf = append(buf, chunk...)
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			if err == io.EOF {
				if len(buf) == 0 && !tooLong {
					return p, nil
				}
				break
			}
			if err != nil {
				return p, err
			}
			break
		}
		if tooLong {
			p.results = append(p.results, LineResult{Line: line, Status: StatusRejected,
				Error: fmt.Sprintf("line longer than %d bytes", article.MaxLineBytes)})
			continue
		}
		if len(bytes.TrimSpace(buf)) == 0 {
			continue
		}
		if len(p.results) >= maxLines {
			return p, errTooMany
		}
		p.add(line, buf)
	}
}

// parseJSON reads a single JSON article or a JSON array of articles.
func parseJSON(r io.Reader, maxLines int) (*parsed, error) {
	body, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	p := &parsed{}
	trim := bytes.TrimSpace(body)
	if len(trim) > 0 && trim[0] == '[' {
		var items []json.RawMessage
		if err := json.Unmarshal(trim, &items); err != nil {
			p.results = append(p.results, LineResult{Line: 1, Status: StatusRejected, Error: "malformed JSON array: " + err.Error()})
			return p, nil
		}
		if len(items) > maxLines {
			return p, errTooMany
		}
		for i, it := range items {
			p.add(i+1, it)
		}
		return p, nil
	}
	p.add(1, trim)
	return p, nil
}
