package article

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func collect(t *testing.T, paths ...string) ([]Article, []Rejection) {
	t.Helper()
	var arts []Article
	var rej []Rejection
	err := ReadPaths(context.Background(), paths, Sink{
		Article: func(a Article) error { arts = append(arts, a); return nil },
		Reject:  func(r Rejection) { rej = append(rej, r) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return arts, rej
}

func TestTextReaderDateMarker(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, body, wantDate, wantStart string
		reject                          bool
	}{
		{"a.txt", " date 2022-02-07 US Secretary of State spoke.\nSecond para.", "2022-02-07", "US Secretary", false},
		{"b.txt", "No date here.\n\nSecond.", "", "No date here.", false},
		{"c.txt", "date 2022-02-30 Impossible date kept undated.", "", "Impossible", true},
		{"d.txt", "   \n\n  ", "", "", true},
	}
	for _, c := range cases {
		os.WriteFile(filepath.Join(dir, c.name), []byte(c.body), 0o644)
		arts, rej := collect(t, filepath.Join(dir, c.name))
		if c.reject != (len(rej) > 0) {
			t.Errorf("%s: rejections %v, want reject=%v", c.name, rej, c.reject)
		}
		if c.wantStart == "" {
			if len(arts) != 0 {
				t.Errorf("%s: got article from empty file", c.name)
			}
			continue
		}
		if len(arts) != 1 {
			t.Fatalf("%s: %d articles", c.name, len(arts))
		}
		a := arts[0]
		if a.ID != strings.TrimSuffix(c.name, ".txt") {
			t.Errorf("%s: id %q", c.name, a.ID)
		}
		got := ""
		if !a.Published.IsZero() {
			got = a.Published.Format("2006-01-02")
		}
		if got != c.wantDate || !strings.HasPrefix(a.Text, c.wantStart) {
			t.Errorf("%s: date %q text %q", c.name, got, a.Text)
		}
	}
}

func TestJSONLBadLinesKeepGoodOnes(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.jsonl")
	body := `{"id":"1","title":"Good","text":"One.","published":"2022-02-07"}
{"id":"2","text": broken
{"id":"3","text":"Bad date","published":"yesterday-ish"}

{"id":"4","text":"` + "\xff\xfe" + `"}
{"id":"5","text":"RFC","published":"2022-02-07T10:00:00+02:00","event":"e1","n":3}
`
	os.WriteFile(p, []byte(body), 0o644)
	arts, rej := collect(t, p)
	ids := []string{}
	for _, a := range arts {
		ids = append(ids, a.ID)
	}
	if strings.Join(ids, ",") != "1,3,5" {
		t.Errorf("ids = %v, want 1,3,5", ids)
	}
	lines := map[int]bool{}
	for _, r := range rej {
		lines[r.Line] = true
		if r.File != p {
			t.Errorf("rejection names %q", r.File)
		}
	}
	for _, l := range []int{2, 3, 5} {
		if !lines[l] {
			t.Errorf("no rejection for line %d: %v", l, rej)
		}
	}
	if arts[1].Published.IsZero() == false {
		t.Errorf("bad date should leave article undated")
	}
	if arts[2].Extra["event"] != "e1" {
		t.Errorf("extra fields not kept: %v", arts[2].Extra)
	}
	if _, off := arts[2].Published.Zone(); off != 7200 {
		t.Errorf("publisher offset lost: %v", arts[2].Published)
	}
}

func TestBinaryAndHugeRejected(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "bin.txt"), []byte("abc\x00\x01\x02def"), 0o644)
	old := MaxTextBytes
	MaxTextBytes = 100
	defer func() { MaxTextBytes = old }()
	os.WriteFile(filepath.Join(dir, "huge.txt"), []byte(strings.Repeat("word ", 100)), 0o644)
	os.WriteFile(filepath.Join(dir, "ok.txt"), []byte("A fine article."), 0o644)
	arts, rej := collect(t, dir)
	if len(arts) != 1 || arts[0].ID != "ok" || len(rej) != 2 {
		t.Errorf("arts %v rej %v", arts, rej)
	}
}

func FuzzParseJSON(f *testing.F) {
	f.Add([]byte(`{"id":"1","title":"t","text":"x","published":"2022-02-07"}`))
	f.Add([]byte(`{"id":2,"text":"x","published":"2022-02-30"}`))
	f.Add([]byte("\xff{"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, _, err := ParseJSON(b)
		if err == nil && a.ID == "" {
			t.Errorf("accepted article without id: %q", b)
		}
	})
}

func FuzzTextReader(f *testing.F) {
	f.Add([]byte("date 2022-02-07 Hello.\nWorld."))
	f.Add([]byte("\x00bin"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var n int
		(TextReader{}).Read(context.Background(), "f.txt", strings.NewReader(string(b)), Sink{
			Article: func(a Article) error {
				n++
				if strings.TrimSpace(a.Text) == "" {
					t.Errorf("empty article accepted")
				}
				return nil
			},
			Reject: func(Rejection) {},
		})
		if n > 1 {
			t.Errorf("%d articles from one text file", n)
		}
	})
}

func TestSitemapInDirectorySkipped(t *testing.T) {
	dir := t.TempDir()
	sm := filepath.Join(dir, "sitemap.xml")
	os.WriteFile(sm, []byte(`<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>`), 0o644)
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("An article."), 0o644)
	arts, rej := collect(t, dir)
	if len(arts) != 1 || len(rej) != 0 {
		t.Errorf("directory scan: %d articles, rejections %v", len(arts), rej)
	}
	if _, rej := collect(t, sm); len(rej) != 1 {
		t.Errorf("a sitemap named explicitly should be rejected: %v", rej)
	}
}

func TestJSONLWholeFileProblems(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]string{
		"bin.jsonl":   "\x7fELF\x00\x00\x01\x02" + strings.Repeat("\x00\x01", 5000),
		"empty.jsonl": "\n\n  \n",
		"arr.jsonl":   "[1,2,3]\n",
		"num.jsonl":   `{"id":"n","text":5}` + "\n",
	}
	want := map[string]string{"bin.jsonl": "binary", "empty.jsonl": "empty file", "arr.jsonl": "not a JSON object", "num.jsonl": `field "text" must be a string`}
	for name, body := range cases {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		arts, rej := collect(t, p)
		if len(arts) != 0 || len(rej) != 1 || !strings.Contains(rej[0].Err.Error(), want[name]) {
			t.Errorf("%s: %d articles, rejections %v; want one saying %q", name, len(arts), rej, want[name])
		}
	}
}

// TestJSONLOrderAcrossChunks checks that lines parsed in parallel chunks
// come out in file order, each rejection with its own line number, blank
// lines skipped, a too-long line rejected and the rest kept.
func TestJSONLOrderAcrossChunks(t *testing.T) {
	old := MaxLineBytes
	MaxLineBytes = 2000
	defer func() { MaxLineBytes = old }()
	var b strings.Builder
	var wantIDs []string
	wantBad := map[int]bool{}
	for n := 1; n <= 1000; n++ {
		switch {
		case n%7 == 0:
			b.WriteString("{not json\n")
			wantBad[n] = true
		case n%50 == 0:
			b.WriteString("   \n") // blank: skipped, not rejected
		case n == 333:
			b.WriteString(`{"id":"long","text":"` + strings.Repeat("x", 3000) + "\"}\n")
			wantBad[n] = true
		default:
			id := fmt.Sprintf("a%d", n)
			fmt.Fprintf(&b, `{"id":%q,"text":"Report number %d."}`+"\n", id, n)
			wantIDs = append(wantIDs, id)
		}
	}
	var ids []string
	var lines []int
	err := JSONLReader{}.Read(context.Background(), "f.jsonl", strings.NewReader(b.String()), Sink{
		Article: func(a Article) error { ids = append(ids, a.ID); return nil },
		Reject:  func(r Rejection) { lines = append(lines, r.Line) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids, wantIDs) {
		t.Fatalf("got %d articles (first %v), want %d in file order", len(ids), ids[:min(5, len(ids))], len(wantIDs))
	}
	if len(lines) != len(wantBad) || !slices.IsSorted(lines) {
		t.Fatalf("rejections at lines %v, want %d in order", lines, len(wantBad))
	}
	for _, n := range lines {
		if !wantBad[n] {
			t.Errorf("line %d rejected, but it was good or blank", n)
		}
	}
}

// TestJSONLStopsOnSinkError checks that a failing sink stops the reader.
func TestJSONLStopsOnSinkError(t *testing.T) {
	var b strings.Builder
	for n := 0; n < 5000; n++ {
		fmt.Fprintf(&b, `{"id":"a%d","text":"Report."}`+"\n", n)
	}
	got := 0
	err := JSONLReader{}.Read(context.Background(), "f.jsonl", strings.NewReader(b.String()), Sink{
		Article: func(Article) error {
			if got++; got == 10 {
				return errors.New("disk full")
			}
			return nil
		},
		Reject: func(Rejection) {},
	})
	if err == nil || got != 10 {
		t.Fatalf("err %v after %d articles", err, got)
	}
}

func FuzzJSONLReader(f *testing.F) {
	f.Add([]byte("{\"id\":\"1\",\"text\":\"x\"}\n\n{bad\n{\"id\":2,\"text\":\"y\"}"))
	f.Add([]byte("\xff\n{}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		arts, rejected := 0, 0
		err := JSONLReader{}.Read(context.Background(), "f.jsonl", bytes.NewReader(b), Sink{
			Article: func(a Article) error {
				if a.ID == "" {
					t.Errorf("article without id from %q", b)
				}
				arts++
				return nil
			},
			Reject: func(Rejection) { rejected++ },
		})
		if err != nil {
			t.Fatalf("read error %v", err)
		}
		if lines := bytes.Count(b, []byte("\n")) + 1; arts > lines {
			t.Errorf("%d articles from %d lines", arts, lines)
		}
	})
}
