package server

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storyline/storyline/store"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestSegments(t *testing.T) {
	text := "Alpha beta. Gamma délta epsilon. Zeta eta."
	reuse := func(spans ...[2]int) []store.Reuse {
		var ps []store.Passage
		for _, s := range spans {
			ps = append(ps, store.Passage{ToOffset: s[0], Len: s[1]})
		}
		return []store.Reuse{{From: "orig", Passages: ps}}
	}
	for _, c := range []struct {
		name  string
		reuse []store.Reuse
		want  string // copied parts in [brackets]
	}{
		{"none", nil, text},
		{"one", reuse([2]int{12, 21}), "Alpha beta. [Gamma délta epsilon.] Zeta eta."},
		{"overlap skipped", reuse([2]int{0, 11}, [2]int{6, 10}), "[Alpha beta.] Gamma délta epsilon. Zeta eta."},
		{"out of range skipped", reuse([2]int{40, 10}, [2]int{-1, 3}), text},
		{"mid-rune widened", reuse([2]int{20, 1}), "Alpha beta. Gamma d[é]lta epsilon. Zeta eta."},
		{"unsorted", reuse([2]int{34, 9}, [2]int{0, 5}), "[Alpha] beta. Gamma délta epsilon. [Zeta eta.]"},
	} {
		var b strings.Builder
		joined := ""
		for _, s := range segments(text, c.reuse, map[string]string{"orig": "Origin"}) {
			joined += s.Text
			if s.Copied {
				b.WriteString("[" + s.Text + "]")
				if s.From != "orig" || s.FromTitle != "Origin" {
					t.Errorf("%s: copied segment without its origin: %+v", c.name, s)
				}
			} else {
				b.WriteString(s.Text)
			}
		}
		if b.String() != c.want || joined != text {
			t.Errorf("%s: %q, want %q", c.name, b.String(), c.want)
		}
	}
}

func TestParagraphs(t *testing.T) {
	segs := []segment{{Text: "One.\nTwo "}, {Text: "copied\nthree", Copied: true}, {Text: ".\n\nFour."}}
	ps := paragraphs(segs)
	var got []string
	for _, p := range ps {
		var b strings.Builder
		for _, s := range p {
			if s.Copied {
				b.WriteString("[" + s.Text + "]")
			} else {
				b.WriteString(s.Text)
			}
		}
		got = append(got, b.String())
	}
	want := []string{"One.", "Two [copied]", "[three].", "Four."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("paragraphs %q, want %q", got, want)
	}
}

func TestWrapText(t *testing.T) {
	for _, c := range []struct {
		in   string
		n, m int
		want []string
	}{
		{"Dam gives way", 20, 3, []string{"Dam gives way"}},
		{"Dam gives way above Velmora; two missing", 16, 3, []string{"Dam gives way", "above Velmora;", "two missing"}},
		{"one two three four five six seven eight", 10, 2, []string{"one two", "three …"}},
		{"Supercalifragilisticexpialidocious", 10, 2, []string{"Supercali…"}},
		{"", 10, 2, nil},
	} {
		got := wrapText(c.in, c.n, c.m)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrapText(%q, %d, %d) = %q, want %q", c.in, c.n, c.m, got, c.want)
		}
	}
}

func TestCSVSafe(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+x": "'+x", "-2": "'-2", "@A1": "'@A1", "\tx": "'\tx", "plain": "plain", "": ""} {
		if got := csvSafe(in); got != want {
			t.Errorf("csvSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSnippet(t *testing.T) {
	text := strings.Repeat("filler words here ", 30) + "the dam broke at dawn " + strings.Repeat("more words after ", 30)
	s := snippet(text, []string{"DAM"}, 80)
	if !strings.Contains(s, "dam broke") || !strings.HasPrefix(s, "… ") || !strings.HasSuffix(s, " …") || len(s) > 100 {
		t.Errorf("snippet %q", s)
	}
	if s := snippet("short text", []string{"absent"}, 80); s != "short text" {
		t.Errorf("short snippet %q", s)
	}
}

// TestTimelineGolden renders a storyline page's timeline for fixed events
// (with hostile text) and compares it with testdata/timeline.golden.html.
func TestTimelineGolden(t *testing.T) {
	pg, err := loadPages()
	if err != nil {
		t.Fatal(err)
	}
	evs := []store.Event{
		{ID: "E1", Date: "2025-03-09", Headline: "Presidents speak by phone for the first time since the trade dispute began", Sources: []string{"A", "B", "C"}, Articles: []string{"a1", "a2", "a3"}},
		{ID: "E2", Date: "2025-03-17", Headline: `Summit in Vensk <script>alert("x")</script>`, Sources: []string{"A"}, Articles: []string{"a4"}},
		{ID: "E3", Date: "2025-03-18", Headline: "Ferry fares rise", Articles: []string{"a5"}},
		{ID: "E4", Headline: "Undated feature"},
	}
	var buf bytes.Buffer
	err = pg.t["story"].ExecuteTemplate(&buf, "content", map[string]any{
		"Story":  store.Story{ID: "S1", Title: "Kestria & Halvland", Start: "2025-03-09", End: "2025-03-18", Events: []string{"E1", "E2", "E3", "E4"}},
		"Events": evs, "Sources": 3, "Timelines": []timeline{layoutTimeline(evs, tlWide), layoutTimeline(evs, tlNarrow)}})
	if err != nil {
		t.Fatal(err)
	}
	got := buf.Bytes()
	if bytes.Contains(got, []byte("<script>")) {
		t.Error("unescaped headline in the timeline")
	}
	path := filepath.Join("testdata", "timeline.golden.html")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestTimelineGolden -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("timeline differs from %s (run with -update after checking the change)", path)
	}
}
