package queue

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/internal/gen"
	"github.com/storyline/storyline/pipeline"
	"github.com/storyline/storyline/store"
	"github.com/storyline/storyline/store/sqlite"
)

// startServer runs an embedded NATS server with JetStream on file
// storage under dir, on a free port.
func startServer(t *testing.T, dir string) *server.Server {
	t.Helper()
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: dir, NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats server not ready")
	}
	t.Cleanup(ns.Shutdown)
	return ns
}

// corpus is a stream of our own sentences: three situations, several
// stories each, dated over a year.
func corpus(n int) []article.Article {
	var pool []string
	for i := 0; i < 60; i++ {
		pool = append(pool, fmt.Sprintf("Officials in Town%d reported that the river %d rose overnight near bridge %d.", i%7, i, i*3))
	}
	arts := gen.Articles(gen.Pools{pool[:20], pool[20:40], pool[40:]}, n, 7)
	pipeline.SortForStream(arts)
	return arts
}

func TestPublishIsIdempotent(t *testing.T) {
	ctx := context.Background()
	ns := startServer(t, t.TempDir())
	c, err := Connect(ctx, Config{URL: ns.ClientURL(), Stream: "S1", Subject: "s1.articles"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	arts := corpus(50)
	st, err := c.Publish(ctx, arts)
	if err != nil || st.Published != 50 || st.Duplicates != 0 {
		t.Fatalf("first publish: %+v %v", st, err)
	}
	// The same articles again: dropped by the server's de-duplication.
	arts[3].Text += " Updated."
	st, err = c.Publish(ctx, arts)
	if err != nil || st.Published != 1 || st.Duplicates != 49 {
		t.Fatalf("republish with one change: %+v %v", st, err)
	}
	// A second connection finds the stream instead of failing to create it.
	c2, err := Connect(ctx, Config{URL: ns.ClientURL(), Stream: "S1", Subject: "s1.articles"})
	if err != nil {
		t.Fatal(err)
	}
	c2.Close()
}

// TestFetchAckRedeliver: what is not acknowledged comes back, in stream
// order and decoded exactly as published; what is acknowledged does not.
func TestFetchAckRedeliver(t *testing.T) {
	ctx := context.Background()
	ns := startServer(t, t.TempDir())
	c, err := Connect(ctx, Config{URL: ns.ClientURL(), AckWait: 2 * time.Second, MaxAckPending: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	arts := corpus(25)
	arts[0].Published = time.Date(2025, 3, 11, 9, 30, 0, 0, time.FixedZone("", -5*3600))
	arts[0].Extra = map[string]string{"event": "x"}
	if _, err := c.Publish(ctx, arts); err != nil {
		t.Fatal(err)
	}
	k, err := c.Consumer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := k.Fetch(ctx, 100, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 10 {
		t.Fatalf("fetched %d, want 10 (max ack pending)", len(ms))
	}
	want, _ := json.Marshal(arts[0])
	got, _ := json.Marshal(ms[0].Article)
	if string(got) != string(want) || ms[0].Seq != 1 {
		t.Errorf("round trip:\n got %s\nwant %s", got, want)
	}
	if _, off := ms[0].Article.Published.Zone(); off != -5*3600 {
		t.Errorf("publisher offset lost: %v", ms[0].Article.Published)
	}
	for i := range 5 {
		if err := ms[i].Ack(ctx); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(2200 * time.Millisecond)
	ms2, err := k.Fetch(ctx, 5, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms2) != 5 || ms2[0].Seq != 6 || ms2[4].Seq != 10 || ms2[0].Delivered != 2 {
		var seqs []uint64
		for _, m := range ms2 {
			seqs = append(seqs, m.Seq)
		}
		t.Errorf("redelivered %v, want seqs 6..10 delivered twice", seqs)
	}
	p, u, err := k.Backlog(ctx)
	if err != nil || p != 15 || u != 5 {
		t.Errorf("backlog = %d pending, %d unacked (%v); want 15, 5", p, u, err)
	}
}

// eventsJSON is every clustering decision the store lists: events (id,
// storyline, date, articles, sources) and storylines (id, span, events,
// articles). Headlines and summaries are left out: summary.Summarize sums
// floats in map order, so ties between identical sentences are not broken
// the same way twice even by two runs of the embedded ingest.
func eventsJSON(t *testing.T, st store.Store) string {
	t.Helper()
	ctx := context.Background()
	evs, err := st.Events(ctx, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	sts, err := st.Stories(ctx, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range evs {
		evs[i].Headline, evs[i].Summary = "", nil
	}
	for i := range sts {
		sts[i].Title = ""
	}
	b, _ := json.Marshal(struct {
		E []store.Event
		S []store.Story
	}{evs, sts})
	return string(b)
}

// TestWorkerMatchesIngest: the stream consumed by a worker gives the same
// events and storylines as `storyline ingest` on the same articles, and a
// redelivered stream stores nothing twice.
func TestWorkerMatchesIngest(t *testing.T) {
	ctx := context.Background()
	arts := corpus(2500)
	// The embedded path, as cmd/storyline ingest runs it.
	ref, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "ref.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	in, err := pipeline.NewIngester(ctx, ref, pipeline.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var batches [][]article.Article
	for i := 0; i < len(arts); i += 1000 {
		batches = append(batches, arts[i:min(i+1000, len(arts))])
	}
	if err := in.Stream(ctx, batches, nil); err != nil {
		t.Fatal(err)
	}
	if err := in.Close(ctx); err != nil {
		t.Fatal(err)
	}

	ns := startServer(t, t.TempDir())
	c, err := Connect(ctx, Config{URL: ns.ClientURL(), AckWait: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Publish(ctx, arts); err != nil {
		t.Fatal(err)
	}
	k, err := c.Consumer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w := NewWorker(k, st, WorkerOptions{ExitWhenIdle: true, Idle: 300 * time.Millisecond, Ingest: pipeline.DefaultOptions()})
	rctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := w.Run(rctx); err != nil {
		t.Fatal(err)
	}
	if w.Stats.New != len(arts) || w.Stats.Batches != 3 || !w.Stats.Led {
		t.Errorf("worker stats %+v, want %d new in 3 batches", w.Stats, len(arts))
	}
	if a, b := eventsJSON(t, ref), eventsJSON(t, st); a != b {
		os.WriteFile(filepath.Join(os.TempDir(), "ev_ref.json"), []byte(a), 0o644)
		os.WriteFile(filepath.Join(os.TempDir(), "ev_worker.json"), []byte(b), 0o644)
		t.Errorf("worker events differ from ingest events (%d vs %d bytes; see ev_ref.json, ev_worker.json in %s)", len(a), len(b), os.TempDir())
	}
	// Everything again (a full redelivery): nothing changes.
	c2, _ := Connect(ctx, Config{URL: ns.ClientURL(), Consumer: "again"})
	defer c2.Close()
	k2, err := c2.Consumer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	before := eventsJSON(t, st)
	w2 := NewWorker(k2, st, WorkerOptions{ExitWhenIdle: true, Idle: 300 * time.Millisecond, Ingest: pipeline.DefaultOptions()})
	if err := w2.Run(rctx); err != nil {
		t.Fatal(err)
	}
	if w2.Stats.Unchanged != len(arts) || w2.Stats.New != 0 {
		t.Errorf("redelivered stream: %+v, want all unchanged", w2.Stats)
	}
	if n, _, _, _ := st.Counts(ctx); n != len(arts) {
		t.Errorf("articles %d, want %d", n, len(arts))
	}
	if eventsJSON(t, st) != before {
		t.Error("a redelivered stream changed the events")
	}
}

func TestFileLeased(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	open := func() store.Store {
		s, err := sqlite.Open(ctx, filepath.Join(dir, "s.db"))
		if err != nil {
			t.Fatal(err)
		}
		return FileLeased(s, filepath.Join(dir, "s.db.lock"))
	}
	a, b := open(), open()
	defer b.Close()
	if ok, err := a.(Leaser).TryLead(ctx, "x"); !ok || err != nil {
		t.Fatalf("first: %v %v", ok, err)
	}
	if ok, err := b.(Leaser).TryLead(ctx, "x"); ok || err != nil {
		t.Fatalf("second leader admitted: %v %v", ok, err)
	}
	a.Close()
	if ok, err := b.(Leaser).TryLead(ctx, "x"); !ok || err != nil {
		t.Fatalf("lock not released: %v %v", ok, err)
	}
}
