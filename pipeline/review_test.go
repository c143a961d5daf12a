package pipeline

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/store"
)

// TestEventWithArticlesBeyondFirstIsKept: an event of more than
// maxSummaryArticles stored articles whose first maxSummaryArticles (in
// seq order) leave it in one batch still holds its later articles; its
// summary sees no article (it reads only the first ones), but the event
// must not be removed (b.Gone) while articles still point to it.
func TestEventWithArticlesBeyondFirstIsKept(t *testing.T) {
	ctx := context.Background()
	st, in := newTestIngester(t)
	n := maxSummaryArticles + 1
	first := &store.Batch{}
	for i := range n {
		day := time.Date(2025, 3, 1, 0, 0, i, 0, time.UTC)
		first.Articles = append(first.Articles, store.Article{
			Article: article.Article{ID: fmt.Sprintf("a%02d", i), Title: fmt.Sprintf("Title %d", i),
				Text: fmt.Sprintf("Some text number %d about the flood in Velmora.", i), Published: day},
			Hash: uint64(i + 1), Seq: int64(i + 1), Event: "E"})
	}
	first.Articles = append(first.Articles, store.Article{
		Article: article.Article{ID: "f0", Title: "Other", Text: "Other text about the dam.", Published: time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC)},
		Hash:    99, Seq: int64(n + 1), Event: "F"})
	first.Events = []store.Event{{ID: "E", Story: "S", Headline: "E", Size: n}, {ID: "F", Story: "S", Headline: "F", Size: 1}}
	if err := st.Commit(ctx, first); err != nil {
		t.Fatal(err)
	}
	// The next batch (as settle would make it): the first
	// maxSummaryArticles articles of E move to F; the last stays in E.
	b := &store.Batch{Moves: map[string]string{}}
	for i := range maxSummaryArticles {
		b.Moves[fmt.Sprintf("a%02d", i)] = "F"
	}
	job := &background{summarized: make(chan struct{}), done: make(chan struct{})}
	err := in.summarizeAndCommit(ctx, nil, job, b, []string{"E", "F"},
		map[string]string{"E": "S", "F": "S"}, map[string]int{"E": 1, "F": maxSummaryArticles + 1}, []string{"E", "F"})
	if err != nil {
		t.Fatal(err)
	}
	last, err := st.Article(ctx, fmt.Sprintf("a%02d", n-1))
	if err != nil {
		t.Fatal(err)
	}
	if last.Event != "E" {
		t.Fatalf("the last article is in %s, want E", last.Event)
	}
	if ev, err := st.Event(ctx, "E"); err != nil {
		t.Errorf("event E was removed (b.Gone = %v) though article %s is still stored in it: %v", b.Gone, last.ID, err)
	} else if len(ev.Articles) != 1 {
		t.Errorf("event E lists %v", ev.Articles)
	}
}

// blockingCommits is a store whose commits wait for their context to end
// and return a little later; it counts the commits still running.
type blockingCommits struct {
	store.Store
	running atomic.Int32
}

func (s *blockingCommits) Commit(ctx context.Context, b *store.Batch) error {
	s.running.Add(1)
	defer s.running.Add(-1)
	<-ctx.Done()
	time.Sleep(300 * time.Millisecond)
	return ctx.Err()
}

// TestStreamCanceledWaitsForCommits: once Stream (or Close after it)
// returns, no commit of the Ingester may still be running: the caller
// closes the store next.
func TestStreamCanceledWaitsForCommits(t *testing.T) {
	st, _ := newTestIngester(t)
	bs := &blockingCommits{Store: st}
	in, err := NewIngester(context.Background(), bs, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var batches [][]article.Article
	for i, a := range genArticles(t, 4*(maxPendingCommits+4), 1) {
		if i%4 == 0 {
			batches = append(batches, nil)
		}
		batches[len(batches)-1] = append(batches[len(batches)-1], a)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		// Cancel once the background is full (maxPendingCommits commits
		// waiting, the next batch blocked on a slot).
		for bs.running.Load() == 0 {
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(time.Second)
		cancel()
	}()
	err = in.Stream(ctx, batches, nil)
	t.Logf("Stream: %v", err)
	if n := bs.running.Load(); n > 0 {
		t.Errorf("Stream returned with %d commits still running", n)
	}
	err = in.Close(context.Background())
	t.Logf("Close: %v", err)
	if n := bs.running.Load(); n > 0 {
		t.Errorf("Close returned with %d commits still running", n)
	}
	time.Sleep(time.Second) // let them end before the store closes
}
