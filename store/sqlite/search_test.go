package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/storyline/storyline/store"
)

func TestSearchWithNothingSearchable(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, q := range []string{"*", "(", "AND OR NOT", `""`, "  "} {
		res, err := s.Search(ctx, q, store.Filter{})
		if err != nil || len(res) != 0 {
			t.Errorf("Search(%q) = %v, %v; want no results and no error", q, res, err)
		}
	}
	for q, want := range map[string]string{`a b`: `"a" "b"`, `"x y" OR z*`: `"x y" OR "z"*`, `OR a`: `"a"`, `a AND`: `"a"`, `(tarnholm)`: `"(tarnholm)"`} {
		if got := ftsQuery(q); got != want {
			t.Errorf("ftsQuery(%q) = %s, want %s", q, got, want)
		}
	}
}
