package main

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/gen"
	_ "modernc.org/sqlite"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// buildBinary builds the storyline binary once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "storyline-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "storyline")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			binErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// TestIngestSurvivesKill9 runs the real binary, kills it with SIGKILL in
// the middle of an ingest, runs the ingest again and checks that every
// article is stored exactly once and every article's event exists.
func TestIngestSurvivesKill9(t *testing.T) {
	dir := t.TempDir()
	bin := buildBinary(t)
	// A corpus of our own sentences, large enough to take several batches.
	var pool []string
	for i := 0; i < 60; i++ {
		pool = append(pool, fmt.Sprintf("Officials in Town%d reported that the river %d rose overnight near bridge %d.", i%7, i, i*3))
	}
	pools := gen.Pools{pool[:20], pool[20:40], pool[40:]}
	arts := gen.Articles(pools, 12000, 7)
	input := filepath.Join(dir, "in.jsonl")
	if err := gen.WriteJSONL(input, arts); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "s.db")
	count := func() int {
		h, err := sql.Open("sqlite", "file:"+db+"?mode=ro&_pragma=busy_timeout(5000)")
		if err != nil {
			return 0
		}
		defer h.Close()
		var n int
		if h.QueryRow(`SELECT count(*) FROM articles`).Scan(&n) != nil {
			return 0
		}
		return n
	}
	cmd := exec.Command(bin, "ingest", "--db", db, input)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for count() == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	partial := count()
	if partial == 0 || partial >= len(arts) {
		t.Fatalf("kill came at %d of %d articles; want a partial ingest", partial, len(arts))
	}
	out, err := exec.Command(bin, "ingest", "--db", db, input).CombinedOutput()
	if err != nil {
		t.Fatalf("second ingest: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), fmt.Sprintf("unchanged %d", partial)) {
		t.Errorf("second ingest should skip the %d stored articles: %s", partial, out)
	}
	h, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	var n, distinct, orphans int
	h.QueryRow(`SELECT count(*), count(DISTINCT id) FROM articles`).Scan(&n, &distinct)
	h.QueryRow(`SELECT count(*) FROM articles a LEFT JOIN events e ON e.id = a.event WHERE e.id IS NULL`).Scan(&orphans)
	if n != len(arts) || distinct != n {
		t.Errorf("articles %d (distinct %d), want %d", n, distinct, len(arts))
	}
	if orphans != 0 {
		t.Errorf("%d articles point at missing events", orphans)
	}
}
