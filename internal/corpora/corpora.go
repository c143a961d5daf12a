// Package corpora locates the shared third-party corpora that tests,
// benchmarks and evaluations read (never copied into the repository).
package corpora

import (
	"os"
	"path/filepath"
)

// Data returns the data directory of the shared corpora that tests
// and benchmarks read: $SHARED/data when SHARED is set, else the first
// shared/data found going up from the working directory (the corpora sit
// in ../shared beside a clone, and tests run in their package's
// directory); "" when there is none.
func Data() string {
	if dir := os.Getenv("SHARED"); dir != "" {
		return filepath.Join(dir, "data")
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if st, err := os.Stat(filepath.Join(dir, "shared", "data")); err == nil && st.IsDir() {
			return filepath.Join(dir, "shared", "data")
		}
		up := filepath.Dir(dir)
		if up == dir {
			return ""
		}
		dir = up
	}
}
