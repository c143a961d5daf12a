package gen

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/storyline/storyline/article"
)

// SharedData returns the data directory of the shared corpora that tests
// and benchmarks read: $SHARED/data when SHARED is set, else the first
// shared/data found going up from the working directory (the corpora sit
// in ../shared beside a clone, and tests run in their package's
// directory); "" when there is none.
func SharedData() string {
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

// SharedArticles generates n articles (see Articles) from the JSONL
// corpora under SharedData.
func SharedArticles(n int, seed uint64) ([]article.Article, error) {
	dir := SharedData()
	if dir == "" {
		return nil, errors.New("no shared corpora (set SHARED to the directory holding data/)")
	}
	pools, err := LoadJSONL(dir)
	if err != nil {
		return nil, err
	}
	return Articles(pools, n, seed), nil
}
