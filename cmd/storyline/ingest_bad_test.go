package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestIngestBadInputKeepsGoodInput feeds the real binary a directory with
// malformed, binary, empty and oversized inputs next to good ones.
func TestIngestBadInputKeepsGoodInput(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	write := func(name, body string) { os.WriteFile(filepath.Join(in, name), []byte(body), 0o644) }
	write("a.jsonl", `{"id":"g1","title":"Dam gives way","text":"The Upper Selva Dam gave way on Tuesday.","published":"2025-03-11"}
{"id":"bad", "text": oops}
{"id":"g2","text":"Rescuers searched for two missing workers in Velmora.","published":"2025-02-30"}
`)
	write("bin.txt", "\x00\x01\x02\x03binary")
	write("empty.txt", "   \n")
	write("good.txt", "date 2025-03-12 Velmora residents returned to mud-filled homes on Wednesday.")
	write("huge.txt", strings.Repeat("word ", 1<<20))
	write("notes.md", "ignored: no reader for .md inside a directory")
	db := filepath.Join(dir, "s.db")
	cmd := exec.Command(bin, "ingest", "--db", db, in)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("exit: %v (want status 1)\nstdout %s\nstderr %s", err, out, stderr.String())
	}
	for _, want := range []string{"a.jsonl:2:", "a.jsonl:3:", "bin.txt", "empty.txt", "huge.txt"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr does not name %q:\n%s", want, stderr.String())
		}
	}
	if !strings.Contains(string(out), "new 3") {
		t.Errorf("summary: %s", out)
	}
	show, err := exec.Command(bin, "show", "--db", db, "--json", "g2").Output()
	if err != nil || !strings.Contains(string(show), `"id": "g2"`) {
		t.Errorf("article with impossible date not kept: %v %s", err, show)
	}
	if strings.Contains(string(show), `"published"`) && !strings.Contains(string(show), "date_inferred") {
		t.Errorf("impossible date kept as a date: %s", show)
	}
}
