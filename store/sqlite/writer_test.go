package sqlite

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/store"
)

// TestWriterConnection: commits run on the writer's one connection while
// reads go on concurrently (on it when it is idle, on the read pool when a
// commit holds it); full multi-row statements are prepared for good after
// their first transaction; nothing deadlocks and every read sees whole
// batches.
func TestWriterConnection(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s := openTest(t)
	const batches, per = 12, 2*rowsPerInsert + 3 // full statements and a partial one
	batch := func(k int) *store.Batch {
		b := &store.Batch{}
		for i := range per {
			id := fmt.Sprintf("b%02d-%03d", k, i)
			b.Articles = append(b.Articles, store.Article{Article: article.Article{ID: id, Text: "Report number " + id + "."},
				Hash: uint64(k*1000 + i + 1), Seq: int64(k*per + i + 1), Event: fmt.Sprintf("E%02d", k)})
		}
		b.Events = []store.Event{{ID: fmt.Sprintf("E%02d", k), Story: "S1", Size: per}}
		return b
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	done := make(chan struct{})
	for r := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				k := (i + r) % batches
				arts, err := s.EventArticles(ctx, fmt.Sprintf("E%02d", k), 0)
				if err != nil {
					errs <- err
					return
				}
				if n := len(arts); n != 0 && n != per {
					errs <- fmt.Errorf("event E%02d read with %d articles, want 0 or %d (a half-written batch)", k, n, per)
					return
				}
				ids := []string{fmt.Sprintf("b%02d-000", k), fmt.Sprintf("b%02d-%03d", k, per-1)}
				h, err := s.Hashes(ctx, ids)
				if err != nil {
					errs <- err
					return
				}
				if len(h) == 1 {
					errs <- fmt.Errorf("batch %d half visible: %v", k, h)
					return
				}
			}
		}()
	}
	for k := range batches {
		if err := s.Commit(ctx, batch(k)); err != nil {
			t.Fatal(err)
		}
		if k == 0 {
			s.mu.Lock()
			n := 0
			for key := range s.stmts {
				if key.db == s.w {
					n++
				}
			}
			later := len(s.later)
			s.mu.Unlock()
			if n == 0 || later != 0 {
				t.Errorf("after the first commit: %d writer statements prepared, %d left for later; want some and none", n, later)
			}
		}
	}
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for k := range batches {
		arts, err := s.EventArticles(ctx, fmt.Sprintf("E%02d", k), 0)
		if err != nil || len(arts) != per {
			t.Fatalf("event E%02d: %d articles (%v), want %d", k, len(arts), err, per)
		}
	}
	if st := s.w.Stats(); st.OpenConnections != 1 {
		t.Errorf("writer pool holds %d connections, want 1", st.OpenConnections)
	}
}
