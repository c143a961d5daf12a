package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/storyline/storyline/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

func itoa(n int) string { return strconv.Itoa(n) }

// pages holds one parsed template set per page and the asset version.
type pages struct {
	t       map[string]*template.Template
	version string // hash of the assets, for cache busting
	assets  http.Handler
}

var pageNames = []string{"stories", "story", "event", "article", "entities", "entity", "search", "error"}

func loadPages() (*pages, error) {
	h := sha256.New()
	err := fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := assetFS.ReadFile(p)
		h.Write(b)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	p := &pages{t: map[string]*template.Template{}, version: hex.EncodeToString(h.Sum(nil))[:12]}
	funcs := template.FuncMap{
		"plural": plural,
		"pct":    func(f float64) string { return strconv.Itoa(int(f*100+0.5)) + "%" },
		"undated": func(d string) string {
			if d == "" {
				return "undated"
			}
			return d
		},
		"nicedate": niceDate,
		"asset":    func(name string) string { return "/assets/" + name + "?v=" + p.version },
		"add":      func(a, b int) int { return a + b },
	}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		p.t[name] = t
	}
	sub, _ := fs.Sub(assetFS, "assets")
	p.assets = http.StripPrefix("/assets/", http.FileServerFS(sub))
	return p, nil
}

// niceDate renders YYYY-MM-DD as "9 March 2025".
func niceDate(d string) string {
	t, err := time.Parse("2006-01-02", d)
	if err != nil {
		return "undated"
	}
	return t.Format("2 January 2006")
}

func (s *Server) assets(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("v") == s.pages.version {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	s.pages.assets.ServeHTTP(w, r)
}

// view is what every page gets: its own data plus the layout's.
type view struct {
	Title string
	Nav   string // current section: stories, entities, search
	Q     string // search box
	Data  any
}

// render executes a page into a buffer first, so a failing template
// never sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, name string, v view) {
	var buf bytes.Buffer
	if err := s.pages.t[name].ExecuteTemplate(&buf, "layout", v); err != nil {
		s.log.Error("render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write(buf.Bytes())
}

func (s *Server) uiError(w http.ResponseWriter, r *http.Request, code int, msg string) {
	s.render(w, r, code, "error", view{Title: msg, Data: map[string]any{"Code": code, "Message": msg}})
}

// uiFail answers an error as a page (generic for internal errors).
func (s *Server) uiFail(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := classify(err)
	switch code {
	case http.StatusInternalServerError:
		s.log.Error("page failed", "path", r.URL.Path, "err", err)
		msg = "Something went wrong on our side."
	case http.StatusNotFound:
		msg = "Nothing here: it may have been merged into another event."
	}
	s.uiError(w, r, code, msg)
}

// filterView echoes the listing filters into forms and paging links.
type filterView struct {
	From, To, Source, Entity string
	Prev, Next               string
}

func makeFilterView(r *http.Request, q listQuery, more bool) filterView {
	v := r.URL.Query()
	f := filterView{From: v.Get("from"), To: v.Get("to"), Source: q.source, Entity: q.entity}
	link := func(off int) string {
		u := *r.URL
		vv := u.Query()
		vv.Set("offset", strconv.Itoa(off))
		if off == 0 {
			vv.Del("offset")
		}
		u.RawQuery = vv.Encode()
		return u.RequestURI()
	}
	if q.offset > 0 {
		f.Prev = link(max(q.offset-q.limit, 0))
	}
	if more {
		f.Next = link(q.offset + q.limit)
	}
	return f
}

// storyRow is one storyline in the list.
type storyRow struct {
	store.Story
	Sources  int
	Latest   string // headline of its latest event
	Dots     []int  // x positions of its events on a 0..100 strip
	Duration string
}

func (s *Server) uiStories(w http.ResponseWriter, r *http.Request) {
	q, err := parseList(r)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	if r.URL.Query().Get("limit") == "" {
		q.limit = 30
	}
	ss, more, err := s.listStories(r.Context(), q)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	evs, err := s.st.Events(r.Context(), store.Filter{})
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	byID := make(map[string]store.Event, len(evs))
	for _, e := range evs {
		byID[e.ID] = e
	}
	rows := make([]storyRow, 0, len(ss))
	for _, st := range ss {
		row := storyRow{Story: st}
		srcs := map[string]bool{}
		for _, id := range st.Events {
			for _, src := range byID[id].Sources {
				srcs[src] = true
			}
		}
		row.Sources = len(srcs)
		if n := len(st.Events); n > 0 {
			row.Latest = byID[st.Events[n-1]].Headline
		}
		t0, e0 := time.Parse("2006-01-02", st.Start)
		t1, e1 := time.Parse("2006-01-02", st.End)
		if e0 == nil && e1 == nil {
			span := t1.Sub(t0).Hours() / 24
			row.Duration = plural(int(span)+1, "day", "days")
			for _, id := range st.Events {
				if d, err := time.Parse("2006-01-02", byID[id].Date); err == nil {
					x := 50
					if span > 0 {
						x = int(d.Sub(t0).Hours() / 24 / span * 100)
					}
					row.Dots = append(row.Dots, 4+x*92/100)
				}
			}
		}
		rows = append(rows, row)
	}
	s.render(w, r, http.StatusOK, "stories", view{Title: "Storylines", Nav: "stories",
		Data: map[string]any{"Stories": rows, "Filter": makeFilterView(r, q, more)}})
}

func (s *Server) uiStory(w http.ResponseWriter, r *http.Request) {
	st, err := s.st.Story(r.Context(), r.PathValue("id"))
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	evs, err := s.storyEvents(r.Context(), st)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	srcs := map[string]bool{}
	for _, e := range evs {
		for _, x := range e.Sources {
			srcs[x] = true
		}
	}
	s.render(w, r, http.StatusOK, "story", view{Title: st.Title, Nav: "stories", Data: map[string]any{
		"Story": st, "Events": evs, "Sources": len(srcs),
		"Timelines": []timeline{layoutTimeline(evs, tlWide), layoutTimeline(evs, tlNarrow)}}})
}

// segment is a run of article text, either new or copied from an origin.
type segment struct {
	Text      string
	Copied    bool
	From      string
	FromTitle string
	Start     int
}

// paragraphs splits segments at line breaks: one slice per paragraph.
func paragraphs(segs []segment) [][]segment {
	out := [][]segment{{}}
	for _, sg := range segs {
		parts := strings.Split(sg.Text, "\n")
		for i, p := range parts {
			if i > 0 {
				out = append(out, []segment{})
			}
			if p != "" {
				x := sg
				x.Text = p
				out[len(out)-1] = append(out[len(out)-1], x)
			}
		}
	}
	keep := out[:0]
	for _, p := range out {
		if len(p) > 0 {
			keep = append(keep, p)
		}
	}
	return keep
}

// reuseView summarizes one origin an article copied from.
type reuseView struct {
	From        string
	FromTitle   string
	FromSource  string
	SharedRatio float64
	Passages    int
}

// articleView is an article with its copied passages marked.
type articleView struct {
	store.Article
	Date      string
	Novelty   float64
	HasReuse  bool
	Segments  []segment
	Paras     [][]segment
	Reuse     []reuseView
	ReuseNote string // set when reuse could not be computed
}

// segments splits text at the passages copied from origins; overlapping
// or out-of-range passages are skipped.
func segments(text string, reuse []store.Reuse, titles map[string]string) []segment {
	type span struct {
		start, end int
		from       string
	}
	var spans []span
	for _, ru := range reuse {
		for _, p := range ru.Passages {
			st, en := p.ToOffset, p.ToOffset+p.Len
			if st < 0 || en > len(text) || st >= en {
				continue
			}
			for st > 0 && !utf8.RuneStart(text[st]) {
				st--
			}
			for en < len(text) && !utf8.RuneStart(text[en]) {
				en++
			}
			spans = append(spans, span{st, en, ru.From})
		}
	}
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	var out []segment
	at := 0
	for _, sp := range spans {
		if sp.start < at {
			continue
		}
		if sp.start > at {
			out = append(out, segment{Text: text[at:sp.start], Start: at})
		}
		out = append(out, segment{Text: text[sp.start:sp.end], Copied: true, From: sp.from, FromTitle: titles[sp.from], Start: sp.start})
		at = sp.end
	}
	if at < len(text) {
		out = append(out, segment{Text: text[at:], Start: at})
	}
	return out
}

func articleDate(a store.Article) string {
	if a.Published.IsZero() {
		return ""
	}
	return a.Published.Format("2006-01-02")
}

// makeArticleView marks an article's copied passages, naming each origin.
func (s *Server) makeArticleView(ctx context.Context, a store.Article) articleView {
	v := articleView{Article: a, Date: articleDate(a), Novelty: a.Novelty}
	re, err := s.st.ReuseOf(ctx, a.ID)
	if err != nil {
		s.log.Warn("reuse", "article", a.ID, "err", err)
		v.ReuseNote = "Copied passages could not be read."
		v.Segments = []segment{{Text: a.Text}}
		v.Paras = paragraphs(v.Segments)
		return v
	}
	titles := map[string]string{}
	for _, ru := range re {
		rv := reuseView{From: ru.From, SharedRatio: ru.SharedRatio, Passages: len(ru.Passages)}
		if o, err := s.st.Article(ctx, ru.From); err == nil {
			rv.FromTitle, rv.FromSource = o.Title, o.Source
		}
		if rv.FromTitle == "" {
			rv.FromTitle = ru.From
		}
		titles[ru.From] = rv.FromTitle
		if rv.FromSource != "" {
			titles[ru.From] += " (" + rv.FromSource + ")"
		}
		v.Reuse = append(v.Reuse, rv)
	}
	v.HasReuse = len(v.Reuse) > 0
	v.Segments = segments(a.Text, re, titles)
	v.Paras = paragraphs(v.Segments)
	return v
}

// maxEventArticles bounds the articles shown on an event page.
const maxEventArticles = 100

func (s *Server) uiEvent(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, err := s.st.Event(ctx, r.PathValue("id"))
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	arts, err := s.st.EventArticles(ctx, e.ID, maxEventArticles)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	st, err := s.st.Story(ctx, e.Story)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.uiFail(w, r, err)
		return
	}
	views := make([]articleView, 0, len(arts))
	titles := map[string]string{}
	for _, a := range arts {
		views = append(views, s.makeArticleView(ctx, a))
		titles[a.ID] = a.Title
	}
	type sentence struct {
		store.Sentence
		Title string
	}
	sum := make([]sentence, 0, len(e.Summary))
	for _, x := range e.Summary {
		sum = append(sum, sentence{x, titles[x.Article]})
	}
	// Neighbouring events of the storyline.
	var prev, next string
	for i, id := range st.Events {
		if id == e.ID {
			if i > 0 {
				prev = st.Events[i-1]
			}
			if i+1 < len(st.Events) {
				next = st.Events[i+1]
			}
		}
	}
	s.render(w, r, http.StatusOK, "event", view{Title: e.Headline, Nav: "stories", Data: map[string]any{
		"Event": e, "Story": st, "Summary": sum, "Articles": views, "More": len(e.Articles) - len(arts),
		"Prev": prev, "Next": next}})
}

func (s *Server) uiArticle(w http.ResponseWriter, r *http.Request) {
	a, err := s.st.Article(r.Context(), r.PathValue("id"))
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	e, _ := s.st.Event(r.Context(), a.Event)
	title := a.Title
	if title == "" {
		title = a.ID
	}
	s.render(w, r, http.StatusOK, "article", view{Title: title, Nav: "stories", Data: map[string]any{
		"Article": s.makeArticleView(r.Context(), a), "Event": e}})
}

func (s *Server) uiEntities(w http.ResponseWriter, r *http.Request) {
	q, err := parseList(r)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	v := r.URL.Query()
	typ := strings.ToUpper(v.Get("type"))
	if v.Get("limit") == "" {
		q.limit = 100
	}
	es, more, err := s.listEntities(r.Context(), q, v.Get("q"), typ)
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "entities", view{Title: "Entities", Nav: "entities", Data: map[string]any{
		"Entities": es, "EQ": v.Get("q"), "Type": typ, "Types": []string{"PER", "ORG", "LOC", "MISC"},
		"Filter": makeFilterView(r, q, more)}})
}

func (s *Server) uiEntity(w http.ResponseWriter, r *http.Request) {
	d, err := s.entityDetail(r.Context(), r.PathValue("id"))
	if err != nil {
		s.uiFail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "entity", view{Title: d.Entity.Name, Nav: "entities", Data: d})
}

func (s *Server) uiSearch(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	data := map[string]any{"Kind": v.Get("kind"), "Q": v.Get("q")}
	q, err := parseList(r)
	if err == nil {
		data["Filter"] = makeFilterView(r, q, false)
	}
	if text := strings.TrimSpace(v.Get("q")); text != "" {
		res, q, err := s.search(r.Context(), r)
		if err != nil {
			code, msg := classify(err)
			if code == http.StatusInternalServerError {
				s.log.Error("search", "err", err)
				msg = "Search failed."
			}
			data["Error"] = msg
		} else {
			data["Result"] = res
			data["Filter"] = makeFilterView(r, q, res.More)
			data["Searched"] = true
		}
		// Entities whose name matches, as a shortcut.
		if es, _, err := s.listEntities(r.Context(), listQuery{limit: 8}, strings.Join(searchWords(text), " "), ""); err == nil {
			data["Entities"] = es
		}
	}
	s.render(w, r, http.StatusOK, "search", view{Title: "Search", Nav: "search", Q: v.Get("q"), Data: data})
}
