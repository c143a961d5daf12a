// Package server is storyline's HTTP face: a JSON API over the store, an
// ingest endpoint (one JSON article or an NDJSON batch) feeding the one
// pipeline.Ingester the server owns, Prometheus metrics, server-sent
// events for live updates, and a web UI (storylines, SVG timelines, events
// with their sources and copied passages, entities, search) whose
// templates, styles and script are embedded in the binary.
//
// Article text is hostile input: every page is rendered by html/template,
// the Content-Security-Policy allows only the server's own script and
// styles, SQL is parameterized, and failures answer a generic message
// while the details go to the log.
package server

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/storyline/storyline/pipeline"
	"github.com/storyline/storyline/store"
)

// Options configure a Server.
type Options struct {
	// Store answers every read. Required.
	Store store.Store
	// Ingester takes the articles POSTed to /api/articles; nil makes the
	// server read-only (POST answers 503). The server owns it from New on
	// and closes it in Shutdown.
	Ingester *pipeline.Ingester
	// Token, when set, must be sent as "Authorization: Bearer TOKEN" with
	// every write request.
	Token string
	// MaxBody bounds an ingest request body in bytes (default 32 MiB).
	MaxBody int64
	// MaxArticles bounds the articles of one ingest request (default 10,000).
	MaxArticles int
	// IngestTimeout bounds how long an ingest request waits for its batch
	// to be committed (default 2 minutes).
	IngestTimeout time.Duration
	// Logger receives request errors and panics (default slog.Default()).
	Logger *slog.Logger
}

// Server serves the API and the web UI. Create it with New, mount
// Handler, and call Shutdown when done.
type Server struct {
	opt    Options
	st     store.Store
	log    *slog.Logger
	m      *metrics
	worker *ingestWorker
	live   *broker
	mux    *http.ServeMux
	pages  *pages
}

// New builds a Server.
func New(opt Options) (*Server, error) {
	if opt.Store == nil {
		return nil, errors.New("server: no store")
	}
	if opt.MaxBody <= 0 {
		opt.MaxBody = 32 << 20
	}
	if opt.MaxArticles <= 0 {
		opt.MaxArticles = 10000
	}
	if opt.IngestTimeout <= 0 {
		opt.IngestTimeout = 2 * time.Minute
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	pg, err := loadPages()
	if err != nil {
		return nil, err
	}
	s := &Server{opt: opt, st: opt.Store, log: opt.Logger, m: newMetrics(), live: newBroker(), pages: pg}
	if opt.Ingester != nil {
		s.worker = newIngestWorker(opt.Ingester, opt.Store, s.m, s.log, s.committed)
	}
	s.registerGauges()
	s.routes()
	return s, nil
}

// committed is called by the ingest worker after each committed batch.
func (s *Server) committed(ev IngestEvent) { s.live.publish(ev) }

func (s *Server) registerGauges() {
	counts := func(i int) func() float64 {
		return func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			a, e, st, err := s.st.Counts(ctx)
			if err != nil {
				return -1
			}
			return float64([]int{a, e, st}[i])
		}
	}
	s.m.gaugeFunc("storyline_store_articles", "Articles in the store.", counts(0))
	s.m.gaugeFunc("storyline_store_events", "Events in the store.", counts(1))
	s.m.gaugeFunc("storyline_store_stories", "Storylines in the store.", counts(2))
	s.m.gaugeFunc("storyline_live_subscribers", "Open server-sent event streams.", func() float64 { return float64(s.live.count()) })
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.recoverer(s.headers(s.mux)) }

// Shutdown ends the live streams, finishes the queued ingest jobs and
// closes the ingester (final settle and snapshot). Call it after the
// http.Server stopped taking requests.
func (s *Server) Shutdown(ctx context.Context) error {
	s.live.close()
	if s.worker != nil {
		return s.worker.close(ctx)
	}
	return nil
}

// CheckBind refuses to listen beyond loopback without a token: anyone who
// can reach the port could write otherwise.
func CheckBind(addr, token string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q: %w", addr, err)
	}
	if token != "" {
		return nil
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("listening on %q (beyond loopback) needs an API token for writes: pass --token or set STORYLINE_TOKEN", addr)
}

// Run serves on ln until ctx ends, then shuts down gracefully: no new
// connections, in-flight requests get up to grace to finish, then the
// Server's own Shutdown.
func Run(ctx context.Context, ln net.Listener, s *Server, grace time.Duration) error {
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // large NDJSON bodies
		WriteTimeout:      0,               // the event stream is long-lived; handlers bound their own work
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	hs.RegisterOnShutdown(s.live.close)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := hs.Shutdown(sctx)
	if err2 := s.Shutdown(sctx); err == nil {
		err = err2
	}
	return err
}

// headers sets the security headers on every answer.
func (s *Server) headers(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Frame-Options", "DENY")
		h.ServeHTTP(w, r)
	})
}

// recoverer turns a panic into a plain 500: the stack goes to the log,
// never to the client.
func (s *Server) recoverer(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				s.m.add("storyline_http_panics_total", "Requests that panicked.", 1)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		h.ServeHTTP(w, r)
	})
}

// authorized checks the bearer token of a write request.
func (s *Server) authorized(r *http.Request) bool {
	if s.opt.Token == "" {
		return true
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(got), []byte(s.opt.Token)) == 1
}

// statusWriter remembers the status code for metrics.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(c int) {
	if w.code == 0 {
		w.code = c
	}
	w.ResponseWriter.WriteHeader(c)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the Flusher.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// handle registers a route with request metrics labelled by its pattern.
func (s *Server) handle(pattern string, h http.HandlerFunc) {
	route := pattern
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		t0 := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h(sw, r)
		code := sw.code
		if code == 0 {
			code = http.StatusOK
		}
		s.m.add("storyline_http_requests_total", "HTTP requests by route and status code.", 1, "route", route, "code", fmt.Sprint(code))
		s.m.since("storyline_http_request_seconds", "HTTP request latency by route.", t0, "route", route)
	})
}

func (s *Server) routes() {
	s.mux = http.NewServeMux()
	// API.
	s.handle("POST /api/articles", s.apiIngest)
	s.handle("GET /api/articles/{id}", s.apiArticle)
	s.handle("GET /api/articles/{id}/reuse", s.apiArticleReuse)
	s.handle("GET /api/stories", s.apiStories)
	s.handle("GET /api/stories/{id}", s.apiStory)
	s.handle("GET /api/stories/{id}/timeline", s.apiTimeline)
	s.handle("GET /api/events", s.apiEvents)
	s.handle("GET /api/events/{id}", s.apiEvent)
	s.handle("GET /api/entities", s.apiEntities)
	s.handle("GET /api/entities/{id}", s.apiEntity)
	s.handle("GET /api/search", s.apiSearch)
	s.handle("GET /api/export", s.apiExport)
	s.handle("GET /api/live", s.apiLive)
	s.handle("GET /healthz", s.healthz)
	s.handle("GET /metrics", s.metrics)
	s.handle("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.jsonError(w, http.StatusNotFound, "no such endpoint")
	})
	// Web UI.
	s.handle("GET /{$}", s.uiStories)
	s.handle("GET /stories/{id}", s.uiStory)
	s.handle("GET /events/{id}", s.uiEvent)
	s.handle("GET /articles/{id}", s.uiArticle)
	s.handle("GET /entities", s.uiEntities)
	s.handle("GET /entities/{id}", s.uiEntity)
	s.handle("GET /search", s.uiSearch)
	s.handle("GET /assets/", s.assets)
	s.handle("/", func(w http.ResponseWriter, r *http.Request) {
		s.uiError(w, r, http.StatusNotFound, "Page not found")
	})
}
