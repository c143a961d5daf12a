package gen

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSharedData: $SHARED wins; otherwise shared/data is found going up
// from the working directory; "" when there is none.
func TestSharedData(t *testing.T) {
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
	if got := SharedData(); got != "" && filepath.Dir(filepath.Dir(got)) == root {
		t.Fatalf("found %s before it exists", got)
	}
	if err := os.MkdirAll(filepath.Join(root, "shared", "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got, want := SharedData(), filepath.Join(root, "shared", "data"); got != want {
		t.Errorf("SharedData() = %q, want %q", got, want)
	}
	t.Setenv("SHARED", "/elsewhere")
	if got := SharedData(); got != "/elsewhere/data" {
		t.Errorf("with SHARED set: %q", got)
	}
}
