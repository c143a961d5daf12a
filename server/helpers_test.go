package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/pipeline"
	"github.com/storyline/storyline/store/sqlite"
)

// testServer is a real server on 127.0.0.1 over a fresh SQLite file.
type testServer struct {
	URL   string
	srv   *Server
	stop  context.CancelFunc
	done  chan error
	token string
}

// startServer starts a server with its own reading and writing stores,
// as `storyline serve` does, and stops it when the test ends.
func startServer(t testing.TB, opt Options) *testServer {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "serve.db")
	rd, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	wr, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	in, err := pipeline.NewIngester(ctx, wr, pipeline.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	opt.Store, opt.Ingester = rd, in
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	srv, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	ts := &testServer{URL: "http://" + ln.Addr().String(), srv: srv, stop: cancel, done: make(chan error, 1), token: opt.Token}
	go func() { ts.done <- Run(rctx, ln, srv, 20*time.Second) }()
	t.Cleanup(func() {
		ts.close(t)
		rd.Close()
		wr.Close()
	})
	return ts
}

// close shuts the server down gracefully (once).
func (ts *testServer) close(t testing.TB) {
	if ts.stop == nil {
		return
	}
	ts.stop()
	ts.stop = nil
	select {
	case err := <-ts.done:
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("server shutdown: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Errorf("server did not shut down")
	}
}

// post sends body to /api/articles and decodes the answer.
func (ts *testServer) post(t testing.TB, ctype string, body []byte) (int, IngestResponse) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/articles", bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	if ts.token != "" {
		req.Header.Set("Authorization", "Bearer "+ts.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out IngestResponse
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &out)
	return resp.StatusCode, out
}

// getJSON fetches path and decodes it into v, returning the status.
func (ts *testServer) getJSON(t testing.TB, path string, v any) int {
	t.Helper()
	resp, err := http.Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil && resp.StatusCode == 200 {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
	return resp.StatusCode
}

// getBody fetches path and returns status and body.
func (ts *testServer) getBody(t testing.TB, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// ndjson encodes articles one per line, as a client would send them.
func ndjson(t testing.TB, arts []article.Article) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, a := range arts {
		m := map[string]any{"id": a.ID, "title": a.Title, "text": a.Text, "url": a.URL, "source": a.Source, "lang": a.Lang}
		if !a.Published.IsZero() {
			m["published"] = a.Published.Format(time.RFC3339)
		}
		line, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// demoArticles reads the bundled demo corpus.
func demoArticles(t testing.TB) []article.Article {
	t.Helper()
	var arts []article.Article
	err := article.ReadPaths(context.Background(), []string{"../demo/articles"}, article.Sink{
		Article: func(a article.Article) error { arts = append(arts, a); return nil },
		Reject:  func(r article.Rejection) { t.Errorf("demo: %v", r) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) < 20 {
		t.Fatalf("demo corpus: %d articles", len(arts))
	}
	return arts
}

// tWriter sends server logs to the test log.
type tWriter struct{ t testing.TB }

func (w tWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}
