package corpora

import (
	"os"
	"path/filepath"
	"testing"
)

// TestData: $SHARED wins; otherwise shared/data is found going up
// from the working directory; "" when there is none.
func TestData(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "clone", "pkg", "sub")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	t.Cleanup(func() { os.Chdir(wd) })
	if err := os.Chdir(deep); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SHARED", "")
	os.Unsetenv("SHARED")
	if got := Data(); got != "" && filepath.Dir(filepath.Dir(got)) == root {
		t.Fatalf("found %s before it exists", got)
	}
	if err := os.MkdirAll(filepath.Join(root, "shared", "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got, want := Data(), filepath.Join(root, "shared", "data"); got != want {
		t.Errorf("Data() = %q, want %q", got, want)
	}
	t.Setenv("SHARED", "/elsewhere")
	if got := Data(); got != "/elsewhere/data" {
		t.Errorf("with SHARED set: %q", got)
	}
}
