package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/storyline/storyline/store"
)

// commitExtras writes a batch's reuse records, duplicate pairs, entities
// and mentions inside the batch transaction, in multi-row statements.
// Writing an article (or reuse records or mentions of it) replaces its
// stored reuse records and mentions; stored says which of the batch's
// articles were stored before it, the others have none to replace.
func (s *Store) commitExtras(ctx context.Context, tx *sql.Tx, b *store.Batch, stored map[string]bool) error {
	fresh := make(map[string]bool, len(b.Articles))
	for _, a := range b.Articles {
		if !stored[a.ID] {
			fresh[a.ID] = true
		}
	}
	// The ids, once each, whose stored reuse records and mentions are
	// replaced: all but the batch's new articles, which have none.
	replaced := func(ids []string) []string {
		seen := map[string]bool{}
		var out []string
		for _, id := range ids {
			if !fresh[id] && !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
		return out
	}
	var to, art []string
	for _, a := range b.Articles {
		to = append(to, a.ID)
		art = append(art, a.ID)
	}
	for _, r := range b.Reuse {
		to = append(to, r.To)
	}
	for _, m := range b.Mentions {
		art = append(art, m.Article)
	}
	to, art = replaced(to), replaced(art)
	if err := execIn(ctx, tx, `DELETE FROM reuse WHERE to_id IN `, to); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if err := execIn(ctx, tx, `DELETE FROM mentions WHERE article IN `, art); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if err := s.insertRows(ctx, tx, `INSERT INTO reuse(to_id, from_id, shared_ratio, passages) VALUES `, `(?,?,?,?)`,
		` ON CONFLICT(to_id, from_id) DO UPDATE SET shared_ratio=excluded.shared_ratio, passages=excluded.passages`,
		len(b.Reuse), func(i int, dst []any) []any {
			r := &b.Reuse[i]
			ps, _ := json.Marshal(r.Passages)
			return append(dst, r.To, r.From, r.SharedRatio, string(ps))
		}); err != nil {
		return fmt.Errorf("commit: reuse: %w", err)
	}
	if err := s.insertRows(ctx, tx, `INSERT INTO duplicates(a, b, similarity) VALUES `, `(?,?,?)`,
		` ON CONFLICT(a, b) DO UPDATE SET similarity=excluded.similarity`,
		len(b.Duplicates), func(i int, dst []any) []any {
			d := &b.Duplicates[i]
			return append(dst, d.A, d.B, d.Similarity)
		}); err != nil {
		return fmt.Errorf("commit: duplicates: %w", err)
	}
	// An entity row that would not change is left alone: most entities of
	// a batch were seen before, with the same name, aliases and dates.
	if err := s.insertRows(ctx, tx, `INSERT INTO entities(id, name, type, aliases, first_seen, last_seen) VALUES `, `(?,?,?,?,?,?)`,
		` ON CONFLICT(id) DO UPDATE SET name=excluded.name, type=excluded.type, aliases=excluded.aliases, first_seen=excluded.first_seen, last_seen=excluded.last_seen
WHERE name IS NOT excluded.name OR type IS NOT excluded.type OR aliases IS NOT excluded.aliases OR first_seen IS NOT excluded.first_seen OR last_seen IS NOT excluded.last_seen`,
		len(b.Entities), func(i int, dst []any) []any {
			e := &b.Entities[i]
			al, _ := json.Marshal(e.Aliases)
			return append(dst, e.ID, e.Name, e.Type, string(al), e.FirstSeen, e.LastSeen)
		}); err != nil {
		return fmt.Errorf("commit: entities: %w", err)
	}
	if err := s.insertRows(ctx, tx, `INSERT INTO mentions(article, entity, count) VALUES `, `(?,?,?)`,
		` ON CONFLICT(article, entity) DO UPDATE SET count=excluded.count`,
		len(b.Mentions), func(i int, dst []any) []any {
			m := &b.Mentions[i]
			return append(dst, m.Article, m.Entity, m.Count)
		}); err != nil {
		return fmt.Errorf("commit: mentions: %w", err)
	}
	return nil
}

func scanReuse(rows *sql.Rows) ([]store.Reuse, error) {
	defer rows.Close()
	out := []store.Reuse{}
	for rows.Next() {
		var r store.Reuse
		var ps string
		if err := rows.Scan(&r.To, &r.From, &r.SharedRatio, &ps); err != nil {
			return nil, err
		}
		_ = json.Unmarshal([]byte(ps), &r.Passages)
		if r.Passages == nil {
			r.Passages = []store.Passage{}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReuseOf implements store.Store.
func (s *Store) ReuseOf(ctx context.Context, article string) ([]store.Reuse, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT to_id, from_id, shared_ratio, passages FROM reuse WHERE to_id = ? ORDER BY shared_ratio DESC, from_id`, article)
	if err != nil {
		return nil, fmt.Errorf("reuse of %q: %w", article, err)
	}
	return scanReuse(rows)
}

// articleWindow filters on the copying/listed article's publication date
// and source.
func articleWindow(f store.Filter, alias string) (string, []any) {
	var where []string
	var args []any
	if !f.From.IsZero() {
		where = append(where, alias+".published >= ?")
		args = append(args, f.From.Format("2006-01-02"))
	}
	if !f.To.IsZero() {
		where = append(where, alias+".published < ?")
		args = append(args, f.To.AddDate(0, 0, 1).Format("2006-01-02"))
	}
	if f.Source != "" {
		where = append(where, alias+".source = ?")
		args = append(args, f.Source)
	}
	if f.Lang != "" {
		where = append(where, alias+".lang = ?")
		args = append(args, f.Lang)
	}
	if f.Entity != "" {
		where = append(where, "EXISTS (SELECT 1 FROM mentions fm WHERE fm.article = "+alias+".id AND fm.entity = ?)")
		args = append(args, f.Entity)
	}
	if len(where) == 0 {
		return "", nil
	}
	return " AND " + strings.Join(where, " AND "), args
}

// ReuseAll implements store.Store.
func (s *Store) ReuseAll(ctx context.Context, f store.Filter) ([]store.Reuse, error) {
	w, args := articleWindow(f, "a")
	rows, err := s.db.QueryContext(ctx, `SELECT r.to_id, r.from_id, r.shared_ratio, r.passages FROM reuse r JOIN articles a ON a.id = r.to_id WHERE 1=1`+w+` ORDER BY a.seq, r.from_id`+limitClause(f), args...)
	if err != nil {
		return nil, fmt.Errorf("reuse: %w", err)
	}
	return scanReuse(rows)
}

// Duplicates implements store.Store.
func (s *Store) Duplicates(ctx context.Context, f store.Filter) ([]store.Duplicate, error) {
	w, args := articleWindow(f, "a")
	rows, err := s.db.QueryContext(ctx, `SELECT d.a, d.b, d.similarity FROM duplicates d JOIN articles a ON a.id = d.b WHERE 1=1`+w+` ORDER BY a.seq, d.a`+limitClause(f), args...)
	if err != nil {
		return nil, fmt.Errorf("duplicates: %w", err)
	}
	defer rows.Close()
	out := []store.Duplicate{}
	for rows.Next() {
		var d store.Duplicate
		if err := rows.Scan(&d.A, &d.B, &d.Similarity); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func (s *Store) fillEntity(ctx context.Context, e *store.Entity) error {
	rows, err := s.db.QueryContext(ctx, `SELECT a.id, a.event FROM mentions m JOIN articles a ON a.id = m.article WHERE m.entity = ? ORDER BY a.seq`, e.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	e.Articles, e.Events = []string{}, []string{}
	seen := map[string]bool{}
	for rows.Next() {
		var id, ev string
		if err := rows.Scan(&id, &ev); err != nil {
			return err
		}
		e.Articles = append(e.Articles, id)
		if !seen[ev] {
			seen[ev] = true
			e.Events = append(e.Events, ev)
		}
	}
	return rows.Err()
}

const entityCols = `e.id, e.name, e.type, e.aliases, coalesce(e.first_seen, ''), coalesce(e.last_seen, '')`

func scanEntity(sc interface{ Scan(...any) error }) (store.Entity, error) {
	var e store.Entity
	var al string
	if err := sc.Scan(&e.ID, &e.Name, &e.Type, &al, &e.FirstSeen, &e.LastSeen); err != nil {
		return e, err
	}
	_ = json.Unmarshal([]byte(al), &e.Aliases)
	if e.Aliases == nil {
		e.Aliases = []string{}
	}
	return e, nil
}

// Entity implements store.Store.
func (s *Store) Entity(ctx context.Context, id string) (store.Entity, error) {
	e, err := scanEntity(s.db.QueryRowContext(ctx, `SELECT `+entityCols+` FROM entities e WHERE e.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, fmt.Errorf("entity %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return e, err
	}
	return e, s.fillEntity(ctx, &e)
}

// Entities implements store.Store.
func (s *Store) Entities(ctx context.Context, f store.Filter) ([]store.Entity, error) {
	var where []string
	var args []any
	if f.Source != "" || f.Lang != "" || !f.From.IsZero() || !f.To.IsZero() {
		w, a := articleWindow(store.Filter{From: f.From, To: f.To, Source: f.Source, Lang: f.Lang}, "fa")
		where = append(where, "EXISTS (SELECT 1 FROM mentions fm JOIN articles fa ON fa.id = fm.article WHERE fm.entity = e.id"+w+")")
		args = append(args, a...)
	}
	if f.Entity != "" {
		// Entities co-occurring with f.Entity.
		where = append(where, "e.id != ? AND EXISTS (SELECT 1 FROM mentions m1 JOIN mentions m2 ON m1.article = m2.article WHERE m1.entity = e.id AND m2.entity = ?)")
		args = append(args, f.Entity, f.Entity)
	}
	q := `SELECT ` + entityCols + `, (SELECT count(*) FROM mentions m WHERE m.entity = e.id) AS n FROM entities e`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += ` ORDER BY n DESC, e.name` + limitClause(f)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("entities: %w", err)
	}
	out := []store.Entity{}
	for rows.Next() {
		var e store.Entity
		var al string
		var n int
		if err := rows.Scan(&e.ID, &e.Name, &e.Type, &al, &e.FirstSeen, &e.LastSeen, &n); err != nil {
			rows.Close()
			return nil, err
		}
		_ = json.Unmarshal([]byte(al), &e.Aliases)
		if e.Aliases == nil {
			e.Aliases = []string{}
		}
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if err := s.fillEntity(ctx, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Search implements store.Store.
func (s *Store) Search(ctx context.Context, q string, f store.Filter) ([]store.Article, error) {
	if strings.TrimSpace(q) == "" {
		return []store.Article{}, nil
	}
	fq := ftsQuery(q)
	if fq == "" {
		// Nothing searchable (only operators or punctuation).
		return []store.Article{}, nil
	}
	w, args := articleWindow(f, "a")
	lim := f.Limit
	if lim <= 0 {
		lim = 50
	}
	all := append([]any{fq}, args...)
	rows, err := s.db.QueryContext(ctx, `SELECT `+prefixed("a", articleCols)+` FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid
WHERE articles_fts MATCH ?`+w+` ORDER BY bm25(articles_fts, 3.0, 1.0) LIMIT ? OFFSET ?`, append(all, lim, max(f.Offset, 0))...)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	defer rows.Close()
	out := []store.Article{}
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// ftsQuery turns free text into an FTS5 query: "quoted phrases", the
// operators OR, AND and NOT between terms, and a trailing * for prefixes
// are kept; every other word is quoted, so punctuation in user input can
// never break the query syntax.
func ftsQuery(q string) string {
	var out []string
	for {
		q = strings.TrimLeft(q, " \t\r\n")
		if q == "" {
			break
		}
		if q[0] == '"' {
			var ph string
			if end := strings.IndexByte(q[1:], '"'); end < 0 {
				ph, q = q[1:], ""
			} else {
				ph, q = q[1:1+end], q[2+end:]
			}
			if ph = strings.TrimSpace(ph); strings.ContainsFunc(ph, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
				out = append(out, `"`+ph+`"`)
			}
			continue
		}
		w := q
		if end := strings.IndexAny(q, " \t\r\n"); end >= 0 {
			w, q = q[:end], q[end:]
		} else {
			q = ""
		}
		switch w {
		case "OR", "AND", "NOT":
			if len(out) > 0 && !isOp(out[len(out)-1]) {
				out = append(out, w)
			}
			continue
		}
		star := strings.HasSuffix(w, "*")
		w = strings.ReplaceAll(strings.TrimRight(w, "*"), `"`, "")
		if !strings.ContainsFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			continue
		}
		t := `"` + w + `"`
		if star {
			t += "*"
		}
		out = append(out, t)
	}
	for len(out) > 0 && isOp(out[len(out)-1]) {
		out = out[:len(out)-1]
	}
	return strings.Join(out, " ")
}

func isOp(s string) bool { return s == "OR" || s == "AND" || s == "NOT" }

func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ", ")
	for i, p := range parts {
		parts[i] = alias + "." + p
	}
	return strings.Join(parts, ", ")
}
