package gen

import (
	"errors"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/internal/corpora"
)

// SharedArticles generates n articles (see Articles) from the JSONL
// corpora under corpora.Data.
func SharedArticles(n int, seed uint64) ([]article.Article, error) {
	dir := corpora.Data()
	if dir == "" {
		return nil, errors.New("no shared corpora (set SHARED to the directory holding data/)")
	}
	pools, err := LoadJSONL(dir)
	if err != nil {
		return nil, err
	}
	return Articles(pools, n, seed), nil
}
