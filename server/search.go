package server

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	_ "modernc.org/sqlite" // database/sql driver "sqlite"
)

// SQLSearch is the fallback Searcher: parameterized LIKE queries over a
// read-only connection to the SQLite store's file (every query word must
// occur in the title or text of an article, the headline or summary of an
// event; ASCII case-insensitive, no stemming, no ranking beyond recency).
// It reads the store's tables directly; a store with its own FTS5 index
// should implement Searcher instead.
type SQLSearch struct {
	db *sql.DB
}

// maxSearchWords bounds the words of one query.
const maxSearchWords = 8

// OpenSQLSearch opens the SQLite database at path read-only for search.
func OpenSQLSearch(path string) (*SQLSearch, error) {
	dsn := "file:" + path + "?mode=ro&_pragma=busy_timeout(10000)&_pragma=query_only(1)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open search connection: %w", err)
	}
	db.SetMaxOpenConns(2)
	return &SQLSearch{db: db}, nil
}

// Close closes the connection.
func (s *SQLSearch) Close() error { return s.db.Close() }

// searchWords splits a query into at most maxSearchWords words.
func searchWords(q string) []string {
	ws := strings.FieldsFunc(q, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '-'
	})
	out := ws[:0]
	for _, w := range ws {
		if w = strings.Trim(w, "'-"); w != "" {
			out = append(out, w)
		}
	}
	if len(out) > maxSearchWords {
		out = out[:maxSearchWords]
	}
	return out
}

// likePattern makes a LIKE pattern matching s anywhere, with the wildcard
// characters of s escaped (ESCAPE '\').
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// Search implements Searcher.
func (s *SQLSearch) Search(ctx context.Context, q SearchQuery) ([]SearchHit, error) {
	words := searchWords(q.Q)
	if len(words) == 0 {
		return []SearchHit{}, nil
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	want := limit + max(q.Offset, 0)
	var hits []SearchHit
	if q.Kind == "" || q.Kind == "event" {
		evs, err := s.searchEvents(ctx, words, q, want)
		if err != nil {
			return nil, err
		}
		hits = append(hits, evs...)
	}
	if q.Kind == "" || q.Kind == "article" {
		arts, err := s.searchArticles(ctx, words, q, want)
		if err != nil {
			return nil, err
		}
		hits = append(hits, arts...)
	}
	// Newest first; events before articles on the same day.
	slices.SortStableFunc(hits, func(a, b SearchHit) int {
		if c := cmp.Compare(b.Date, a.Date); c != 0 {
			return c
		}
		return cmp.Compare(b.Kind, a.Kind)
	})
	hits = hits[min(max(q.Offset, 0), len(hits)):]
	if len(hits) > limit {
		hits = hits[:limit]
	}
	return hits, nil
}

func (s *SQLSearch) searchEvents(ctx context.Context, words []string, q SearchQuery, limit int) ([]SearchHit, error) {
	var where []string
	var args []any
	for _, w := range words {
		where = append(where, `(headline LIKE ? ESCAPE '\' OR summary LIKE ? ESCAPE '\')`)
		p := likePattern(w)
		args = append(args, p, p)
	}
	if !q.From.IsZero() {
		where = append(where, `date >= ?`)
		args = append(args, q.From.Format("2006-01-02"))
	}
	if !q.To.IsZero() {
		where = append(where, `date <= ? AND date != ''`)
		args = append(args, q.To.Format("2006-01-02"))
	}
	if q.Source != "" {
		js, _ := json.Marshal(q.Source)
		where = append(where, `sources LIKE ? ESCAPE '\'`)
		args = append(args, likePattern(string(js)))
	}
	args = append(args, limit)
	rows, err := s.db.QueryContext(ctx, `SELECT id, headline, summary, date FROM events WHERE `+
		strings.Join(where, " AND ")+` ORDER BY date DESC, id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("search events: %w", err)
	}
	defer rows.Close()
	var out []SearchHit
	for rows.Next() {
		var h SearchHit
		var sum string
		if err := rows.Scan(&h.ID, &h.Title, &sum, &h.Date); err != nil {
			return nil, fmt.Errorf("search events: %w", err)
		}
		var sents []struct {
			Text string `json:"text"`
		}
		_ = json.Unmarshal([]byte(sum), &sents)
		var b strings.Builder
		for _, x := range sents {
			b.WriteString(x.Text)
			b.WriteByte(' ')
		}
		h.Kind = "event"
		h.Snippet = snippet(b.String(), words, 200)
		out = append(out, h)
	}
	return out, rows.Err()
}

func (s *SQLSearch) searchArticles(ctx context.Context, words []string, q SearchQuery, limit int) ([]SearchHit, error) {
	var where []string
	var args []any
	for _, w := range words {
		where = append(where, `(title LIKE ? ESCAPE '\' OR text LIKE ? ESCAPE '\')`)
		p := likePattern(w)
		args = append(args, p, p)
	}
	const day = `substr(coalesce(event_time, published, ''), 1, 10)`
	if !q.From.IsZero() {
		where = append(where, day+` >= ?`)
		args = append(args, q.From.Format("2006-01-02"))
	}
	if !q.To.IsZero() {
		where = append(where, day+` <= ? AND `+day+` != ''`)
		args = append(args, q.To.Format("2006-01-02"))
	}
	if q.Source != "" {
		where = append(where, `source = ?`)
		args = append(args, q.Source)
	}
	args = append(args, limit)
	rows, err := s.db.QueryContext(ctx, `SELECT id, title, text, `+day+`, source, event FROM articles WHERE `+
		strings.Join(where, " AND ")+` ORDER BY `+day+` DESC, seq DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("search articles: %w", err)
	}
	defer rows.Close()
	var out []SearchHit
	for rows.Next() {
		var h SearchHit
		var txt string
		if err := rows.Scan(&h.ID, &h.Title, &txt, &h.Date, &h.Source, &h.Event); err != nil {
			return nil, fmt.Errorf("search articles: %w", err)
		}
		h.Kind = "article"
		h.Snippet = snippet(txt, words, 200)
		out = append(out, h)
	}
	return out, rows.Err()
}

// snippet returns about n bytes of text around the first occurrence of
// any word (case-insensitive), cut at word boundaries, with ellipses.
func snippet(text string, words []string, n int) string {
	low := strings.ToLower(text)
	at := -1
	for _, w := range words {
		if i := strings.Index(low, strings.ToLower(w)); i >= 0 && (at < 0 || i < at) {
			at = i
		}
	}
	if len(low) != len(text) { // lower-casing changed byte lengths: give up on the position
		at = -1
	}
	if at < 0 {
		at = 0
	}
	start := max(at-n/3, 0)
	end := min(start+n, len(text))
	for start > 0 && !utf8.RuneStart(text[start]) {
		start--
	}
	for end < len(text) && !utf8.RuneStart(text[end]) {
		end++
	}
	if start > 0 {
		if i := strings.IndexByte(text[start:end], ' '); i >= 0 && i < 20 {
			start += i + 1
		}
	}
	if end < len(text) {
		if i := strings.LastIndexByte(text[start:end], ' '); i > 0 {
			end = start + i
		}
	}
	s := strings.Join(strings.Fields(text[start:end]), " ")
	if start > 0 {
		s = "… " + s
	}
	if end < len(text) {
		s += " …"
	}
	return s
}
