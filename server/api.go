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

// storeFilter turns the listing query into a store filter asking for one
// more than the page, to tell whether a next page exists.
func (q listQuery) storeFilter() store.Filter {
	return store.Filter{From: q.from, To: q.to, Source: q.source, Entity: q.entity, Limit: q.limit + 1, Offset: q.offset}
}

// listEvents returns a page of the events matching q (by date, as the
// store lists them) and whether more follow.
func (s *Server) listEvents(ctx context.Context, q listQuery) ([]store.Event, bool, error) {
	evs, err := s.st.Events(ctx, q.storeFilter())
	if err != nil {
		return nil, false, err
	}
	more := len(evs) > q.limit
	return page(evs, 0, q.limit), more, nil
}

// listStories returns a page of the storylines matching q, most recently
// active first, and whether more follow.
func (s *Server) listStories(ctx context.Context, q listQuery) ([]store.Story, bool, error) {
	ss, err := s.st.Stories(ctx, q.storeFilter())
	if err != nil {
		return nil, false, err
	}
	more := len(ss) > q.limit
	return page(ss, 0, q.limit), more, nil
}

// page returns s[offset:offset+limit] within bounds (limit 0: no limit).
func page[T any](s []T, offset, limit int) []T {
	s = s[min(max(offset, 0), len(s)):]
	if limit > 0 && len(s) > limit {
		s = s[:limit]
	}
	return s
}

// nextURL is the request's URL for the following page.
func nextURL(r *http.Request, q listQuery) string {
	u := *r.URL
	v := u.Query()
	v.Set("offset", strconv.Itoa(q.offset+q.limit))
	v.Set("limit", strconv.Itoa(q.limit))
	u.RawQuery = v.Encode()
	return u.RequestURI()
}

// setPaging sets a Link header to the next page when there is one.
func setPaging(w http.ResponseWriter, r *http.Request, q listQuery, more bool) {
	if more {
		w.Header().Set("Link", fmt.Sprintf("<%s>; rel=\"next\"", nextURL(r, q)))
	}
}

func (s *Server) apiEvents(w http.ResponseWriter, r *http.Request) {
	q, err := parseList(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	evs, more, err := s.listEvents(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	setPaging(w, r, q, more)
	writeJSONTo(w, http.StatusOK, evs)
}

func (s *Server) apiStories(w http.ResponseWriter, r *http.Request) {
	q, err := parseList(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ss, more, err := s.listStories(r.Context(), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	setPaging(w, r, q, more)
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

// ArticleReuse is what an article copied from earlier articles.
type ArticleReuse struct {
	// Novelty is the share of the article's text not seen earlier.
	Novelty float64 `json:"novelty"`
	// Reuse lists the passages per origin, largest share first.
	Reuse []store.Reuse `json:"reuse"`
}

func (s *Server) apiArticleReuse(w http.ResponseWriter, r *http.Request) {
	a, err := s.st.Article(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	re, err := s.st.ReuseOf(r.Context(), a.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if re == nil {
		re = []store.Reuse{}
	}
	writeJSONTo(w, http.StatusOK, ArticleReuse{Novelty: a.Novelty, Reuse: re})
}

// listEntities returns a page of entities, most mentioned first: q keeps
// names or aliases containing it, typ one type; the store filters by
// date, source and co-occurrence (entity).
func (s *Server) listEntities(ctx context.Context, lq listQuery, q, typ string) ([]store.Entity, bool, error) {
	f := lq.storeFilter()
	needle := strings.ToLower(strings.TrimSpace(q))
	if needle == "" && typ == "" {
		es, err := s.st.Entities(ctx, f)
		if err != nil {
			return nil, false, err
		}
		return page(es, 0, lq.limit), len(es) > lq.limit, nil
	}
	f.Limit, f.Offset = 0, 0
	all, err := s.st.Entities(ctx, f)
	if err != nil {
		return nil, false, err
	}
	out := all[:0]
	for _, e := range all {
		if typ != "" && !strings.EqualFold(typ, e.Type) {
			continue
		}
		if needle != "" && !entityMatches(e, needle) {
			continue
		}
		out = append(out, e)
	}
	return page(out, lq.offset, lq.limit), len(out) > lq.offset+lq.limit, nil
}

func entityMatches(e store.Entity, needle string) bool {
	if strings.Contains(strings.ToLower(e.Name), needle) {
		return true
	}
	for _, a := range e.Aliases {
		if strings.Contains(strings.ToLower(a), needle) {
			return true
		}
	}
	return false
}

func (s *Server) apiEntities(w http.ResponseWriter, r *http.Request) {
	q, err := parseList(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := r.URL.Query()
	es, more, err := s.listEntities(r.Context(), q, v.Get("q"), v.Get("type"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	setPaging(w, r, q, more)
	writeJSONTo(w, http.StatusOK, es)
}

// EntityDetail is an entity with the events and storylines it appears in
// and the entities named in the same articles.
type EntityDetail struct {
	Entity store.Entity `json:"entity"`
	// Events it appears in, by date.
	Events []store.Event `json:"events"`
	// Stories it appears in, most recently active first.
	Stories []store.Story `json:"stories"`
	// CoOccurring entities, most shared articles first (at most 24).
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

// Bounds of one entity page.
const (
	maxEntityEvents = 300
	maxCoEntities   = 24
)

func (s *Server) entityDetail(ctx context.Context, id string) (EntityDetail, error) {
	e, err := s.st.Entity(ctx, id)
	if err != nil {
		return EntityDetail{}, err
	}
	d := EntityDetail{Entity: e, Events: []store.Event{}, Stories: []store.Story{}, CoOccurring: []CoEntity{}}
	stSeen := map[string]bool{}
	for _, evID := range page(e.Events, 0, maxEntityEvents) {
		ev, err := s.st.Event(ctx, evID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return d, err
		}
		d.Events = append(d.Events, ev)
		if !stSeen[ev.Story] {
			stSeen[ev.Story] = true
			st, err := s.st.Story(ctx, ev.Story)
			if err == nil {
				d.Stories = append(d.Stories, st)
			} else if !errors.Is(err, store.ErrNotFound) {
				return d, err
			}
		}
	}
	slices.SortFunc(d.Events, func(a, b store.Event) int { return strings.Compare(a.Date, b.Date) })
	slices.SortFunc(d.Stories, func(a, b store.Story) int { return strings.Compare(b.End, a.End) })
	co, err := s.st.Entities(ctx, store.Filter{Entity: id, Limit: 500})
	if err != nil {
		return d, err
	}
	mine := make(map[string]bool, len(e.Articles))
	for _, a := range e.Articles {
		mine[a] = true
	}
	for _, c := range co {
		n := 0
		for _, a := range c.Articles {
			if mine[a] {
				n++
			}
		}
		if n > 0 {
			d.CoOccurring = append(d.CoOccurring, CoEntity{ID: c.ID, Name: c.Name, Type: c.Type, Articles: n})
		}
	}
	slices.SortStableFunc(d.CoOccurring, func(a, b CoEntity) int { return b.Articles - a.Articles })
	d.CoOccurring = page(d.CoOccurring, 0, maxCoEntities)
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

// SearchResult answers /api/search: the matching articles (best first,
// paged) and the events they belong to (ranked by their best article).
type SearchResult struct {
	Query    string      `json:"query"`
	Events   []SearchHit `json:"events"`
	Articles []SearchHit `json:"articles"`
	// More is true when a next page of articles exists.
	More bool `json:"more"`
}

// maxEventSearch bounds the articles grouped into events for one search.
const maxEventSearch = 500

// search runs the request's query (q, kind, from, to, source, entity,
// limit, offset) through the store's full-text index. Events are found
// through their articles.
func (s *Server) search(ctx context.Context, r *http.Request) (SearchResult, listQuery, error) {
	q, err := parseList(r)
	res := SearchResult{Events: []SearchHit{}, Articles: []SearchHit{}}
	if err != nil {
		return res, q, err
	}
	v := r.URL.Query()
	text := strings.TrimSpace(v.Get("q"))
	res.Query = text
	if text == "" {
		return res, q, badRequest{"q: give words to search for"}
	}
	if len(text) > 500 {
		return res, q, badRequest{"q: too long (at most 500 bytes)"}
	}
	kind := v.Get("kind")
	if kind != "" && kind != "article" && kind != "event" {
		return res, q, badRequest{"kind: want article or event"}
	}
	words := searchWords(text)
	if len(words) == 0 {
		// Nothing searchable (only operators or punctuation): the store's
		// FTS query would be empty, which SQLite refuses.
		return res, q, nil
	}
	if kind != "event" {
		arts, err := s.st.Search(ctx, text, q.storeFilter())
		if err != nil {
			return res, q, err
		}
		res.More = len(arts) > q.limit
		for _, a := range page(arts, 0, q.limit) {
			res.Articles = append(res.Articles, SearchHit{Kind: "article", ID: a.ID, Title: a.Title, Source: a.Source,
				Date: articleDate(a), Event: a.Event, Snippet: snippet(a.Text, words, 220)})
		}
	}
	if kind == "article" {
		return res, q, nil
	}
	f := q.storeFilter()
	f.Limit, f.Offset = maxEventSearch, 0
	arts, err := s.st.Search(ctx, text, f)
	if err != nil {
		return res, q, err
	}
	var order []string
	count := map[string]int{}
	for _, a := range arts {
		if count[a.Event] == 0 {
			order = append(order, a.Event)
		}
		count[a.Event]++
	}
	evLimit, evOffset := q.limit, q.offset
	if kind == "" {
		evLimit, evOffset = min(q.limit, 10), 0
		if q.offset > 0 {
			evLimit = 0 // events come with the first page only
		}
	} else {
		res.More = len(order) > evOffset+evLimit
	}
	if evLimit == 0 {
		return res, q, nil
	}
	for _, id := range page(order, evOffset, evLimit) {
		ev, err := s.st.Event(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return res, q, err
		}
		var sum strings.Builder
		for _, x := range ev.Summary {
			sum.WriteString(x.Text)
			sum.WriteByte(' ')
		}
		res.Events = append(res.Events, SearchHit{Kind: "event", ID: ev.ID, Title: ev.Headline, Date: ev.Date,
			Source: strings.Join(ev.Sources, ", "), Articles: count[id], Snippet: snippet(sum.String(), words, 220)})
	}
	return res, q, nil
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) {
	res, _, err := s.search(r.Context(), r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSONTo(w, http.StatusOK, res)
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
