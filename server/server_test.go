package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/store"
)

func TestIngestIdempotentAndUpdates(t *testing.T) {
	ts := startServer(t, Options{})
	arts := demoArticles(t)
	code, res := ts.post(t, "application/x-ndjson", ndjson(t, arts))
	if code != 200 || res.Accepted != len(arts) || res.Rejected != 0 {
		t.Fatalf("first ingest: %d %+v", code, res)
	}
	for _, r := range res.Results {
		if r.Status != StatusNew {
			t.Errorf("line %d (%s): %s, want new", r.Line, r.ID, r.Status)
		}
	}
	// The same batch again changes nothing.
	_, res = ts.post(t, "application/x-ndjson", ndjson(t, arts))
	for _, r := range res.Results {
		if r.Status != StatusUnchanged {
			t.Errorf("again: line %d (%s): %s, want unchanged", r.Line, r.ID, r.Status)
		}
	}
	// One changed article updates, as a single JSON object.
	a := arts[0]
	a.Text += "\nA later paragraph added by the editors."
	b := ndjson(t, []article.Article{a})
	code, res = ts.post(t, "application/json", bytes.TrimSpace(b))
	if code != 200 || len(res.Results) != 1 || res.Results[0].Status != StatusUpdated {
		t.Fatalf("update: %d %+v", code, res)
	}
	var got store.Article
	ts.getJSON(t, "/api/articles/"+a.ID, &got)
	if !strings.Contains(got.Text, "later paragraph") {
		t.Errorf("stored text not updated: %q", got.Text)
	}
	var h map[string]any
	ts.getJSON(t, "/healthz", &h)
	if h["articles"] != float64(len(arts)) {
		t.Errorf("healthz articles = %v, want %d", h["articles"], len(arts))
	}
}

func TestIngestBadLines(t *testing.T) {
	ts := startServer(t, Options{})
	body := strings.Join([]string{
		`{"id":"good-1","title":"Ferry line reopens","text":"The Halden ferry line reopened on Monday after repairs.","published":"2025-05-05"}`,
		`{"id":"broken", "title": "unterminated`,
		``,
		`{"id":"empty-1"}`,
		`{"id":"good-2","title":"Ferry fares rise","text":"Fares on the Halden ferry rose by a tenth on Tuesday.","published":"not a date"}`,
		`[1,2,3]`,
	}, "\n")
	code, res := ts.post(t, "application/x-ndjson", []byte(body))
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", code)
	}
	want := []struct {
		line   int
		status string
		warn   bool
	}{{1, StatusNew, false}, {2, StatusRejected, false}, {4, StatusRejected, false}, {5, StatusNew, true}, {6, StatusRejected, false}}
	if len(res.Results) != len(want) {
		t.Fatalf("results %+v", res.Results)
	}
	for i, w := range want {
		r := res.Results[i]
		if r.Line != w.line || r.Status != w.status || (r.Warning != "") != w.warn || (r.Status == StatusRejected) != (r.Error != "") {
			t.Errorf("result %d = %+v, want line %d %s warning=%v", i, r, w.line, w.status, w.warn)
		}
	}
	if !strings.HasPrefix(res.Error, "line 2:") || res.Accepted != 2 || res.Rejected != 3 {
		t.Errorf("summary: %+v", res)
	}
	for _, id := range []string{"good-1", "good-2"} {
		if code := ts.getJSON(t, "/api/articles/"+id, nil); code != 200 {
			t.Errorf("good line %s not stored: %d", id, code)
		}
	}
	// A single malformed JSON object is a plain 400.
	if code, res := ts.post(t, "application/json", []byte(`{"id": `)); code != http.StatusBadRequest || res.Rejected != 1 {
		t.Errorf("malformed single: %d %+v", code, res)
	}
}

func TestIngestLimits(t *testing.T) {
	ts := startServer(t, Options{MaxBody: 2000, MaxArticles: 3})
	big := ndjson(t, []article.Article{{ID: "big", Title: "Big", Text: strings.Repeat("All quiet on the river today. ", 100)}})
	if code, _ := ts.post(t, "application/x-ndjson", big); code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %d, want 413", code)
	}
	var many []article.Article
	for i := range 4 {
		many = append(many, article.Article{ID: fmt.Sprint("m", i), Title: "Short", Text: "A short note."})
	}
	if code, _ := ts.post(t, "application/x-ndjson", ndjson(t, many)); code != http.StatusRequestEntityTooLarge {
		t.Errorf("too many articles: %d, want 413", code)
	}
	var h map[string]any
	ts.getJSON(t, "/healthz", &h)
	if h["articles"] != float64(0) {
		t.Errorf("refused requests stored %v articles", h["articles"])
	}
}

func TestToken(t *testing.T) {
	ts := startServer(t, Options{Token: "s3cret"})
	body := ndjson(t, []article.Article{{ID: "t1", Title: "Tide", Text: "The tide came in."}})
	for _, c := range []struct {
		auth string
		want int
	}{{"", 401}, {"Bearer wrong", 401}, {"s3cret", 401}, {"Bearer s3cret", 200}} {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/articles", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/x-ndjson")
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("Authorization %q: %d, want %d", c.auth, resp.StatusCode, c.want)
		}
	}
	if code := ts.getJSON(t, "/api/articles/t1", nil); code != 200 {
		t.Errorf("reads need no token: %d", code)
	}
}

func TestCheckBind(t *testing.T) {
	for _, c := range []struct {
		addr, token string
		ok          bool
	}{
		{"127.0.0.1:8080", "", true}, {"localhost:8080", "", true}, {"[::1]:8080", "", true},
		{"0.0.0.0:8080", "", false}, {":8080", "", false}, {"192.168.1.5:80", "", false},
		{"0.0.0.0:8080", "tok", true}, {"nonsense", "", false},
	} {
		if err := CheckBind(c.addr, c.token); (err == nil) != c.ok {
			t.Errorf("CheckBind(%q, %q) = %v, want ok=%v", c.addr, c.token, err, c.ok)
		}
	}
}

// hostile is an article whose every field tries to inject markup.
var hostile = article.Article{
	ID:        `x"><script>alert(1)</script>`,
	Title:     `<script>alert("title")</script> Bridge <b>closed</b>`,
	Text:      "The bridge closed on Monday. <img src=x onerror=alert(1)>\n\"><svg onload=alert(2)> Traffic was diverted. <script>alert(3)</script>",
	Source:    `<i onmouseover=alert(4)>Evil Wire</i>`,
	URL:       `javascript:alert(5)`,
	Published: time.Date(2025, 6, 2, 8, 0, 0, 0, time.UTC),
}

func TestEscaping(t *testing.T) {
	ts := startServer(t, Options{})
	if code, res := ts.post(t, "application/x-ndjson", ndjson(t, []article.Article{hostile})); code != 200 {
		t.Fatalf("ingest: %d %+v", code, res)
	}
	var evs []store.Event
	ts.getJSON(t, "/api/events", &evs)
	if len(evs) != 1 {
		t.Fatalf("events: %d", len(evs))
	}
	id := strings.ReplaceAll(hostile.ID, `"`, "%22")
	pages := []string{"/", "/stories/" + evs[0].Story, "/events/" + evs[0].ID, "/articles/" + id,
		"/search?q=bridge", "/search?q=%3Cscript%3E", "/entities", "/nope/%3Cscript%3E"}
	bad := regexp.MustCompile(`(?i)<script>alert|<img src=x|<svg onload|<i onmouseover|<b>closed|href="javascript:`)
	for _, p := range pages {
		code, body := ts.getBody(t, p)
		if code >= 500 {
			t.Errorf("%s: %d", p, code)
		}
		if m := bad.FindString(body); m != "" {
			t.Errorf("%s: unescaped %q in page", p, m)
		}
	}
	_, body := ts.getBody(t, "/events/"+evs[0].ID)
	if !strings.Contains(body, "&lt;script&gt;alert(") || !strings.Contains(body, "&lt;img src=x onerror=alert(1)&gt;") {
		t.Error("event page does not show the hostile text as text")
	}
	resp, err := http.Get(ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP = %q", csp)
	}
}

// failingStore fails every listing with an error that must not reach the client.
type failingStore struct{ store.Store }

func (failingStore) Events(context.Context, store.Filter) ([]store.Event, error) {
	return nil, errors.New("SELECT secret FROM events: disk I/O error")
}

func TestNoInternalsToClients(t *testing.T) {
	ts := startServer(t, Options{})
	logs := &bytes.Buffer{}
	srv, err := New(Options{Store: failingStore{ts.srv.st}, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	for _, p := range []string{"/api/events", "/api/export?format=csv"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
		if rec.Code != 500 || strings.Contains(rec.Body.String(), "secret") || strings.Contains(rec.Body.String(), "SELECT") {
			t.Errorf("%s: %d %q", p, rec.Code, rec.Body.String())
		}
	}
	if !strings.Contains(logs.String(), "disk I/O error") {
		t.Error("the error was not logged")
	}
	// A panic answers a bare 500; the stack goes to the log only.
	rec := httptest.NewRecorder()
	srv.recoverer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom at server.go:42") })).
		ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "goroutine") || strings.Contains(rec.Body.String(), "boom") {
		t.Errorf("panic answer: %d %q", rec.Code, rec.Body.String())
	}
	if !strings.Contains(logs.String(), "goroutine") {
		t.Error("panic stack not logged")
	}
}

func TestReadAPI(t *testing.T) {
	ts := startServer(t, Options{})
	arts := demoArticles(t)
	ts.post(t, "application/x-ndjson", ndjson(t, arts))

	var stories []store.Story
	ts.getJSON(t, "/api/stories", &stories)
	if len(stories) < 2 {
		t.Fatalf("stories: %d", len(stories))
	}
	for i := 1; i < len(stories); i++ {
		if stories[i].End > stories[i-1].End {
			t.Errorf("stories not most recently active first: %s after %s", stories[i].End, stories[i-1].End)
		}
	}
	var st store.Story
	ts.getJSON(t, "/api/stories/"+stories[0].ID, &st)
	if st.ID != stories[0].ID || len(st.Events) != len(stories[0].Events) {
		t.Errorf("story %s: %+v", stories[0].ID, st)
	}
	// Paging: a Link to the next page while more remain.
	resp, err := http.Get(ts.URL + "/api/events?limit=2")
	if err != nil {
		t.Fatal(err)
	}
	var page1 []store.Event
	json.NewDecoder(resp.Body).Decode(&page1)
	resp.Body.Close()
	link := resp.Header.Get("Link")
	if len(page1) != 2 || !strings.Contains(link, "offset=2") {
		t.Errorf("page 1: %d events, Link %q", len(page1), link)
	}
	var all []store.Event
	ts.getJSON(t, "/api/events?limit=1000", &all)
	var page2 []store.Event
	ts.getJSON(t, "/api/events?limit=2&offset=2", &page2)
	if len(page2) == 0 || page2[0].ID != all[2].ID {
		t.Errorf("page 2 does not continue page 1")
	}
	// Date range and source filters.
	var march []store.Event
	ts.getJSON(t, "/api/events?from=2025-03-10&to=2025-03-20&limit=1000", &march)
	if len(march) == 0 || len(march) >= len(all) {
		t.Errorf("date filter: %d of %d", len(march), len(all))
	}
	for _, e := range march {
		if e.Date < "2025-03-10" || e.Date > "2025-03-20" {
			t.Errorf("event %s dated %s outside the range", e.ID, e.Date)
		}
	}
	var wire []store.Event
	ts.getJSON(t, "/api/events?source=Nordwire&limit=1000", &wire)
	if len(wire) == 0 || len(wire) == len(all) {
		t.Errorf("source filter: %d of %d", len(wire), len(all))
	}
	for _, e := range wire {
		if !strings.Contains(strings.Join(e.Sources, ","), "Nordwire") {
			t.Errorf("event %s has no Nordwire article: %v", e.ID, e.Sources)
		}
	}
	// Entities and the entity filter.
	var ents []store.Entity
	ts.getJSON(t, "/api/entities?type=per", &ents)
	if len(ents) == 0 {
		t.Fatal("no entities")
	}
	var d EntityDetail
	ts.getJSON(t, "/api/entities/"+ents[0].ID, &d)
	if d.Entity.ID != ents[0].ID || len(d.Events) == 0 || len(d.Stories) == 0 || len(d.CoOccurring) == 0 {
		t.Errorf("entity detail: %+v", d)
	}
	var withEnt []store.Event
	ts.getJSON(t, "/api/events?limit=1000&entity="+ents[0].ID, &withEnt)
	if len(withEnt) != len(d.Events) {
		t.Errorf("events?entity: %d, entity page lists %d", len(withEnt), len(d.Events))
	}
	// Errors.
	for p, want := range map[string]int{
		"/api/events?from=March": 400, "/api/events?limit=0": 400, "/api/events/nope": 404,
		"/api/stories/nope": 404, "/api/articles/nope": 404, "/api/entities/nope": 404,
		"/api/search": 400, "/api/export?format=xml": 400, "/api/nothing": 404, "/events/nope": 404,
	} {
		if code := ts.getJSON(t, p, nil); code != want {
			t.Errorf("%s: %d, want %d", p, code, want)
		}
	}
}

func TestSearch(t *testing.T) {
	ts := startServer(t, Options{})
	ts.post(t, "application/x-ndjson", ndjson(t, demoArticles(t)))
	var res SearchResult
	ts.getJSON(t, "/api/search?q=Sorvald", &res)
	if len(res.Articles) == 0 || len(res.Events) == 0 {
		t.Fatalf("search Sorvald: %+v", res)
	}
	for _, h := range res.Articles {
		var a store.Article
		ts.getJSON(t, "/api/articles/"+h.ID, &a)
		if !strings.Contains(a.Title+a.Text, "Sorvald") {
			t.Errorf("hit %s does not mention Sorvald", h.ID)
		}
	}
	var none SearchResult
	ts.getJSON(t, "/api/search?q=Sorvald&source=Riverside+Gazette", &none)
	if len(none.Articles) != 0 {
		t.Errorf("source filter: %d hits from the wrong source", len(none.Articles))
	}
	var evOnly SearchResult
	ts.getJSON(t, "/api/search?q=dam&kind=event", &evOnly)
	if len(evOnly.Articles) != 0 || len(evOnly.Events) == 0 {
		t.Errorf("kind=event: %+v", evOnly)
	}
	// Query syntax from users never breaks the query.
	for _, q := range []string{`"unclosed`, `AND OR NOT`, `*`, `a:b`, `(`, `'; DROP TABLE articles; --`, `dam OR`, `NOT dam`, `"" dam`, `dam*`} {
		if code := ts.getJSON(t, "/api/search?q="+urlq(q), nil); code != 200 {
			t.Errorf("q=%q: %d", q, code)
		}
	}
}

func urlq(s string) string {
	r := strings.NewReplacer("%", "%25", " ", "+", `"`, "%22", "'", "%27", ";", "%3B", "(", "%28", "*", "%2A", ":", "%3A")
	return r.Replace(s)
}

func TestExport(t *testing.T) {
	ts := startServer(t, Options{})
	arts := demoArticles(t)
	formula := article.Article{ID: "formula", Title: "=HYPERLINK(\"http://x\",\"click\")", Text: "@SUM(A1) plain text.", Published: time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)}
	ts.post(t, "application/x-ndjson", ndjson(t, append(arts, formula)))
	_, body := ts.getBody(t, "/api/export?format=csv&what=articles")
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(arts)+2 {
		t.Errorf("csv rows %d, want header + %d", len(rows), len(arts)+1)
	}
	for _, r := range rows {
		if r[0] == "formula" && (!strings.HasPrefix(r[4], "'=") || !strings.HasPrefix(r[7], "'@")) {
			t.Errorf("formula cells not defused: %q %q", r[4], r[7])
		}
	}
	_, body = ts.getBody(t, "/api/export?format=jsonl&what=events")
	var evs []store.Event
	ts.getJSON(t, "/api/events?limit=1000", &evs)
	sc := bufio.NewScanner(strings.NewReader(body))
	n := 0
	for sc.Scan() {
		var e store.Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.ID == "" {
			t.Errorf("jsonl line %d: %v", n+1, err)
		}
		n++
	}
	if n != len(evs) {
		t.Errorf("jsonl events %d, want %d", n, len(evs))
	}
	_, body = ts.getBody(t, "/api/export?format=csv&what=articles&source=Nordwire")
	rows, _ = csv.NewReader(strings.NewReader(body)).ReadAll()
	for _, r := range rows[1:] {
		if r[2] != "Nordwire" {
			t.Errorf("source filter let %q through", r[2])
		}
	}
}

var metricLine = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*")*\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)$`)

func TestMetrics(t *testing.T) {
	ts := startServer(t, Options{})
	arts := demoArticles(t)
	ts.post(t, "application/x-ndjson", ndjson(t, arts))
	ts.post(t, "application/x-ndjson", []byte("{broken\n"))
	ts.getBody(t, "/api/stories")
	_, body := ts.getBody(t, "/metrics")
	for _, want := range []string{
		fmt.Sprintf(`storyline_ingest_articles_total{status="new"} %d`, len(arts)),
		fmt.Sprintf("storyline_store_articles %d", len(arts)),
		`storyline_ingest_rejected_total{reason="malformed"} 1`,
		`storyline_ingest_batch_seconds_count 1`,
		`storyline_http_requests_total{route="GET /api/stories",code="200"} 1`,
		`storyline_http_request_seconds_bucket{route="POST /api/articles",le="+Inf"} 2`,
	} {
		if !strings.Contains(body, want+"\n") {
			t.Errorf("metrics lack %q", want)
		}
	}
	for _, l := range strings.Split(strings.TrimSpace(body), "\n") {
		if !strings.HasPrefix(l, "# ") && !metricLine.MatchString(l) {
			t.Errorf("bad exposition line %q", l)
		}
	}
}

func TestLiveEvents(t *testing.T) {
	ts := startServer(t, Options{})
	resp, err := http.Get(ts.URL + "/api/live")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	ts.post(t, "application/x-ndjson", ndjson(t, []article.Article{{ID: "l1", Title: "Snow", Text: "Snow fell on the pass."}}))
	timeout := time.After(10 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("stream ended")
			}
			if d, ok := strings.CutPrefix(l, "data: "); ok {
				var ev IngestEvent
				if err := json.Unmarshal([]byte(d), &ev); err != nil || ev.New != 1 || ev.Articles != 1 {
					t.Errorf("event %q", d)
				}
				// Shutdown must end the open stream promptly.
				t0 := time.Now()
				ts.close(t)
				if time.Since(t0) > 5*time.Second {
					t.Errorf("shutdown with an open stream took %v", time.Since(t0))
				}
				return
			}
		case <-timeout:
			t.Fatal("no ingest event")
		}
	}
}

func TestPagesRender(t *testing.T) {
	ts := startServer(t, Options{})
	ts.post(t, "application/x-ndjson", ndjson(t, demoArticles(t)))
	var evs []store.Event
	ts.getJSON(t, "/api/events", &evs)
	var ents []store.Entity
	ts.getJSON(t, "/api/entities", &ents)
	for _, p := range []string{"/", "/?source=Nordwire", "/?from=2025-04-01", "/stories/" + evs[0].Story, "/events/" + evs[0].ID,
		"/articles/" + evs[0].Articles[0], "/entities", "/entities?type=LOC&q=ve", "/entities/" + ents[0].ID,
		"/search", "/search?q=dam&kind=article&from=2025-03-01", "/assets/style.css", "/assets/app.js"} {
		code, body := ts.getBody(t, p)
		if code != 200 || len(body) < 100 {
			t.Errorf("%s: %d (%d bytes)", p, code, len(body))
		}
	}
	if code, body := ts.getBody(t, "/nope"); code != 404 || !strings.Contains(body, "Page not found") {
		t.Errorf("/nope: %d", code)
	}
}

var _ = io.Discard
