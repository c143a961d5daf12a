package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// demoDB ingests the bundled demo corpus (as scripts/demo.sh does) into a
// new store and returns its path.
func demoDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "demo.db")
	if out, errOut, err := runCLI(t, "ingest", "--db", db, filepath.Join("..", "..", "demo", "articles")); err != nil {
		t.Fatalf("ingest demo: %v\n%s%s", err, out, errOut)
	}
	return db
}

// TestREADMEAliasExamples checks the README's alias examples against what
// the demo really prints: every name the README says the resolver merges
// into an entity is one of its aliases, and the quoted `aliases:` line is
// the one `storyline show ID` prints.
func TestREADMEAliasExamples(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	db := demoDB(t)
	for _, c := range []struct {
		id string
	}{
		{"per:anika-sorvald"},
	} {
		t.Run(c.id, func(t *testing.T) {
			out, errOut, err := runCLI(t, "show", "--db", db, c.id)
			if err != nil {
				t.Fatalf("show %s: %v %s", c.id, err, errOut)
			}
			var line string
			for _, l := range lines(out) {
				if strings.HasPrefix(l, "aliases: ") {
					line = l
				}
			}
			if line == "" {
				t.Fatalf("show %s prints no aliases:\n%s", c.id, out)
			}
			aliases := strings.Split(strings.TrimPrefix(line, "aliases: "), " | ")
			if !strings.Contains(text, "`"+line+"`") {
				t.Errorf("README does not quote the demo's %q", line)
			}
			arrow := strings.Index(text, "→ `"+c.id+"`")
			open := strings.LastIndexByte(text[:max(arrow, 0)], '(')
			if arrow < 0 || open < 0 {
				t.Fatalf("README has no (\"name\", ... → `%s`) example", c.id)
			}
			for _, m := range regexp.MustCompile(`"([^"]+)"`).FindAllStringSubmatch(text[open:arrow], -1) {
				found := false
				for _, a := range aliases {
					found = found || a == m[1]
				}
				if !found {
					t.Errorf("README names %q as merged into %s, but the demo's aliases are %q", m[1], c.id, aliases)
				}
			}
		})
	}
}
