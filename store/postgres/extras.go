package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/jackc/pgx/v5"
	"github.com/storyline/storyline/store"
)

// queueExtras queues a batch's reuse records, duplicate pairs, entities
// and mentions into the batch transaction.
func queueExtras(q *pgx.Batch, b *store.Batch) {
	cleared := map[string]bool{}
	for _, r := range b.Reuse {
		if !cleared[r.To] {
			q.Queue(`DELETE FROM reuse WHERE to_id = $1`, clean(r.To))
			cleared[r.To] = true
		}
		ps, _ := json.Marshal(r.Passages)
		q.Queue(`INSERT INTO reuse(to_id, from_id, shared_ratio, passages) VALUES ($1,$2,$3,$4)
ON CONFLICT(to_id, from_id) DO UPDATE SET shared_ratio=excluded.shared_ratio, passages=excluded.passages`,
			clean(r.To), clean(r.From), r.SharedRatio, clean(string(ps)))
	}
	for _, d := range b.Duplicates {
		q.Queue(`INSERT INTO duplicates(a, b, similarity) VALUES ($1,$2,$3)
ON CONFLICT(a, b) DO UPDATE SET similarity=excluded.similarity`, clean(d.A), clean(d.B), d.Similarity)
	}
	for _, e := range b.Entities {
		al, _ := json.Marshal(e.Aliases)
		q.Queue(`INSERT INTO entities(id, name, type, aliases, first_seen, last_seen) VALUES ($1,$2,$3,$4,$5,$6)
ON CONFLICT(id) DO UPDATE SET name=excluded.name, type=excluded.type, aliases=excluded.aliases, first_seen=excluded.first_seen, last_seen=excluded.last_seen`,
			clean(e.ID), clean(e.Name), clean(e.Type), clean(string(al)), clean(e.FirstSeen), clean(e.LastSeen))
	}
	clearedM := map[string]bool{}
	for _, m := range b.Mentions {
		if !clearedM[m.Article] {
			q.Queue(`DELETE FROM mentions WHERE article = $1`, clean(m.Article))
			clearedM[m.Article] = true
		}
		q.Queue(`INSERT INTO mentions(article, entity, count) VALUES ($1,$2,$3)
ON CONFLICT(article, entity) DO UPDATE SET count=excluded.count`, clean(m.Article), clean(m.Entity), m.Count)
	}
}

func collectReuse(rows pgx.Rows, err error) ([]store.Reuse, error) {
	if err != nil {
		return nil, err
	}
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
	out, err := collectReuse(s.pool.Query(ctx, `SELECT to_id, from_id, shared_ratio, passages FROM reuse WHERE to_id = $1 ORDER BY shared_ratio DESC, from_id`, clean(article)))
	if err != nil {
		return nil, fmt.Errorf("reuse of %q: %w", article, err)
	}
	return out, nil
}

// articleWindow filters on the listed article's publication date, source,
// language and entity.
func articleWindow(f store.Filter, alias string, a *args) string {
	var where []string
	if !f.From.IsZero() {
		where = append(where, alias+".published >= "+a.add(f.From.Format("2006-01-02")))
	}
	if !f.To.IsZero() {
		where = append(where, alias+".published < "+a.add(f.To.AddDate(0, 0, 1).Format("2006-01-02")))
	}
	if f.Source != "" {
		where = append(where, alias+".source = "+a.add(f.Source))
	}
	if f.Lang != "" {
		where = append(where, alias+".lang = "+a.add(f.Lang))
	}
	if f.Entity != "" {
		where = append(where, "EXISTS (SELECT 1 FROM mentions fm WHERE fm.article = "+alias+".id AND fm.entity = "+a.add(f.Entity)+")")
	}
	if len(where) == 0 {
		return ""
	}
	return " AND " + strings.Join(where, " AND ")
}

// ReuseAll implements store.Store.
func (s *Store) ReuseAll(ctx context.Context, f store.Filter) ([]store.Reuse, error) {
	var a args
	w := articleWindow(f, "a", &a)
	out, err := collectReuse(s.pool.Query(ctx, `SELECT r.to_id, r.from_id, r.shared_ratio, r.passages FROM reuse r JOIN articles a ON a.id = r.to_id WHERE true`+w+` ORDER BY a.seq, r.from_id`+limitClause(f), a...))
	if err != nil {
		return nil, fmt.Errorf("reuse: %w", err)
	}
	return out, nil
}

// Duplicates implements store.Store.
func (s *Store) Duplicates(ctx context.Context, f store.Filter) ([]store.Duplicate, error) {
	var a args
	w := articleWindow(f, "a", &a)
	rows, err := s.pool.Query(ctx, `SELECT d.a, d.b, d.similarity FROM duplicates d JOIN articles a ON a.id = d.b WHERE true`+w+` ORDER BY a.seq, d.a`+limitClause(f), a...)
	if err != nil {
		return nil, fmt.Errorf("duplicates: %w", err)
	}
	defer rows.Close()
	out := []store.Duplicate{}
	for rows.Next() {
		var d store.Duplicate
		if err := rows.Scan(&d.A, &d.B, &d.Similarity); err != nil {
			return nil, fmt.Errorf("duplicates: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func (s *Store) fillEntity(ctx context.Context, e *store.Entity) error {
	rows, err := s.pool.Query(ctx, `SELECT a.id, a.event FROM mentions m JOIN articles a ON a.id = m.article WHERE m.entity = $1 ORDER BY a.seq`, e.ID)
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

// Entity implements store.Store.
func (s *Store) Entity(ctx context.Context, id string) (store.Entity, error) {
	var e store.Entity
	var al string
	err := s.pool.QueryRow(ctx, `SELECT `+entityCols+` FROM entities e WHERE e.id = $1`, clean(id)).Scan(&e.ID, &e.Name, &e.Type, &al, &e.FirstSeen, &e.LastSeen)
	if errors.Is(err, pgx.ErrNoRows) {
		return e, fmt.Errorf("entity %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return e, fmt.Errorf("entity %q: %w", id, err)
	}
	_ = json.Unmarshal([]byte(al), &e.Aliases)
	if e.Aliases == nil {
		e.Aliases = []string{}
	}
	return e, s.fillEntity(ctx, &e)
}

// Entities implements store.Store.
func (s *Store) Entities(ctx context.Context, f store.Filter) ([]store.Entity, error) {
	var where []string
	var a args
	if f.Source != "" || f.Lang != "" || !f.From.IsZero() || !f.To.IsZero() {
		w := articleWindow(store.Filter{From: f.From, To: f.To, Source: f.Source, Lang: f.Lang}, "fa", &a)
		where = append(where, "EXISTS (SELECT 1 FROM mentions fm JOIN articles fa ON fa.id = fm.article WHERE fm.entity = e.id"+w+")")
	}
	if f.Entity != "" {
		// Entities co-occurring with f.Entity.
		p := a.add(f.Entity)
		where = append(where, "e.id != "+p+" AND EXISTS (SELECT 1 FROM mentions m1 JOIN mentions m2 ON m1.article = m2.article WHERE m1.entity = e.id AND m2.entity = "+p+")")
	}
	q := `SELECT ` + entityCols + `, (SELECT count(*) FROM mentions m WHERE m.entity = e.id) AS n FROM entities e`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += ` ORDER BY n DESC, e.name` + limitClause(f)
	rows, err := s.pool.Query(ctx, q, a...)
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
			return nil, fmt.Errorf("entities: %w", err)
		}
		_ = json.Unmarshal([]byte(al), &e.Aliases)
		if e.Aliases == nil {
			e.Aliases = []string{}
		}
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("entities: %w", err)
	}
	for i := range out {
		if err := s.fillEntity(ctx, &out[i]); err != nil {
			return nil, fmt.Errorf("entities: %w", err)
		}
	}
	return out, nil
}

// Search implements store.Store: the query language of the SQLite
// backend (words, "phrases", OR, AND, NOT, prefix*) translated to a
// tsquery over the title (weight A) and text (weight B), ranked by
// ts_rank with the title weighing three times the text.
func (s *Store) Search(ctx context.Context, q string, f store.Filter) ([]store.Article, error) {
	var a args
	tq := tsQuery(q, &a)
	if tq == "" {
		return []store.Article{}, nil
	}
	w := articleWindow(f, "a", &a)
	lim := f.Limit
	if lim <= 0 {
		lim = 50
	}
	sql := `SELECT ` + prefixed("a", articleCols) + ` FROM articles a, (SELECT ` + tq + ` AS q) qq
WHERE a.fts @@ qq.q` + w + ` ORDER BY ts_rank('{0.1, 0.2, 0.33, 1.0}', a.fts, qq.q) DESC, a.seq LIMIT ` + a.add(lim) + ` OFFSET ` + a.add(max(f.Offset, 0))
	out, err := collectArticles(s.pool.Query(ctx, sql, a...))
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	return out, nil
}

// tsQuery parses free text as the SQLite backend does and returns a SQL
// expression of type tsquery whose user text is all bound parameters:
// every word and "phrase" is a phraseto_tsquery, a trailing * makes a
// prefix query; AND binds tighter than OR and NOT excludes, as in FTS5.
// Words without a letter or digit are dropped; "" means match nothing.
func tsQuery(q string, a *args) string {
	type item struct {
		expr string
		not  bool
	}
	var groups [][]item // OR of ANDs
	var cur []item
	pendingNot := false
	push := func(expr string) {
		cur = append(cur, item{expr, pendingNot})
		pendingNot = false
	}
	hasWord := func(s string) bool {
		return strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
	}
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
			if hasWord(ph) {
				push("phraseto_tsquery('english', " + a.add(clean(ph)) + ")")
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
		case "OR":
			if len(cur) > 0 && !pendingNot {
				groups = append(groups, cur)
				cur = nil
			}
			continue
		case "AND":
			continue
		case "NOT":
			if len(cur) > 0 {
				pendingNot = true
			}
			continue
		}
		star := strings.HasSuffix(w, "*")
		w = strings.TrimRight(w, "*")
		if !hasWord(w) {
			continue
		}
		if !star {
			push("phraseto_tsquery('english', " + a.add(clean(w)) + ")")
			continue
		}
		// Prefix: the word's alphanumeric parts in sequence, the last one a
		// prefix; only letters and digits reach to_tsquery's syntax.
		parts := strings.FieldsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		parts[len(parts)-1] += ":*"
		push("to_tsquery('english', " + a.add(strings.Join(parts, " <-> ")) + ")")
	}
	if len(cur) > 0 {
		groups = append(groups, cur)
	}
	var ors []string
	for _, g := range groups {
		var and []string
		for _, it := range g {
			if it.not {
				and = append(and, "!!"+it.expr)
			} else {
				and = append(and, it.expr)
			}
		}
		ors = append(ors, "("+strings.Join(and, " && ")+")")
	}
	return strings.Join(ors, " || ")
}

func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ", ")
	for i, p := range parts {
		parts[i] = alias + "." + p
	}
	return strings.Join(parts, ", ")
}
