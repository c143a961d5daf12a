package server

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzParseNDJSON feeds arbitrary bodies to the ingest parsers: they must
// not panic, every usable article has an id, results are in line order
// and every result is accounted for.
func FuzzParseNDJSON(f *testing.F) {
	for _, s := range []string{
		`{"id":"a","title":"T","text":"Body."}` + "\n" + `{"id":`,
		"\n\n\r\n",
		`[{"id":"x","text":"y"},{"text":""}]`,
		`{"id":1,"text":"numeric id","published":"2025-13-40"}`,
		"\xff\xfe{\"id\":\"bin\"}",
	} {
		f.Add([]byte(s), true)
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, body []byte, nd bool) {
		var p *parsed
		var err error
		if nd {
			p, err = parseNDJSON(bytes.NewReader(body), 50)
		} else {
			p, err = parseJSON(bytes.NewReader(body), 50)
		}
		if err != nil && !errors.Is(err, errTooMany) {
			t.Fatalf("unexpected error %v", err)
		}
		if p == nil {
			return
		}
		if len(p.arts) != len(p.at) {
			t.Fatalf("%d articles, %d positions", len(p.arts), len(p.at))
		}
		for i, a := range p.arts {
			if a.ID == "" {
				t.Errorf("article without id")
			}
			if r := p.results[p.at[i]]; r.ID != a.ID || r.Status == StatusRejected {
				t.Errorf("result %+v for accepted article %q", r, a.ID)
			}
		}
		for i := 1; i < len(p.results); i++ {
			if p.results[i].Line <= p.results[i-1].Line {
				t.Errorf("results out of line order: %d after %d", p.results[i].Line, p.results[i-1].Line)
			}
		}
	})
}
