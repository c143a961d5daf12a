package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSearchCommand(t *testing.T) {
	db := fixtureDB(t)
	for _, c := range []struct {
		name    string
		args    []string
		want    []string // stdout lines, in order
		stderr  string   // a part of stderr
		wantErr bool
	}{
		{name: "words", args: []string{"selva"},
			want: []string{
				"2025-03-11  breach  [Nordwire, event E1]  Upper Selva Dam gives way",
				"2025-03-12  breach-copy  [event E1]  Floodwater reached Velmora after the Upper Selva Dam gave way on Tuesday.",
			}},
		{name: "arguments joined into a phrase and a word", args: []string{`"gave way"`, "rescuers"},
			want: []string{"2025-03-12  breach-copy  [event E1]  Floodwater reached Velmora after the Upper Selva Dam gave way on Tuesday."}},
		{name: "OR", args: []string{"brenner OR floodwater"},
			want: []string{
				"2025-03-10  call  [Courier, event E2]  Sorvald and Brenner speak by phone",
				"2025-03-12  breach-copy  [event E1]  Floodwater reached Velmora after the Upper Selva Dam gave way on Tuesday.",
			}},
		{name: "limit", args: []string{"--limit", "1", "selva"},
			want: []string{"2025-03-11  breach  [Nordwire, event E1]  Upper Selva Dam gives way"}},
		{name: "offset", args: []string{"--limit", "1", "--offset", "1", "selva"},
			want: []string{"2025-03-12  breach-copy  [event E1]  Floodwater reached Velmora after the Upper Selva Dam gave way on Tuesday."}},
		{name: "from", args: []string{"--from", "2025-03-12", "selva"},
			want: []string{"2025-03-12  breach-copy  [event E1]  Floodwater reached Velmora after the Upper Selva Dam gave way on Tuesday."}},
		{name: "to", args: []string{"--to", "2025-03-11", "velmora"},
			want: []string{"2025-03-11  breach  [Nordwire, event E1]  Upper Selva Dam gives way"}},
		{name: "source", args: []string{"--source", "Courier", "selva OR sorvald"},
			want: []string{"2025-03-10  call  [Courier, event E2]  Sorvald and Brenner speak by phone"}},
		{name: "entity", args: []string{"--entity", "loc:kestria", "selva OR sorvald"},
			want: []string{"2025-03-10  call  [Courier, event E2]  Sorvald and Brenner speak by phone"}},
		{name: "no match", args: []string{"zzzz"}, stderr: `no article matches "zzzz"`},
		{name: "only operators", args: []string{"OR"}, stderr: `no article matches "OR"`},
		{name: "empty query", args: []string{"  "}, stderr: "give words to search for", wantErr: true},
		{name: "no query", args: nil, stderr: "requires at least 1 arg", wantErr: true},
		{name: "limit 0", args: []string{"--limit", "0", "selva"}, stderr: "--limit 0: want 1 or more", wantErr: true},
		{name: "bad date", args: []string{"--from", "11/03/2025", "selva"}, stderr: "want a date as YYYY-MM-DD", wantErr: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, err := runCLI(t, append([]string{"search", "--db", db}, c.args...)...)
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v, want error %v\nstderr: %s", err, c.wantErr, errOut)
			}
			if got := lines(out); strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("stdout:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
			if !strings.Contains(errOut, c.stderr) {
				t.Errorf("stderr %q does not contain %q", errOut, c.stderr)
			}
		})
	}
}

func TestSearchCommandJSON(t *testing.T) {
	db := fixtureDB(t)
	for _, c := range []struct {
		name string
		args []string
		ids  string
	}{
		{"hits best first", []string{"selva"}, "breach,breach-copy"},
		{"no hit is an empty array", []string{"zzzz"}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, err := runCLI(t, append([]string{"search", "--db", db, "--json"}, c.args...)...)
			if err != nil {
				t.Fatalf("%v: %s", err, errOut)
			}
			var hits []struct {
				ID    string `json:"id"`
				Event string `json:"event"`
			}
			if err := json.Unmarshal([]byte(out), &hits); err != nil || hits == nil {
				t.Fatalf("not a JSON array: %v\n%s", err, out)
			}
			var ids []string
			for _, h := range hits {
				ids = append(ids, h.ID)
				if h.Event == "" {
					t.Errorf("hit %s without its event", h.ID)
				}
			}
			if strings.Join(ids, ",") != c.ids {
				t.Errorf("ids %v, want %s", ids, c.ids)
			}
		})
	}
}

func TestSearchHelp(t *testing.T) {
	out, _, err := runCLI(t, "search", "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"search QUERY...", "--limit", "--from", "--to", "--json", `"quoted phrases"`} {
		if !strings.Contains(out, want) {
			t.Errorf("help does not mention %q:\n%s", want, out)
		}
	}
}

func TestStartOf(t *testing.T) {
	for _, c := range []struct {
		text string
		n    int
		want string
	}{
		{"Short line.", 80, "Short line."},
		{"First line.\nSecond line.", 80, "First line."},
		{"  padded  ", 80, "padded"},
		{"one two three four", 10, "one two…"},
		{"abcdefghijklmno", 5, "abcde…"},
		{"ééééé", 3, "é…"}, // never cuts inside a rune
	} {
		if got := startOf(c.text, c.n); got != c.want {
			t.Errorf("startOf(%q, %d) = %q, want %q", c.text, c.n, got, c.want)
		}
	}
}
