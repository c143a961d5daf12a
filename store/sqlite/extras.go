package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"

	"github.com/storyline/storyline/store"
)

// reuseRec is one element of an article's "reuse" column: what it copied
// from one origin.
type reuseRec struct {
	From        string          `json:"from"`
	SharedRatio float64         `json:"shared_ratio"`
	Passages    []store.Passage `json:"passages"`
}

// links is a batch's reuse records and mentions by article, as the
// articles' "reuse" and "entities" columns hold them: the records sorted
// by origin, the mentions as entity id -> count. Later rows of the batch
// win over earlier ones with the same key.
type links struct {
	reuse    map[string][]reuseRec
	entities map[string]map[string]int
	// The articles' "reuse" and "entities" columns (see reuseJSON and
	// entitiesJSON).
	reuseCol, entitiesCol map[string]string
}

func batchLinks(b *store.Batch) links {
	l := links{reuse: map[string][]reuseRec{}, entities: map[string]map[string]int{}}
	for _, r := range b.Reuse {
		rs := l.reuse[r.To]
		i, found := slices.BinarySearchFunc(rs, r.From, func(x reuseRec, from string) int { return strings.Compare(x.From, from) })
		rec := reuseRec{From: r.From, SharedRatio: r.SharedRatio, Passages: r.Passages}
		if found {
			rs[i] = rec
		} else {
			rs = slices.Insert(rs, i, rec)
		}
		l.reuse[r.To] = rs
	}
	for _, m := range b.Mentions {
		es := l.entities[m.Article]
		if es == nil {
			es = map[string]int{}
			l.entities[m.Article] = es
		}
		es[m.Entity] = m.Count
	}
	l.reuseCol = make(map[string]string, len(l.reuse))
	for id, rs := range l.reuse {
		if len(rs) > 0 {
			js, _ := json.Marshal(rs)
			l.reuseCol[id] = string(js)
		}
	}
	l.entitiesCol = make(map[string]string, len(l.entities))
	for id, es := range l.entities {
		if len(es) > 0 {
			js, _ := json.Marshal(es) // keys sorted
			l.entitiesCol[id] = string(js)
		}
	}
	return l
}

// reuseJSON is the "reuse" column of article id: nil (NULL) when it
// copied nothing.
func (l links) reuseJSON(id string) any {
	if js, ok := l.reuseCol[id]; ok {
		return js
	}
	return nil
}

// entitiesJSON is the "entities" column of article id: nil (NULL) when it
// names none.
func (l links) entitiesJSON(id string) any {
	if js, ok := l.entitiesCol[id]; ok {
		return js
	}
	return nil
}

// mentionEpochBits: mention rows are keyed (epoch, entity, article),
// epoch being the article's rowid >> mentionEpochBits, i.e. one epoch per
// 8,192 articles in ingest order (rowids never change: an article written
// again is updated in place, and the full-text index relies on them too).
// A batch's mentions then all land in the last epoch or two, a few hundred
// b-tree pages, instead of next to each entity's earlier mentions all over
// the table (keyed by entity alone, a 1,000-article batch dirtied ~2,500
// of the table's ~3,100 16 KiB pages at 80k articles). An entity's
// mentions are found with one b-tree search per epoch (allEpochs); a
// mention of a known article with one. Migration 0006 holds the same
// number.
const mentionEpochBits = 13

// epochOf is the epoch of the mention rows of the article with this rowid.
func epochOf(rowid int64) int64 { return rowid >> mentionEpochBits }

// allEpochs is a subquery listing every epoch that can hold mention rows:
// 0 to that of the last article row.
var allEpochs = fmt.Sprintf(`(WITH RECURSIVE ep(e) AS (SELECT 0 UNION ALL SELECT e + 1 FROM ep WHERE e < (SELECT max(rowid) FROM articles) >> %d) SELECT e FROM ep)`, mentionEpochBits)

// mentionOf is the condition that article alias names the entity given
// as the next argument.
func mentionOf(m, alias string) string {
	return fmt.Sprintf(`%s.epoch = %s.rowid >> %d AND %s.entity = ? AND %s.article = %s.id`, m, alias, mentionEpochBits, m, m, alias)
}

// rowidsOf returns the rowids of those of ids that name a stored article.
func rowidsOf(ctx context.Context, tx *sql.Tx, ids []string) (map[string]int64, error) {
	out := make(map[string]int64, len(ids))
	err := queryIn(ctx, tx, `SELECT id, rowid FROM articles WHERE id IN `, ids, "", func(rows *sql.Rows) error {
		var id string
		var r int64
		if err := rows.Scan(&id, &r); err != nil {
			return err
		}
		out[id] = r
		return nil
	})
	return out, err
}

// commitExtras writes a batch's reuse records, duplicate pairs, entities
// and mentions inside the batch transaction, after its articles (whose
// rows already hold their reuse records and mention counts, see links).
// Writing an article (or reuse records or mentions of it) replaces its
// stored reuse records and mentions; stored holds the batch's articles
// that were stored before it, with the entities they named then. Reuse
// records and mentions of an article that is neither stored nor in the
// batch are not kept: there is no row to hold them.
func (s *Store) commitExtras(ctx context.Context, tx *sql.Tx, b *store.Batch, enc *encoded, stored map[string]storedArticle) error {
	l := enc.links
	inBatch := make(map[string]bool, len(b.Articles))
	for _, a := range b.Articles {
		inBatch[a.ID] = true
	}
	// Stored articles outside the batch whose reuse records or mentions
	// the batch replaces: their rows are updated.
	var others []string
	for id := range l.reuse {
		if !inBatch[id] {
			others = append(others, id)
		}
	}
	for id := range l.entities {
		if !inBatch[id] && l.reuse[id] == nil {
			others = append(others, id)
		}
	}
	slices.Sort(others)
	old := stored
	if len(others) > 0 {
		o, err := storedIDs(ctx, tx, others)
		if err != nil {
			return fmt.Errorf("commit: %w", err)
		}
		old = maps.Clone(stored)
		if old == nil {
			old = map[string]storedArticle{}
		}
		maps.Copy(old, o)
		for _, id := range others {
			if _, ok := o[id]; !ok {
				continue
			}
			if _, ok := l.reuse[id]; ok {
				if _, err := tx.ExecContext(ctx, `UPDATE articles SET reuse = ? WHERE id = ?`, l.reuseJSON(id), id); err != nil {
					return fmt.Errorf("commit: reuse of %q: %w", id, err)
				}
			}
			if _, ok := l.entities[id]; ok {
				if _, err := tx.ExecContext(ctx, `UPDATE articles SET entities = ? WHERE id = ?`, l.entitiesJSON(id), id); err != nil {
					return fmt.Errorf("commit: mentions of %q: %w", id, err)
				}
			}
		}
	}
	// The rowids of the batch's new articles that name entities.
	var fresh []string
	for _, a := range b.Articles {
		if _, ok := old[a.ID]; !ok && len(l.entities[a.ID]) > 0 {
			fresh = append(fresh, a.ID)
		}
	}
	rowids, err := rowidsOf(ctx, tx, fresh)
	if err != nil {
		return fmt.Errorf("commit: mentions: %w", err)
	}
	// Mention rows: those of the replaced lists that are not in the new
	// ones go, the new ones that were not there come, sorted so that the
	// inserts walk the b-tree in key order.
	type row struct {
		epoch           int64
		entity, article string
	}
	var del, add []row
	replace := func(id string, now map[string]int) {
		was, ok := old[id]
		if !ok && !inBatch[id] {
			return // not stored
		}
		rowid := was.rowid
		if !ok {
			rowid = rowids[id]
		}
		for e := range was.entities {
			if _, keep := now[e]; !keep {
				del = append(del, row{epochOf(rowid), e, id})
			}
		}
		for e := range now {
			if _, had := was.entities[e]; !had {
				add = append(add, row{epochOf(rowid), e, id})
			}
		}
	}
	for _, a := range b.Articles {
		replace(a.ID, l.entities[a.ID])
	}
	for _, id := range others {
		if es, ok := l.entities[id]; ok {
			replace(id, es)
		}
	}
	for _, r := range del {
		if _, err := tx.ExecContext(ctx, `DELETE FROM mentions WHERE epoch = ? AND entity = ? AND article = ?`, r.epoch, r.entity, r.article); err != nil {
			return fmt.Errorf("commit: mentions: %w", err)
		}
	}
	slices.SortFunc(add, func(x, y row) int {
		if c := cmp.Compare(x.epoch, y.epoch); c != 0 {
			return c
		}
		if c := strings.Compare(x.entity, y.entity); c != 0 {
			return c
		}
		return strings.Compare(x.article, y.article)
	})
	add = slices.Compact(add)
	// OR IGNORE (a row already there stays) rather than ON CONFLICT DO
	// NOTHING: no statement journal, see writeArticles.
	if err := s.insertRows(ctx, tx, `INSERT OR IGNORE INTO mentions(epoch, entity, article) VALUES `, `(?,?,?)`, ``,
		len(add), func(i int, dst []any) []any {
			return append(dst, add[i].epoch, add[i].entity, add[i].article)
		}); err != nil {
		return fmt.Errorf("commit: mentions: %w", err)
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
			return append(dst, e.ID, e.Name, e.Type, enc.aliases[i], e.FirstSeen, e.LastSeen)
		}); err != nil {
		return fmt.Errorf("commit: entities: %w", err)
	}
	return nil
}

// decodeReuse turns article to's "reuse" column into records, sorted by
// origin.
func decodeReuse(to string, js sql.NullString) ([]store.Reuse, error) {
	if !js.Valid {
		return nil, nil
	}
	var recs []reuseRec
	if err := json.Unmarshal([]byte(js.String), &recs); err != nil {
		return nil, fmt.Errorf("reuse of %q: %w", to, err)
	}
	out := make([]store.Reuse, len(recs))
	for i, r := range recs {
		out[i] = store.Reuse{From: r.From, To: to, SharedRatio: r.SharedRatio, Passages: r.Passages}
		if out[i].Passages == nil {
			out[i].Passages = []store.Passage{}
		}
	}
	slices.SortStableFunc(out, func(x, y store.Reuse) int { return strings.Compare(x.From, y.From) })
	return out, nil
}

// ReuseOf implements store.Store.
func (s *Store) ReuseOf(ctx context.Context, article string) ([]store.Reuse, error) {
	var js sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT reuse FROM articles WHERE id = ?`, article).Scan(&js)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("reuse of %q: %w", article, err)
	}
	out, err := decodeReuse(article, js)
	if err != nil {
		return nil, err
	}
	if out == nil {
		return []store.Reuse{}, nil
	}
	slices.SortStableFunc(out, func(x, y store.Reuse) int { return cmp.Compare(y.SharedRatio, x.SharedRatio) })
	return out, nil
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
		where = append(where, "EXISTS (SELECT 1 FROM mentions fm WHERE "+mentionOf("fm", alias)+")")
		args = append(args, f.Entity)
	}
	if len(where) == 0 {
		return "", nil
	}
	return " AND " + strings.Join(where, " AND "), args
}

// reuseAllQuery selects the listed copying articles' reuse columns, in
// ingest order.
func reuseAllQuery(f store.Filter) (string, []any) {
	w, args := articleWindow(f, "a")
	return `SELECT a.id, a.seq, a.reuse FROM articles a WHERE a.reuse IS NOT NULL` + w + ` ORDER BY a.seq, a.id`, args
}

// ReuseAll implements store.Store: records in the copying articles' ingest
// order, then by origin, paged by record.
func (s *Store) ReuseAll(ctx context.Context, f store.Filter) ([]store.Reuse, error) {
	q, args := reuseAllQuery(f)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("reuse: %w", err)
	}
	defer rows.Close()
	out := []store.Reuse{}
	skip, limit := max(f.Offset, 0), f.Limit
	full := func() bool { return limit > 0 && len(out) >= limit }
	// Articles sharing a seq are merged before paging, so that their
	// records are ordered by origin across them.
	var group []store.Reuse
	groupSeq := int64(0)
	flush := func() {
		slices.SortStableFunc(group, func(x, y store.Reuse) int { return strings.Compare(x.From, y.From) })
		for _, r := range group {
			if skip > 0 {
				skip--
				continue
			}
			if full() {
				break
			}
			out = append(out, r)
		}
		group = group[:0]
	}
	for rows.Next() && !full() {
		var id string
		var seq int64
		var js sql.NullString
		if err := rows.Scan(&id, &seq, &js); err != nil {
			return nil, err
		}
		if seq != groupSeq {
			flush()
			groupSeq = seq
		}
		rs, err := decodeReuse(id, js)
		if err != nil {
			return nil, err
		}
		group = append(group, rs...)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	flush()
	return out, nil
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

// entityArticlesQuery lists an entity's articles (and their events) in
// ingest order.
var entityArticlesQuery = `SELECT a.id, a.event FROM mentions m JOIN articles a ON a.id = m.article WHERE m.epoch IN ` + allEpochs + ` AND m.entity = ? ORDER BY a.seq`

// mentionCount counts the mentions of entity e.id.
var mentionCount = `(SELECT count(*) FROM mentions m WHERE m.epoch IN ` + allEpochs + ` AND m.entity = e.id)`

// coMentioned is the condition that entity e.id and the entity given as
// the next argument are named by one article: e.id's mentions are walked
// (CROSS JOIN keeps that order; the planner, seeing two alike searches,
// may walk the given entity's instead, for every listed entity) and the
// other entity's mention of each article looked up by its full key.
var coMentioned = `EXISTS (SELECT 1 FROM mentions m1 CROSS JOIN mentions m2 ON m2.epoch = m1.epoch AND m2.article = m1.article WHERE m1.epoch IN ` + allEpochs + ` AND m1.entity = e.id AND m2.entity = ?)`

func (s *Store) fillEntity(ctx context.Context, e *store.Entity) error {
	rows, err := s.db.QueryContext(ctx, entityArticlesQuery, e.ID)
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
		where = append(where, "EXISTS (SELECT 1 FROM mentions fm JOIN articles fa ON fa.id = fm.article WHERE fm.epoch IN "+allEpochs+" AND fm.entity = e.id"+w+")")
		args = append(args, a...)
	}
	if f.Entity != "" {
		// Entities co-occurring with f.Entity.
		where = append(where, "e.id != ? AND "+coMentioned)
		args = append(args, f.Entity, f.Entity)
	}
	q := `SELECT ` + entityCols + `, ` + mentionCount + ` AS n FROM entities e`
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
