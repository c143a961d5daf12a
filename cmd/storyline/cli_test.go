package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/store"
	"github.com/storyline/storyline/store/sqlite"
)

// runCLI runs the storyline binary with args (the environment without
// STORYLINE_DB) and returns what it wrote to stdout and stderr; err is
// non-nil when it exited with a non-zero status.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := exec.Command(buildBinary(t), args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "STORYLINE_DB=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	return out.String(), errb.String(), err
}

// fixtureDB writes a small store (three articles in two events, entities
// and mentions) and returns its path.
func fixtureDB(t *testing.T) string {
	t.Helper()
	day := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	path := filepath.Join(t.TempDir(), "fixture.db")
	ctx := context.Background()
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	b := &store.Batch{
		Articles: []store.Article{
			{Article: article.Article{ID: "breach", Title: "Upper Selva Dam gives way", Text: "The Upper Selva Dam gave way on Tuesday above Velmora.",
				Published: day("2025-03-11"), Source: "Nordwire", Lang: "en"}, Seq: 1, Event: "E1", Novelty: 1},
			{Article: article.Article{ID: "breach-copy", Text: "Floodwater reached Velmora after the Upper Selva Dam gave way on Tuesday.\nRescuers searched the town.",
				Published: day("2025-03-12"), Lang: "en"}, Seq: 2, Event: "E1", Novelty: 0.4},
			{Article: article.Article{ID: "call", Title: "Sorvald and Brenner speak by phone", Text: "President Sorvald of Kestria called Brenner about the Gellan Strait.",
				Published: day("2025-03-10"), Source: "Courier", Lang: "en"}, Seq: 3, Event: "E2", Novelty: 1},
		},
		Events: []store.Event{{ID: "E1", Story: "S1", Date: "2025-03-11", Headline: "Upper Selva Dam gives way"},
			{ID: "E2", Story: "S2", Date: "2025-03-09", Headline: "Sorvald and Brenner speak by phone"}},
		Entities: []store.Entity{
			{ID: "per:anika-sorvald", Name: "Anika Sorvald", Type: "PER", Aliases: []string{"Anika Sorvald", "Sorvald"}},
			{ID: "loc:kestria", Name: "Kestria", Type: "LOC", Aliases: []string{"Kestria"}},
			{ID: "org:kestria", Name: "Kestria", Type: "ORG", Aliases: []string{"Kestria"}},
			{ID: "per:tomas-brenner", Name: "Tomas Brenner", Type: "PER", Aliases: []string{"Brenner"}},
			{ID: "loc:gellan-strait", Name: "Gellan Strait", Type: "LOC", Aliases: []string{"Gellan Strait"}},
			{ID: "per:gellan-strait", Name: "Gellan Strait", Type: "PER", Aliases: []string{"Gellan Strait"}},
		},
		Mentions: []store.Mention{
			{Article: "call", Entity: "per:anika-sorvald", Count: 2},
			{Article: "call", Entity: "loc:kestria", Count: 3},
			{Article: "call", Entity: "org:kestria", Count: 1},
			{Article: "call", Entity: "per:tomas-brenner", Count: 2},
			{Article: "call", Entity: "loc:gellan-strait", Count: 1},
			{Article: "call", Entity: "per:gellan-strait", Count: 1},
		},
	}
	if err := st.Commit(ctx, b); err != nil {
		t.Fatal(err)
	}
	return path
}

// lines splits output into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}
