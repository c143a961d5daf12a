package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/store"
)

// loadArticles writes n synthetic articles (fictional towns, people and
// happenings; 5 reports per happening from different outlets, published
// over about a year) with a fixed seed.
func loadArticles(n int) []article.Article {
	r := rand.New(rand.NewPCG(7, 11))
	towns := []string{"Velmora", "Orsk", "Vensk", "Tarnholm", "Korvedal", "Lindqvist", "Halden", "Marrow Bay", "Estergaard", "Pellin"}
	people := []string{"Mira Talvik", "Jonas Feldt", "Greta Nyland", "Hendrik Saar", "Oskar Lindahl", "Elsa Varnholt", "Teodor Vallin", "Sabine Korell"}
	what := []struct{ head, lead, more string }{
		{"Fire destroys %s warehouse", "A fire destroyed a warehouse in %s on %s, officials said.", "Firefighters from three districts fought the blaze for %d hours before bringing it under control."},
		{"%s council approves new bridge", "The council of %s approved plans for a new bridge across the river on %s.", "The bridge will cost %d million crowns and open in three years, the council said."},
		{"Storm cuts power across %s", "A storm cut power to thousands of homes in %s on %s.", "Repair crews restored power to %d households by the evening, the grid operator said."},
		{"Teachers strike in %s", "Teachers in %s walked out on %s over pay.", "The union said %d schools were closed and talks would resume next week."},
		{"%s port reopens after dredging", "The port of %s reopened to shipping on %s after months of dredging.", "The harbour master said %d vessels were waiting to enter."},
	}
	outlets := []string{"Nordwire", "Ostrava Daily Courier", "The Northern Ledger", "Riverside Gazette", "Halvland Morning Post", "Vensk Herald"}
	start := time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC)
	out := make([]article.Article, 0, n)
	for h := 0; len(out) < n; h++ {
		w := what[r.IntN(len(what))]
		town := towns[r.IntN(len(towns))]
		person := people[r.IntN(len(people))]
		day := start.Add(time.Duration(h) * 8 * time.Hour)
		num := 2 + r.IntN(400)
		for k := 0; k < 5 && len(out) < n; k++ {
			pub := day.Add(time.Duration(k) * 37 * time.Minute)
			wd := day.Weekday().String()
			text := fmt.Sprintf(w.lead, town, wd) + "\n" + fmt.Sprintf(w.more, num) + "\n" +
				fmt.Sprintf("%s, who spoke to reporters in %s, said the town would need time to recover. Report %d of %d.", person, town, k+1, h)
			out = append(out, article.Article{
				ID:        fmt.Sprintf("load-%d-%d", h, k),
				Title:     fmt.Sprintf(w.head, town),
				Text:      text,
				Source:    outlets[(h+k)%len(outlets)],
				URL:       fmt.Sprintf("https://news.example/%d/%d", h, k),
				Published: pub,
			})
		}
	}
	return out
}

// latencies collects request durations safely.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) { l.mu.Lock(); l.d = append(l.d, d); l.mu.Unlock() }

func (l *latencies) pct(p float64) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.d) == 0 {
		return 0
	}
	s := slices.Clone(l.d)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

// TestLoad has 16 clients ingest articles over HTTP while 4 others read,
// then checks that nothing was lost or changed. 1,000 articles by default
// (CI); STORYLINE_LOAD_N=10000 for the full run recorded in bench/server.md.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test skipped in -short mode")
	}
	n := 1000
	if v := os.Getenv("STORYLINE_LOAD_N"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			t.Fatalf("STORYLINE_LOAD_N=%q", v)
		}
	}
	const writers, readers, batch = 16, 4, 25
	ts := startServer(t, Options{})
	arts := loadArticles(n)
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Minute)
	defer cancel()
	client := &http.Client{Timeout: 5 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

	var ingestLat, readLat latencies
	var errMu sync.Mutex
	var errs []string
	fail := func(format string, args ...any) {
		errMu.Lock()
		if len(errs) < 20 {
			errs = append(errs, fmt.Sprintf(format, args...))
		}
		errMu.Unlock()
	}
	// Batches go out in publication order, spread over the writers.
	jobs := make(chan []article.Article)
	go func() {
		defer close(jobs)
		for i := 0; i < len(arts); i += batch {
			select {
			case jobs <- arts[i:min(i+batch, len(arts))]:
			case <-ctx.Done():
				return
			}
		}
	}()
	t0 := time.Now()
	var wg sync.WaitGroup
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for part := range jobs {
				body := ndjson(t, part)
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+"/api/articles", strings.NewReader(string(body)))
				req.Header.Set("Content-Type", "application/x-ndjson")
				s := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					fail("ingest: %v", err)
					continue
				}
				var res IngestResponse
				json.NewDecoder(resp.Body).Decode(&res)
				resp.Body.Close()
				ingestLat.add(time.Since(s))
				if resp.StatusCode != 200 || res.Accepted != len(part) {
					fail("ingest: %d %+v", resp.StatusCode, res)
				}
			}
		}()
	}
	done := make(chan struct{})
	var rwg sync.WaitGroup
	paths := []string{"/api/stories?limit=20", "/api/events?limit=50", "/api/search?q=bridge", "/healthz", "/", "/api/entities?limit=20"}
	for i := range readers {
		rwg.Add(1)
		go func() {
			defer rwg.Done()
			for k := i; ; k++ {
				select {
				case <-done:
					return
				default:
				}
				p := paths[k%len(paths)]
				s := time.Now()
				resp, err := client.Get(ts.URL + p)
				if err != nil {
					fail("GET %s: %v", p, err)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				readLat.add(time.Since(s))
				if resp.StatusCode != 200 {
					fail("GET %s: %d", p, resp.StatusCode)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(t0)
	close(done)
	rwg.Wait()
	if ctx.Err() != nil {
		t.Fatalf("load test ran out of time after %v", elapsed)
	}
	for _, e := range errs {
		t.Error(e)
	}
	// Nothing lost: every article stored once, with the text sent.
	var h map[string]any
	ts.getJSON(t, "/healthz", &h)
	if h["articles"] != float64(n) {
		t.Errorf("store holds %v articles, sent %d", h["articles"], n)
	}
	resp, err := client.Get(ts.URL + "/api/export?format=jsonl&what=articles")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]store.Article{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var a store.Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatal(err)
		}
		got[a.ID] = a
	}
	resp.Body.Close()
	bad := 0
	for _, a := range arts {
		g, ok := got[a.ID]
		if !ok || g.Title != a.Title || g.Text != article.NormalizeText(a.Text) || g.Source != a.Source || !g.Published.Equal(a.Published) || g.Event == "" {
			if bad++; bad <= 3 {
				t.Errorf("article %s lost or changed: %+v", a.ID, g)
			}
		}
	}
	if len(got) != n {
		t.Errorf("export lists %d articles, want %d", len(got), n)
	}
	var evs, sts []json.RawMessage
	ts.getJSON(t, "/api/events?limit=1000", &evs)
	ts.getJSON(t, "/api/stories?limit=1000", &sts)
	_, metrics := ts.getBody(t, "/metrics")
	batches := ""
	for _, l := range strings.Split(metrics, "\n") {
		if strings.HasPrefix(l, "storyline_ingest_batches_total") {
			batches = strings.Fields(l)[1]
		}
	}
	report := fmt.Sprintf("articles %d, writers %d x %d per request, readers %d: %.1fs, %.0f articles/s, %s commits; "+
		"ingest request p50 %v p99 %v (%d requests); read p50 %v p99 %v (%d requests); %d+ events, %d+ storylines",
		n, writers, batch, readers, elapsed.Seconds(), float64(n)/elapsed.Seconds(), batches,
		ingestLat.pct(0.5).Round(time.Millisecond), ingestLat.pct(0.99).Round(time.Millisecond), len(ingestLat.d),
		readLat.pct(0.5).Round(time.Millisecond), readLat.pct(0.99).Round(time.Millisecond), len(readLat.d), len(evs), len(sts))
	t.Log(report)
	if p := os.Getenv("STORYLINE_LOAD_REPORT"); p != "" {
		os.WriteFile(p, []byte(report+"\n"), 0o644)
	}
}
