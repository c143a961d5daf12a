// Package postgres is storyline's shared store: PostgreSQL through pgx,
// behind the same store.Store interface as the embedded SQLite store, with
// versioned schema migrations embedded in the binary. Several processes
// may read it; writes come from one leader at a time (TryLead), which
// holds a session advisory lock and commits through the connection that
// holds it.
package postgres

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/storyline/storyline/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is a PostgreSQL-backed store.Store.
type Store struct {
	pool *pgxpool.Pool

	mu   sync.Mutex
	lead *pgxpool.Conn // holds the leader lock; Commit goes through it
}

var _ store.Store = (*Store)(nil)

// IsDSN reports whether s names a PostgreSQL database (postgres:// or
// postgresql:// URL).
func IsDSN(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Open connects to the database named by dsn (a postgres:// URL; libpq
// parameters such as search_path are passed on) and brings its schema up
// to date.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse dsn: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	s := &Store{pool: pool}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: migrate: %w", err)
	}
	return s, nil
}

func migrationList() ([]store.Migration, error) {
	return store.Migrations(migrations, "migrations")
}

// SchemaVersion is the newest migration this build knows.
func SchemaVersion() int {
	v, _ := migrationList()
	if len(v) == 0 {
		return 0
	}
	return v[len(v)-1].Version
}

// migrateLock keys the advisory lock that serializes concurrent Opens
// while they migrate.
const migrateLock = 0x73746f72796d6967 // "storymig"

// migrate applies the embedded migrations not yet applied, in one
// transaction holding an advisory lock, so processes starting together
// apply each migration once.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrationList()
	if err != nil {
		return err
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrateLock)); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	var newest int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&newest); err != nil {
		return err
	}
	if want := SchemaVersion(); newest > want {
		return fmt.Errorf("database schema version %d is newer than this storyline (%d): upgrade storyline", newest, want)
	}
	for _, m := range ms {
		if m.Version <= newest {
			continue
		}
		// No arguments: the simple protocol runs the whole file.
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return fmt.Errorf("%s: %w", m.Name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations(version, applied_at) VALUES ($1, $2)`, m.Version, time.Now().UTC().Format(time.RFC3339)); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

// Close resigns leadership and closes the connections.
func (s *Store) Close() error {
	s.Resign()
	s.pool.Close()
	return nil
}

// LockKey turns a leadership name into an advisory lock key.
func LockKey(name string) int64 {
	// FNV-1a, 64 bits.
	h := uint64(14695981039346656037)
	for i := 0; i < len(name); i++ {
		h ^= uint64(name[i])
		h *= 1099511628211
	}
	return int64(h)
}

// TryLead tries to become the single writer named name by taking a
// session advisory lock (pg_try_advisory_lock) on a connection of its
// own. On success every later Commit runs on that connection: if the
// connection (and with it the lock) is lost, the leader can no longer
// write, so two leaders never commit interleaved batches. It returns
// false, nil when another session holds the lock. Calling it again while
// leading returns true.
func (s *Store) TryLead(ctx context.Context, name string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lead != nil {
		return true, nil
	}
	c, err := s.pool.Acquire(ctx)
	if err != nil {
		return false, fmt.Errorf("postgres: lead: %w", err)
	}
	var ok bool
	if err := c.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, LockKey(name)).Scan(&ok); err != nil {
		c.Release()
		return false, fmt.Errorf("postgres: lead: %w", err)
	}
	if !ok {
		c.Release()
		return false, nil
	}
	s.lead = c
	return true, nil
}

// Resign gives up leadership: the lock connection is closed, which
// releases the lock.
func (s *Store) Resign() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lead != nil {
		// Closing (not returning) the connection drops the session lock.
		s.lead.Conn().Close(context.Background())
		s.lead.Release()
		s.lead = nil
	}
}

// clean makes a string storable in PostgreSQL text, which refuses NUL
// bytes and invalid UTF-8 (SQLite keeps both).
func clean(s string) string {
	if strings.IndexByte(s, 0) < 0 && utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "\uFFFD")
}

func fmtTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(time.RFC3339Nano)
}

func parseTime(s *string) time.Time {
	if s == nil {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339Nano, *s)
	return t
}

// Hashes implements store.Store.
func (s *Store) Hashes(ctx context.Context, ids []string) (map[string]uint64, error) {
	out := make(map[string]uint64, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	orig := make(map[string]string, len(ids))
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = clean(id)
		orig[keys[i]] = id
	}
	rows, err := s.pool.Query(ctx, `SELECT id, hash FROM articles WHERE id = ANY($1)`, keys)
	if err != nil {
		return nil, fmt.Errorf("hashes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var h int64
		if err := rows.Scan(&id, &h); err != nil {
			return nil, fmt.Errorf("hashes: %w", err)
		}
		out[orig[id]] = uint64(h)
	}
	return out, rows.Err()
}

// queued is a batch's statements but its meta entries, queued ahead (see
// Encode), and the batch's lengths then.
type queued struct {
	q *pgx.Batch
	n [8]int
}

func lengths(b *store.Batch) [8]int {
	return [8]int{len(b.Articles), len(b.Moves), len(b.Gone), len(b.Events), len(b.Reuse), len(b.Duplicates), len(b.Entities), len(b.Mentions)}
}

// Encode implements store.Encoder: it queues b's statements (but its meta
// entries) into b.Encoded, so that Commit mostly sends them.
func (s *Store) Encode(b *store.Batch) { b.Encoded = &queued{q: queue(b), n: lengths(b)} }

// Commit implements store.Store: the whole batch is one transaction, its
// statements sent in one pipelined round trip.
func (s *Store) Commit(ctx context.Context, b *store.Batch) error {
	q, ok := b.Encoded.(*queued)
	if !ok || q.n != lengths(b) {
		q = &queued{q: queue(b)}
	}
	b.Encoded = nil // the meta entries are added to it below, once
	keys := make([]string, 0, len(b.Meta))
	for k := range b.Meta {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		q.q.Queue(`INSERT INTO meta(key, value) VALUES ($1, $2) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, clean(k), b.Meta[k])
	}
	if q.q.Len() == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var tx pgx.Tx
	var err error
	if s.lead != nil {
		tx, err = s.lead.Begin(ctx)
	} else {
		tx, err = s.pool.Begin(ctx)
	}
	if err != nil {
		return fmt.Errorf("commit: begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := tx.SendBatch(ctx, q.q).Close(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// queue queues b's statements but its meta entries.
func queue(b *store.Batch) *pgx.Batch {
	q := &pgx.Batch{}
	for _, a := range b.Articles {
		extra := "{}"
		if len(a.Extra) > 0 {
			eb, _ := json.Marshal(a.Extra)
			extra = string(eb)
		}
		q.Queue(`INSERT INTO articles(id, seq, hash, title, text, published, date_inferred, url, source, lang, extra, event_time, event, novelty)
VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)
ON CONFLICT(id) DO UPDATE SET seq=excluded.seq, hash=excluded.hash, title=excluded.title, text=excluded.text,
 published=excluded.published, date_inferred=excluded.date_inferred, url=excluded.url, source=excluded.source,
 lang=excluded.lang, extra=excluded.extra, event_time=excluded.event_time, event=excluded.event, novelty=excluded.novelty`,
			clean(a.ID), a.Seq, int64(a.Hash), clean(a.Title), clean(a.Text), fmtTime(a.Published), a.DateInferred,
			clean(a.URL), clean(a.Source), clean(a.Lang), extra, fmtTime(a.EventTime), clean(a.Event), a.Novelty)
	}
	ids := make([]string, 0, len(b.Moves))
	for id := range b.Moves {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		q.Queue(`UPDATE articles SET event = $1 WHERE id = $2`, clean(b.Moves[id]), clean(id))
	}
	for _, id := range b.Gone {
		q.Queue(`DELETE FROM events WHERE id = $1`, clean(id))
	}
	for _, e := range b.Events {
		sum, _ := json.Marshal(e.Summary)
		src, _ := json.Marshal(e.Sources)
		q.Queue(`INSERT INTO events(id, story, date, headline, summary, sources, size) VALUES ($1,$2,$3,$4,$5,$6,$7)
ON CONFLICT(id) DO UPDATE SET story=excluded.story, date=excluded.date, headline=excluded.headline, summary=excluded.summary, sources=excluded.sources, size=excluded.size`,
			clean(e.ID), clean(e.Story), clean(e.Date), clean(e.Headline), clean(string(sum)), clean(string(src)), e.Size)
	}
	queueExtras(q, b)
	return q
}

const articleCols = `id, seq, hash, title, text, published, date_inferred, url, source, lang, extra, event_time, event, novelty`

func scanArticle(sc pgx.Row) (store.Article, error) {
	var a store.Article
	var pub, et *string
	var h int64
	var extra string
	if err := sc.Scan(&a.ID, &a.Seq, &h, &a.Title, &a.Text, &pub, &a.DateInferred, &a.URL, &a.Source, &a.Lang, &extra, &et, &a.Event, &a.Novelty); err != nil {
		return a, err
	}
	a.Hash = uint64(h)
	a.Published = parseTime(pub)
	a.EventTime = parseTime(et)
	if extra != "{}" && extra != "" {
		_ = json.Unmarshal([]byte(extra), &a.Extra)
	}
	return a, nil
}

func collectArticles(rows pgx.Rows, err error) ([]store.Article, error) {
	if err != nil {
		return nil, err
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

// Article implements store.Store.
func (s *Store) Article(ctx context.Context, id string) (store.Article, error) {
	a, err := scanArticle(s.pool.QueryRow(ctx, `SELECT `+articleCols+` FROM articles WHERE id = $1`, clean(id)))
	if errors.Is(err, pgx.ErrNoRows) {
		return a, fmt.Errorf("article %q: %w", id, store.ErrNotFound)
	}
	return a, err
}

// EventArticles implements store.Store.
func (s *Store) EventArticles(ctx context.Context, event string, limit int) ([]store.Article, error) {
	lim := any(nil) // LIMIT NULL: no limit
	if limit > 0 {
		lim = limit
	}
	out, err := collectArticles(s.pool.Query(ctx, `SELECT `+articleCols+` FROM articles WHERE event = $1 ORDER BY seq LIMIT $2`, clean(event), lim))
	if err != nil {
		return nil, fmt.Errorf("event articles: %w", err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

const eventCols = `id, story, date, headline, summary, sources, size`

func scanEvent(sc pgx.Row) (store.Event, error) {
	var e store.Event
	var sum, src string
	if err := sc.Scan(&e.ID, &e.Story, &e.Date, &e.Headline, &sum, &src, &e.Size); err != nil {
		return e, err
	}
	_ = json.Unmarshal([]byte(sum), &e.Summary)
	_ = json.Unmarshal([]byte(src), &e.Sources)
	if e.Summary == nil {
		e.Summary = []store.Sentence{}
	}
	if e.Sources == nil {
		e.Sources = []string{}
	}
	return e, nil
}

// Event implements store.Store.
func (s *Store) Event(ctx context.Context, id string) (store.Event, error) {
	e, err := scanEvent(s.pool.QueryRow(ctx, `SELECT `+eventCols+` FROM events WHERE id = $1`, clean(id)))
	if errors.Is(err, pgx.ErrNoRows) {
		return e, fmt.Errorf("event %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return e, err
	}
	arts, err := s.articlesOf(ctx, []string{e.ID})
	e.Articles = []string{}
	arts[e.ID].Fill(&e)
	return e, err
}

// articlesOf returns the articles of the given events (ids in seq order)
// and their sources.
func (s *Store) articlesOf(ctx context.Context, events []string) (map[string]*store.EventMembers, error) {
	out := map[string]*store.EventMembers{}
	if len(events) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT event, id, source FROM articles WHERE event = ANY($1) ORDER BY seq`, events)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var ev, id, src string
		if err := rows.Scan(&ev, &id, &src); err != nil {
			return nil, err
		}
		if out[ev] == nil {
			out[ev] = &store.EventMembers{}
		}
		out[ev].Add(id, src)
	}
	return out, rows.Err()
}

// args numbers query parameters.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

func window(f store.Filter, col string, a *args) string {
	var where []string
	if f.Source != "" {
		where = append(where, "EXISTS (SELECT 1 FROM articles fa WHERE fa.event = events.id AND fa.source = "+a.add(f.Source)+")")
	}
	if f.Lang != "" {
		where = append(where, "EXISTS (SELECT 1 FROM articles fa WHERE fa.event = events.id AND fa.lang = "+a.add(f.Lang)+")")
	}
	if f.Entity != "" {
		where = append(where, "EXISTS (SELECT 1 FROM articles fa JOIN mentions fm ON fm.article = fa.id WHERE fa.event = events.id AND fm.entity = "+a.add(f.Entity)+")")
	}
	if !f.From.IsZero() {
		where = append(where, col+" >= "+a.add(f.From.Format("2006-01-02")))
	}
	if !f.To.IsZero() {
		where = append(where, "("+col+" <= "+a.add(f.To.Format("2006-01-02"))+" AND "+col+" != '')")
	}
	if len(where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(where, " AND ")
}

func limitClause(f store.Filter) string {
	if f.Limit <= 0 && f.Offset <= 0 {
		return ""
	}
	l := "ALL"
	if f.Limit > 0 {
		l = strconv.Itoa(f.Limit)
	}
	return fmt.Sprintf(" LIMIT %s OFFSET %d", l, max(f.Offset, 0))
}

// Events implements store.Store.
func (s *Store) Events(ctx context.Context, f store.Filter) ([]store.Event, error) {
	var a args
	w := window(f, "date", &a)
	rows, err := s.pool.Query(ctx, `SELECT `+eventCols+` FROM events`+w+` ORDER BY date, id`+limitClause(f), a...)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	out := []store.Event{}
	var ids []string
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("events: %w", err)
		}
		out = append(out, e)
		ids = append(ids, e.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	arts, err := s.articlesOf(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	for i := range out {
		out[i].Articles = []string{}
		arts[out[i].ID].Fill(&out[i])
	}
	return out, nil
}

// Story implements store.Store.
func (s *Store) Story(ctx context.Context, id string) (store.Story, error) {
	st, err := s.stories(ctx, ` WHERE story = $1`, args{clean(id)}, store.Filter{})
	if err != nil {
		return store.Story{}, err
	}
	if len(st) == 0 {
		return store.Story{}, fmt.Errorf("story %q: %w", id, store.ErrNotFound)
	}
	return st[0], nil
}

// Stories implements store.Store. Storylines are ranked and paged in SQL
// (most recently active first); only the listed ones are then filled in.
func (s *Store) Stories(ctx context.Context, f store.Filter) ([]store.Story, error) {
	var a args
	q := `SELECT story FROM events`
	if f.Source != "" || f.Lang != "" || f.Entity != "" {
		w := window(store.Filter{Source: f.Source, Lang: f.Lang, Entity: f.Entity}, "date", &a)
		q += ` WHERE story IN (SELECT story FROM events` + w + `)`
	}
	q += ` GROUP BY story`
	var having []string
	if !f.From.IsZero() {
		having = append(having, "(max(date) >= "+a.add(f.From.Format("2006-01-02"))+" OR max(date) = '')")
	}
	if !f.To.IsZero() {
		having = append(having, "(min(nullif(date, '')) <= "+a.add(f.To.Format("2006-01-02"))+" OR min(nullif(date, '')) IS NULL)")
	}
	if len(having) > 0 {
		q += " HAVING " + strings.Join(having, " AND ")
	}
	q += ` ORDER BY max(date) DESC, story` + limitClause(f)
	rows, err := s.pool.Query(ctx, q, a...)
	if err != nil {
		return nil, fmt.Errorf("stories: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("stories: %w", err)
	}
	if len(ids) == 0 {
		return []store.Story{}, nil
	}
	st, err := s.stories(ctx, ` WHERE story = ANY($1)`, args{ids}, store.Filter{})
	if err != nil {
		return nil, err
	}
	pos := make(map[string]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	sort.SliceStable(st, func(i, j int) bool { return pos[st[i].ID] < pos[st[j].ID] })
	return st, nil
}

func (s *Store) stories(ctx context.Context, where string, a args, f store.Filter) ([]store.Story, error) {
	rows, err := s.pool.Query(ctx, `SELECT story, id, date, headline, size FROM events`+where+` ORDER BY story, CASE WHEN date = '' THEN 1 ELSE 0 END, date, id`, a...)
	if err != nil {
		return nil, fmt.Errorf("stories: %w", err)
	}
	type acc struct {
		store.Story
		best int
	}
	var order, evIDs []string
	m := map[string]*acc{}
	for rows.Next() {
		var sid, eid, date, head string
		var size int
		if err := rows.Scan(&sid, &eid, &date, &head, &size); err != nil {
			rows.Close()
			return nil, fmt.Errorf("stories: %w", err)
		}
		x := m[sid]
		if x == nil {
			x = &acc{Story: store.Story{ID: sid, Events: []string{}, Articles: []string{}}, best: -1}
			m[sid] = x
			order = append(order, sid)
		}
		x.Events = append(x.Events, eid)
		evIDs = append(evIDs, eid)
		if date != "" {
			if x.Start == "" || date < x.Start {
				x.Start = date
			}
			if date > x.End {
				x.End = date
			}
		}
		if size > x.best {
			x.best, x.Title = size, head
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("stories: %w", err)
	}
	// Each event's article ids in ingest order, events in time order.
	byEvent, err := s.articlesOf(ctx, evIDs)
	if err != nil {
		return nil, fmt.Errorf("stories: %w", err)
	}
	for _, sid := range order {
		x := m[sid]
		for _, ev := range x.Events {
			if m := byEvent[ev]; m != nil {
				x.Articles = append(x.Articles, m.IDs...)
			}
		}
	}
	out := make([]store.Story, 0, len(order))
	for _, sid := range order {
		x := m[sid]
		if !f.From.IsZero() && x.End != "" && x.End < f.From.Format("2006-01-02") {
			continue
		}
		if !f.To.IsZero() && x.Start != "" && x.Start > f.To.Format("2006-01-02") {
			continue
		}
		out = append(out, x.Story)
	}
	// Most recently active first.
	sort.SliceStable(out, func(i, j int) bool { return out[i].End > out[j].End })
	if f.Offset > 0 {
		out = out[min(f.Offset, len(out)):]
	}
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

// Meta implements store.Store.
func (s *Store) Meta(ctx context.Context, key string) ([]byte, error) {
	var v []byte
	err := s.pool.QueryRow(ctx, `SELECT value FROM meta WHERE key = $1`, clean(key)).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("meta %q: %w", key, err)
	}
	if v == nil {
		v = []byte{}
	}
	return v, nil
}

// Replay implements store.Store.
func (s *Store) Replay(ctx context.Context, fn func(store.Article) error) error {
	rows, err := s.pool.Query(ctx, `SELECT `+articleCols+` FROM articles ORDER BY seq`)
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return fmt.Errorf("replay: %w", err)
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Counts implements store.Store.
func (s *Store) Counts(ctx context.Context) (articles, events, stories int, err error) {
	err = s.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events), (SELECT count(DISTINCT story) FROM events)`).Scan(&articles, &events, &stories)
	if err != nil {
		err = fmt.Errorf("counts: %w", err)
	}
	return
}
