package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/storyline/storyline/store"
)

// Listing limits.
const (
	defaultLimit = 50
	maxLimit     = 1000
)

// listQuery is a listing's filters and page, from the URL query.
type listQuery struct {
	from, to       time.Time
	source, entity string
	limit, offset  int
}

// badRequest is an error whose text is safe to show the client.
type badRequest struct{ msg string }

func (e badRequest) Error() string { return e.msg }

func parseDate(v, name string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return t, badRequest{fmt.Sprintf("%s: want a date YYYY-MM-DD", name)}
	}
	return t, nil
}

func parseInt(v, name string, def, lo, hi int) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, badRequest{fmt.Sprintf("%s: want a whole number from %d to %d", name, lo, hi)}
	}
	return n, nil
}

func parseList(r *http.Request) (listQuery, error) {
	v := r.URL.Query()
	var q listQuery
	var err error
	if q.from, err = parseDate(v.Get("from"), "from"); err != nil {
		return q, err
	}
	if q.to, err = parseDate(v.Get("to"), "to"); err != nil {
		return q, err
	}
	if q.limit, err = parseInt(v.Get("limit"), "limit", defaultLimit, 1, maxLimit); err != nil {
		return q, err
	}
	if q.offset, err = parseInt(v.Get("offset"), "offset", 0, 0, 1<<30); err != nil {
		return q, err
	}
	q.source = strings.TrimSpace(v.Get("source"))
	q.entity = strings.TrimSpace(v.Get("entity"))
	return q, nil
}

// writeJSONTo writes v as JSON with the status code.
func writeJSONTo(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func (s *Server) jsonError(w http.ResponseWriter, code int, msg string) {
	writeJSONTo(w, code, map[string]string{"error": msg})
}

// fail answers an error: not found and bad requests by their message,
// anything else as a generic 500 (details to the log only).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := classify(err)
	if code == http.StatusInternalServerError {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	s.jsonError(w, code, msg)
}

func classify(err error) (int, string) {
	var br badRequest
	switch {
	case errors.As(err, &br):
		return http.StatusBadRequest, br.msg
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, "not found"
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "timed out"
	case errors.Is(err, errClosed):
		return http.StatusServiceUnavailable, errClosed.Error()
	}
	return http.StatusInternalServerError, "internal error"
}

// entityArticles returns the set of articles naming an entity.
func (s *Server) entityArticles(ctx context.Context, id string) (map[string]bool, error) {
	e, err := s.opt.Entities.Entity(ctx, id)
	if err != nil {
		return nil, err
	}
	set := make(map[string]bool, len(e.Articles))
	for _, a := range e.Articles {
		set[a] = true
	}
	return set, nil
}

func anyIn(ids []string, set map[string]bool) bool {
	for _, id := range ids {
		if set[id] {
			return true
		}
	}
	return false
}

// listEvents returns the events matching q (by date, as the store lists
// them) and the total before paging. The store filters by date; source
// and entity are filtered here.
func (s *Server) listEvents(ctx context.Context, q listQuery) ([]store.Event, int, error) {
	evs, err := s.st.Events(ctx, store.Filter{From: q.from, To: q.to})
	if err != nil {
		return nil, 0, err
	}
	var ents map[string]bool
	if q.entity != "" {
		if ents, err = s.entityArticles(ctx, q.entity); err != nil {
			return nil, 0, err
		}
	}
	out := evs[:0]
	for _, e := range evs {
		if q.source != "" && !slices.Contains(e.Sources, q.source) {
			continue
		}
		if ents != nil && !anyIn(e.Articles, ents) {
			continue
		}
		out = append(out, e)
	}
	return page(out, q.offset, q.limit), len(out), nil
}

// listStories returns the storylines matching q, most recently active
// first, and the total before paging.
func (s *Server) listStories(ctx context.Context, q listQuery) ([]store.Story, int, error) {
	ss, err := s.st.Stories(ctx, store.Filter{From: q.from, To: q.to})
	if err != nil {
		return nil, 0, err
	}
	var ents map[string]bool
	if q.entity != "" {
		if ents, err = s.entityArticles(ctx, q.entity); err != nil {
			return nil, 0, err
		}
	}
	var srcOf map[string][]string
	if q.source != "" {
		evs, err := s.st.Events(ctx, store.Filter{})
		if err != nil {
			return nil, 0, err
		}
		srcOf = make(map[string][]string, len(evs))
		for _, e := range evs {
			srcOf[e.ID] = e.Sources
		}
	}
	out := ss[:0]
	for _, st := range ss {
		if srcOf != nil && !slices.ContainsFunc(st.Events, func(ev string) bool { return slices.Contains(srcOf[ev], q.source) }) {
			continue
		}
		if ents != nil && !anyIn(st.Articles, ents) {
			continue
		}
		out = append(out, st)
	}
	return page(out, q.offset, q.limit), len(out), nil
}

// setPaging sets X-Total-Count and a Link to the next page.
func setPaging(w http.ResponseWriter, r *http.Request, q listQuery, total int) {
	w.Header().Set("X-Total-Count", strconv.Itoa(total))
	if q.offset+q.limit < total {
		u := *r.URL
		v := u.Query()
		v.Set("offset", strconv.Itoa(q.offset+q.limit))
		v.Set("limit", strconv.Itoa(q.limit))
		u.RawQuery = v.Encode()
		w.Header().Set("Link", fmt.Sprintf("<%s>; rel=\"next\"", u.RequestURI()))
	}
}

func (s *Server) apiEvents(w http.ResponseWriter, r *http.Request) {
	q, err := parseList(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	evs, total, err := s.listEvents(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	setPaging(w, r, q, total)
	writeJSONTo(w, http.StatusOK, evs)
}

func (s *Server) apiStories(w http.ResponseWriter, r *http.Request) {
	q, err := parseList(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ss, total, err := s.listStories(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	setPaging(w, r, q, total)
	writeJSONTo(w, http.StatusOK, ss)
}

func (s *Server) apiStory(w http.ResponseWriter, r *http.Request) {
	st, err := s.st.Story(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSONTo(w, http.StatusOK, st)
}

// storyEvents returns a storyline's events in time order.
func (s *Server) storyEvents(ctx context.Context, st store.Story) ([]store.Event, error) {
	evs := make([]store.Event, 0, len(st.Events))
	for _, id := range st.Events {
		e, err := s.st.Event(ctx, id)
		if err != nil {
			return nil, err
		}
		evs = append(evs, e)
	}
	return evs, nil
}

func (s *Server) apiTimeline(w http.ResponseWriter, r *http.Request) {
	st, err := s.st.Story(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	evs, err := s.storyEvents(r.Context(), st)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSONTo(w, http.StatusOK, map[string]any{"story": st, "events": evs})
}

func (s *Server) apiEvent(w http.ResponseWriter, r *http.Request) {
	e, err := s.st.Event(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSONTo(w, http.StatusOK, e)
}

func (s *Server) apiArticle(w http.ResponseWriter, r *http.Request) {
	a, err := s.st.Article(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSONTo(w, http.StatusOK, a)
}

func (s *Server) apiArticleReuse(w http.ResponseWriter, r *http.Request) {
	re, err := s.opt.Reuse.Reuse(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSONTo(w, http.StatusOK, re)
}

func (s *Server) apiEntities(w http.ResponseWriter, r *http.Request) {
	q, err := parseList(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := r.URL.Query()
	es, err := s.opt.Entities.Entities(r.Context(), EntityQuery{Q: v.Get("q"), Type: strings.ToUpper(v.Get("type")), Limit: q.limit, Offset: q.offset})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.entIdx != nil && !s.entIdx.Loaded() {
		w.Header().Set("X-Entities-Loading", "true")
	}
	writeJSONTo(w, http.StatusOK, es)
}

// EntityDetail is an entity with the events and storylines it appears in
// and the entities named in the same articles.
type EntityDetail struct {
	Entity EntityInfo `json:"entity"`
	// Events it appears in, by date.
	Events []store.Event `json:"events"`
	// Stories it appears in, most recently active first.
	Stories []store.Story `json:"stories"`
	// CoOccurring entities, most shared articles first (at most 20).
	CoOccurring []CoEntity `json:"co_occurring"`
}

// CoEntity is an entity named alongside another, with the number of
// articles naming both.
type CoEntity struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Type     string `json:"type"`
	Articles int    `json:"articles"`
}

// maxEntityArticles bounds the articles looked at for one entity page.
const maxEntityArticles = 2000

func (s *Server) entityDetail(ctx context.Context, id string) (EntityDetail, error) {
	e, err := s.opt.Entities.Entity(ctx, id)
	if err != nil {
		return EntityDetail{}, err
	}
	d := EntityDetail{Entity: e, Events: []store.Event{}, Stories: []store.Story{}, CoOccurring: []CoEntity{}}
	arts := e.Articles
	if len(arts) > maxEntityArticles {
		arts = arts[:maxEntityArticles]
	}
	evSeen := map[string]bool{}
	stSeen := map[string]bool{}
	for _, aid := range arts {
		a, err := s.st.Article(ctx, aid)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return d, err
		}
		if evSeen[a.Event] {
			continue
		}
		evSeen[a.Event] = true
		ev, err := s.st.Event(ctx, a.Event)
		if err != nil {
			continue
		}
		d.Events = append(d.Events, ev)
		if !stSeen[ev.Story] {
			stSeen[ev.Story] = true
			if st, err := s.st.Story(ctx, ev.Story); err == nil {
				d.Stories = append(d.Stories, st)
			}
		}
	}
	slices.SortFunc(d.Events, func(a, b store.Event) int { return strings.Compare(a.Date, b.Date) })
	slices.SortFunc(d.Stories, func(a, b store.Story) int { return strings.Compare(b.End, a.End) })
	co, err := s.opt.Entities.ArticleEntities(ctx, arts)
	if err != nil {
		return d, err
	}
	count := map[string]int{}
	for _, ids := range co {
		for _, x := range ids {
			if x != id {
				count[x]++
			}
		}
	}
	for x, n := range count {
		ce := CoEntity{ID: x, Articles: n}
		if info, err := s.opt.Entities.Entity(ctx, x); err == nil {
			ce.Name, ce.Type = info.Name, info.Type
		}
		d.CoOccurring = append(d.CoOccurring, ce)
	}
	slices.SortFunc(d.CoOccurring, func(a, b CoEntity) int {
		if a.Articles != b.Articles {
			return b.Articles - a.Articles
		}
		return strings.Compare(a.Name, b.Name)
	})
	if len(d.CoOccurring) > 20 {
		d.CoOccurring = d.CoOccurring[:20]
	}
	return d, nil
}

func (s *Server) apiEntity(w http.ResponseWriter, r *http.Request) {
	d, err := s.entityDetail(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSONTo(w, http.StatusOK, d)
}

// search runs a query from the request: q, kind, from, to, source,
// entity, limit, offset.
func (s *Server) search(ctx context.Context, r *http.Request) ([]SearchHit, listQuery, error) {
	q, err := parseList(r)
	if err != nil {
		return nil, q, err
	}
	v := r.URL.Query()
	text := strings.TrimSpace(v.Get("q"))
	if text == "" {
		return nil, q, badRequest{"q: give words to search for"}
	}
	if s.opt.Search == nil {
		return nil, q, errNoSearch
	}
	kind := v.Get("kind")
	if kind != "" && kind != "article" && kind != "event" {
		return nil, q, badRequest{"kind: want article or event"}
	}
	sq := SearchQuery{Q: text, From: q.from, To: q.to, Source: q.source, Kind: kind, Limit: q.limit, Offset: q.offset}
	if q.entity == "" {
		hits, err := s.opt.Search.Search(ctx, sq)
		return hits, q, err
	}
	ents, err := s.entityArticles(ctx, q.entity)
	if err != nil {
		return nil, q, err
	}
	sq.Limit, sq.Offset = maxLimit, 0
	hits, err := s.opt.Search.Search(ctx, sq)
	if err != nil {
		return nil, q, err
	}
	out := hits[:0]
	for _, h := range hits {
		keep := ents[h.ID]
		if h.Kind == "event" {
			if e, err := s.st.Event(ctx, h.ID); err == nil {
				keep = anyIn(e.Articles, ents)
			}
		}
		if keep {
			out = append(out, h)
		}
	}
	return page(out, q.offset, q.limit), q, nil
}

var errNoSearch = errors.New("search is not available on this store")

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) {
	hits, _, err := s.search(r.Context(), r)
	if errors.Is(err, errNoSearch) {
		s.jsonError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if hits == nil {
		hits = []SearchHit{}
	}
	writeJSONTo(w, http.StatusOK, hits)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	a, e, st, err := s.st.Counts(ctx)
	if err != nil {
		s.log.Error("healthz", "err", err)
		writeJSONTo(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable"})
		return
	}
	writeJSONTo(w, http.StatusOK, map[string]any{"status": "ok", "articles": a, "events": e, "stories": st,
		"ingest": s.worker != nil})
}

func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	if err := s.m.writeTo(w); err != nil {
		s.log.Warn("metrics", "err", err)
	}
}
