package server

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/storyline/storyline/store"
)

// csvSafe defuses spreadsheet formulas: article text is hostile, and a
// cell starting with = + - @ (or a tab/CR) would be evaluated by
// spreadsheet programs opening the export.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// apiExport streams events or articles (what=events|articles) as CSV or
// JSON lines (format=csv|jsonl), with the date and source filters.
func (s *Server) apiExport(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	format := v.Get("format")
	if format != "csv" && format != "jsonl" {
		s.jsonError(w, http.StatusBadRequest, "format: want csv or jsonl")
		return
	}
	what := v.Get("what")
	if what == "" {
		what = "events"
	}
	if what != "events" && what != "articles" {
		s.jsonError(w, http.StatusBadRequest, "what: want events or articles")
		return
	}
	q, err := parseList(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q.limit, q.offset = 0, 0
	if v.Get("limit") != "" {
		q.limit, _ = parseInt(v.Get("limit"), "limit", 0, 1, 1<<30)
	}
	ext, ctype := ".csv", "text/csv; charset=utf-8"
	if format == "jsonl" {
		ext, ctype = ".jsonl", "application/x-ndjson"
	}
	name := "storyline-" + what + ext
	f := store.Filter{From: q.from, To: q.to, Source: q.source, Entity: q.entity, Limit: q.limit}
	if what == "events" {
		evs, err := s.st.Events(r.Context(), f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		if format == "jsonl" {
			enc := json.NewEncoder(w)
			for _, e := range evs {
				if err := enc.Encode(e); err != nil {
					return
				}
			}
			return
		}
		cw := csv.NewWriter(w)
		cw.Write([]string{"id", "story", "date", "headline", "sources", "articles", "summary"})
		for _, e := range evs {
			var sum []string
			for _, x := range e.Summary {
				sum = append(sum, x.Text)
			}
			cw.Write([]string{e.ID, e.Story, e.Date, csvSafe(e.Headline), csvSafe(strings.Join(e.Sources, "; ")),
				strconv.Itoa(len(e.Articles)), csvSafe(strings.Join(sum, " "))})
		}
		cw.Flush()
		return
	}
	s.exportArticles(w, r, f, format, ctype, name)
}

// exportArticles streams the stored articles in ingest order.
func (s *Server) exportArticles(w http.ResponseWriter, r *http.Request, q store.Filter, format, ctype, name string) {
	var ents map[string]bool
	if q.Entity != "" {
		e, err := s.st.Entity(r.Context(), q.Entity)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		ents = make(map[string]bool, len(e.Articles))
		for _, id := range e.Articles {
			ents[id] = true
		}
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	from, to := q.From.Format("2006-01-02"), q.To.Format("2006-01-02")
	var cw *csv.Writer
	enc := json.NewEncoder(w)
	if format == "csv" {
		cw = csv.NewWriter(w)
		cw.Write([]string{"id", "published", "source", "url", "title", "event", "event_date", "text"})
	}
	n := 0
	err := s.st.Replay(r.Context(), func(a store.Article) error {
		day := ""
		switch {
		case !a.EventTime.IsZero():
			day = a.EventTime.Format("2006-01-02")
		case !a.Published.IsZero():
			day = a.Published.Format("2006-01-02")
		}
		if (!q.From.IsZero() && day < from) || (!q.To.IsZero() && (day == "" || day > to)) ||
			(q.Source != "" && a.Source != q.Source) || (ents != nil && !ents[a.ID]) {
			return nil
		}
		if q.Limit > 0 && n >= q.Limit {
			return nil
		}
		n++
		if cw != nil {
			pub := ""
			if !a.Published.IsZero() {
				pub = a.Published.Format(time.RFC3339)
			}
			cw.Write([]string{a.ID, pub, csvSafe(a.Source), csvSafe(a.URL), csvSafe(a.Title), a.Event, day, csvSafe(a.Text)})
			return cw.Error()
		}
		return enc.Encode(a)
	})
	if cw != nil {
		cw.Flush()
	}
	if err != nil {
		s.log.Warn("export articles", "err", err)
	}
}
