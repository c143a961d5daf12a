// Package sqlite is storyline's embedded default store: one SQLite file
// through the pure-Go modernc.org/sqlite driver (no cgo), in WAL mode, with
// versioned schema migrations embedded in the binary.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/store"
	_ "modernc.org/sqlite" // database/sql driver "sqlite"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is a SQLite-backed store.Store.
type Store struct {
	db *sql.DB // reads
	// w is one connection for writes (Commit), and for reads when it is
	// idle (wmu free). A connection's page cache stays valid across its
	// own transactions, but is discarded whenever another connection has
	// written: a pool connection that both reads and writes in turn
	// re-reads (and re-allocates) the pages each batch touches.
	w   *sql.DB
	wmu sync.Mutex

	mu    sync.Mutex
	stmts map[stmtKey]*sql.Stmt // see prepared
	later []string              // see writerStmt
}

type stmtKey struct {
	db *sql.DB
	q  string
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed) the database file at path and brings its
// schema up to date.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := createFile(ctx, path); err != nil {
		return nil, err
	}
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-65536)&_pragma=wal_autocheckpoint(2500)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// WAL: readers (e.g. the next batch's checks) never wait for the writer.
	// The WAL is checkpointed into the database at 2,500 pages (~40 MB)
	// rather than SQLite's 1,000: a batch writes thousands of pages, and
	// pages written again by the next batches are copied back once.
	db.SetMaxOpenConns(4)
	s := &Store{db: db}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	if s.w, err = sql.Open("sqlite", dsn); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s.w.SetMaxOpenConns(1)
	return s, nil
}

// pageSize is the page size of new database files: larger than SQLite's
// 4 KiB default, so that a batch writes fewer, larger pages to the WAL
// (fewer write calls and checksums per article).
const pageSize = 16384

// createFile creates a missing database file with pageSize pages (the
// size can only be chosen before the first table, and before WAL mode).
func createFile(ctx context.Context, path string) error {
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		return nil
	}
	db, err := sql.Open("sqlite", "file:"+path+fmt.Sprintf("?_pragma=page_size(%d)", pageSize))
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `PRAGMA journal_mode=WAL`); err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	return nil
}

// SchemaVersion is the newest migration this build knows.
func SchemaVersion() int {
	v, _ := migrationList()
	if len(v) == 0 {
		return 0
	}
	return v[len(v)-1].Version
}

func migrationList() ([]store.Migration, error) {
	return store.Migrations(migrations, "migrations")
}

// migrate applies the embedded migrations not yet applied, each in its own
// transaction together with its schema_migrations row.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	ms, err := migrationList()
	if err != nil {
		return err
	}
	for _, m := range ms {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			tx.Rollback()
			return fmt.Errorf("%s: %w", m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)`, m.Version, time.Now().UTC().Format(time.RFC3339)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	var newest int
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&newest); err != nil {
		return err
	}
	if want := SchemaVersion(); newest > want {
		return fmt.Errorf("database schema version %d is newer than this storyline (%d): upgrade storyline", newest, want)
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.mu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = nil
	s.mu.Unlock()
	return errors.Join(s.w.Close(), s.db.Close())
}

// writerStmt returns q prepared for tx, a transaction of the writer
// connection. Statements are prepared once for the store's life, but
// not while tx holds the writer's only connection: the first time, q is
// prepared for tx alone, and for good once tx is done (see Commit).
func (s *Store) writerStmt(ctx context.Context, tx *sql.Tx, q string) (*sql.Stmt, error) {
	s.mu.Lock()
	st := s.stmts[stmtKey{s.w, q}]
	if st == nil && !slices.Contains(s.later, q) {
		s.later = append(s.later, q)
	}
	s.mu.Unlock()
	if st != nil {
		return tx.StmtContext(ctx, st), nil
	}
	return tx.PrepareContext(ctx, q)
}

// prepareLater prepares the writer statements writerStmt left for later.
// The writer connection must be idle.
func (s *Store) prepareLater(ctx context.Context) {
	s.mu.Lock()
	later := s.later
	s.later = nil
	s.mu.Unlock()
	for _, q := range later {
		s.prepared(ctx, s.w, q) // on failure, prepared again next time
	}
}

// reader returns the pool for a read: the writer's connection when it is
// idle, whose cache is warm, else the read pool. done must be called
// once the read's rows are closed.
func (s *Store) reader() (db *sql.DB, done func()) {
	if s.wmu.TryLock() {
		return s.w, s.wmu.Unlock
	}
	return s.db, func() {}
}

// prepared returns the statement q, prepared once for the store's life:
// database/sql prepares it on each pool connection the first time it runs
// there and reuses it afterwards, so frequent statements (the reads that
// summarize every changed event, the multi-row inserts of each batch) are
// not parsed and planned again on every call.
func (s *Store) prepared(ctx context.Context, db *sql.DB, q string) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := stmtKey{db, q}
	if st := s.stmts[k]; st != nil {
		return st, nil
	}
	st, err := db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if s.stmts == nil {
		s.stmts = map[stmtKey]*sql.Stmt{}
	}
	s.stmts[k] = st
	return st, nil
}

func fmtTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(time.RFC3339Nano)
}

func parseTime(ns sql.NullString) time.Time {
	if !ns.Valid {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339Nano, ns.String)
	return t
}

// Hashes implements store.Store.
func (s *Store) Hashes(ctx context.Context, ids []string) (map[string]uint64, error) {
	out := make(map[string]uint64, len(ids))
	db, done := s.reader()
	defer done()
	err := queryIn(ctx, db, `SELECT id, hash FROM articles WHERE id IN `, ids, "", func(rows *sql.Rows) error {
		var id string
		var h int64
		if err := rows.Scan(&id, &h); err != nil {
			return err
		}
		out[id] = uint64(h)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("hashes: %w", err)
	}
	return out, nil
}

// chunkIDs is how many ids go in one "IN (...)" list.
const chunkIDs = 500

// inList returns "(?,?,...)" for n placeholders and ids as arguments.
func inList(ids []string) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return `(?` + strings.Repeat(",?", len(ids)-1) + `)`, args
}

// execIn runs q, which ends in "IN ", once per chunk of ids, each
// followed by tail (e.g. an ORDER BY clause).
func execIn(ctx context.Context, tx *sql.Tx, q string, ids []string, tail ...string) error {
	for i := 0; i < len(ids); i += chunkIDs {
		in, args := inList(ids[i:min(i+chunkIDs, len(ids))])
		if _, err := tx.ExecContext(ctx, q+in+strings.Join(tail, ""), args...); err != nil {
			return err
		}
	}
	return nil
}

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// queryIn runs q, which ends in "IN ", once per chunk of ids, each
// followed by tail, and calls scan on every row.
func queryIn(ctx context.Context, db querier, q string, ids []string, tail string, scan func(*sql.Rows) error) error {
	for i := 0; i < len(ids); i += chunkIDs {
		in, args := inList(ids[i:min(i+chunkIDs, len(ids))])
		rows, err := db.QueryContext(ctx, q+in+tail, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// storedArticle is what Commit needs of a stored article: its rowid (the
// epoch of its mention rows, see mentionEpochBits) and the entities it
// names (its "entities" column: entity id -> count).
type storedArticle struct {
	rowid    int64
	entities map[string]int
}

// storedIDs returns those of ids that name a stored article.
func storedIDs(ctx context.Context, tx *sql.Tx, ids []string) (map[string]storedArticle, error) {
	out := map[string]storedArticle{}
	err := queryIn(ctx, tx, `SELECT id, rowid, entities FROM articles WHERE id IN `, ids, "", func(rows *sql.Rows) error {
		var id string
		var st storedArticle
		var ents sql.NullString
		if err := rows.Scan(&id, &st.rowid, &ents); err != nil {
			return err
		}
		if ents.Valid {
			if err := json.Unmarshal([]byte(ents.String), &st.entities); err != nil {
				return fmt.Errorf("entities of %q: %w", id, err)
			}
		}
		out[id] = st
		return nil
	})
	return out, err
}

// rowsPerInsert is how many rows one multi-row INSERT statement writes.
const rowsPerInsert = 64

// insertRows writes n rows with multi-row statements "insert tuple,
// tuple, ... upsert" of up to rowsPerInsert rows: far fewer statement
// executions than one per row. args appends row i's values to dst. Within
// a statement, later rows win over earlier ones with the same key, as with
// separate statements.
func (s *Store) insertRows(ctx context.Context, tx *sql.Tx, insert, tuple, upsert string, n int, args func(i int, dst []any) []any) error {
	var full *sql.Stmt
	var buf []any
	for i := 0; i < n; i += rowsPerInsert {
		k := min(rowsPerInsert, n-i)
		q := insert + tuple + strings.Repeat(","+tuple, k-1) + upsert
		buf = buf[:0]
		for j := i; j < i+k; j++ {
			buf = args(j, buf)
		}
		var err error
		if k == rowsPerInsert {
			if full == nil {
				if full, err = s.writerStmt(ctx, tx, q); err != nil {
					return err
				}
			}
			_, err = full.ExecContext(ctx, buf...)
		} else {
			_, err = tx.ExecContext(ctx, q, buf...)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

const articleInsert = `INSERT OR FAIL INTO articles(id, seq, hash, title, text, published, date_inferred, url, source, lang, extra, event_time, event, novelty, entities, reuse) VALUES `

const articleTuple = `(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`

// writeArticles writes a batch's articles. Those new to the store, named
// once in the batch, are plain inserts "OR FAIL"; the others (stored
// ones, and ids the batch names more than once, later rows winning) are
// upserts. A multi-row statement that may abort halfway (the upsert's
// UPDATE, or an insert with the default ABORT conflict handling) makes
// SQLite copy every page it touches to a statement journal first, so
// that it can undo just that statement; with FAIL nothing is undone
// (Commit rolls the whole transaction back on any error anyway), and new
// articles, nearly all of a batch, skip that copy.
func (s *Store) writeArticles(ctx context.Context, tx *sql.Tx, arts []store.Article, stored map[string]storedArticle, enc *encoded) error {
	l := enc.links
	times := make(map[string]int, len(arts))
	for _, a := range arts {
		times[a.ID]++
	}
	var fresh, upsert []int // indexes in arts
	for i := range arts {
		if _, ok := stored[arts[i].ID]; ok || times[arts[i].ID] > 1 {
			upsert = append(upsert, i)
		} else {
			fresh = append(fresh, i)
		}
	}
	args := func(as []int) func(i int, dst []any) []any {
		return func(i int, dst []any) []any {
			k := as[i]
			a := &arts[k]
			return append(dst, a.ID, a.Seq, int64(a.Hash), a.Title, a.Text, enc.published[k], a.DateInferred,
				a.URL, a.Source, a.Lang, enc.extra[k], enc.eventTime[k], a.Event, a.Novelty, l.entitiesJSON(a.ID), l.reuseJSON(a.ID))
		}
	}
	if err := s.insertRows(ctx, tx, articleInsert, articleTuple, ``, len(fresh), args(fresh)); err != nil {
		return err
	}
	return s.insertRows(ctx, tx, articleInsert, articleTuple, `
ON CONFLICT(id) DO UPDATE SET seq=excluded.seq, hash=excluded.hash, title=excluded.title, text=excluded.text,
 published=excluded.published, date_inferred=excluded.date_inferred, url=excluded.url, source=excluded.source,
 lang=excluded.lang, extra=excluded.extra, event_time=excluded.event_time, event=excluded.event, novelty=excluded.novelty,
 entities=excluded.entities, reuse=excluded.reuse`, len(upsert), args(upsert))
}

// encoded is the part of a batch's rows that needs no database: its JSON
// and time columns, per article, event and entity (in the batch's order).
type encoded struct {
	links
	extra, published, eventTime []any
	summary, sources            []string
	aliases                     []string
	// The batch's lengths when it was encoded.
	articles, events, entities, reuse, mentions int
}

// Encode implements store.Encoder: it works out b's JSON and time
// columns into b.Encoded, so that Commit spends its transaction on the
// database only.
func (s *Store) Encode(b *store.Batch) { b.Encoded = encode(b) }

func encode(b *store.Batch) *encoded {
	e := &encoded{links: batchLinks(b), articles: len(b.Articles), events: len(b.Events), entities: len(b.Entities),
		reuse: len(b.Reuse), mentions: len(b.Mentions)}
	e.extra = make([]any, len(b.Articles))
	e.published = make([]any, len(b.Articles))
	e.eventTime = make([]any, len(b.Articles))
	for i := range b.Articles {
		a := &b.Articles[i]
		e.extra[i] = "{}"
		if len(a.Extra) > 0 {
			eb, _ := json.Marshal(a.Extra)
			e.extra[i] = string(eb)
		}
		e.published[i], e.eventTime[i] = fmtTime(a.Published), fmtTime(a.EventTime)
	}
	e.summary = make([]string, len(b.Events))
	e.sources = make([]string, len(b.Events))
	for i := range b.Events {
		sum, _ := json.Marshal(b.Events[i].Summary)
		src, _ := json.Marshal(b.Events[i].Sources)
		e.summary[i], e.sources[i] = string(sum), string(src)
	}
	e.aliases = make([]string, len(b.Entities))
	for i := range b.Entities {
		al, _ := json.Marshal(b.Entities[i].Aliases)
		e.aliases[i] = string(al)
	}
	return e
}

// encodingOf returns b's encoding: the one Encode left, unless the batch
// has grown or shrunk since, or a new one.
func encodingOf(b *store.Batch) *encoded {
	if e, ok := b.Encoded.(*encoded); ok && e.articles == len(b.Articles) && e.events == len(b.Events) &&
		e.entities == len(b.Entities) && e.reuse == len(b.Reuse) && e.mentions == len(b.Mentions) {
		return e
	}
	return encode(b)
}

// Commit implements store.Store.
func (s *Store) Commit(ctx context.Context, b *store.Batch) (err error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("commit: begin: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	var stored map[string]storedArticle
	enc := encodingOf(b)
	if len(b.Articles) > 0 {
		ids := make([]string, len(b.Articles))
		for i, a := range b.Articles {
			ids[i] = a.ID
		}
		if stored, err = storedIDs(ctx, tx, ids); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
		// Articles that replace stored ones leave the full-text index first.
		if len(stored) > 0 {
			if err := execIn(ctx, tx, `INSERT INTO articles_fts(articles_fts, rowid, title, text)
SELECT 'delete', rowid, title, text FROM articles WHERE id IN `, slices.Sorted(maps.Keys(stored)), ` ORDER BY rowid`); err != nil {
				return fmt.Errorf("commit: full-text index: %w", err)
			}
		}
		if err := s.writeArticles(ctx, tx, b.Articles, stored, enc); err != nil {
			return fmt.Errorf("commit: articles: %w", err)
		}
		// In rowid order: FTS5 writes its pending postings out as a new
		// segment whenever a rowid is not above the previous one, so rows
		// in id order (the IN list's index) made a segment every few rows.
		if err := execIn(ctx, tx, `INSERT INTO articles_fts(rowid, title, text)
SELECT rowid, title, text FROM articles WHERE id IN `, ids, ` ORDER BY rowid`); err != nil {
			return fmt.Errorf("commit: full-text index: %w", err)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(b.Moves)) {
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET event = ? WHERE id = ?`, b.Moves[id], id); err != nil {
			return fmt.Errorf("commit: move %q: %w", id, err)
		}
	}
	if len(b.Gone) > 0 {
		if err := execIn(ctx, tx, `DELETE FROM events WHERE id IN `, b.Gone); err != nil {
			return fmt.Errorf("commit: delete events: %w", err)
		}
	}
	if err := s.insertRows(ctx, tx, `INSERT INTO events(id, story, date, headline, summary, sources, size) VALUES `, `(?,?,?,?,?,?,?)`, `
ON CONFLICT(id) DO UPDATE SET story=excluded.story, date=excluded.date, headline=excluded.headline, summary=excluded.summary, sources=excluded.sources, size=excluded.size`,
		len(b.Events), func(i int, dst []any) []any {
			e := &b.Events[i]
			return append(dst, e.ID, e.Story, e.Date, e.Headline, enc.summary[i], enc.sources[i], e.Size)
		}); err != nil {
		return fmt.Errorf("commit: events: %w", err)
	}
	if err := s.commitExtras(ctx, tx, b, enc, stored); err != nil {
		return err
	}
	for k, v := range b.Meta {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, k, v); err != nil {

			return fmt.Errorf("commit: meta %q: %w", k, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	s.prepareLater(ctx)
	return nil
}

const articleCols = `id, seq, hash, title, text, published, date_inferred, url, source, lang, extra, event_time, event, novelty`

func scanArticle(sc interface{ Scan(...any) error }) (store.Article, error) {
	var a store.Article
	var pub, et sql.NullString
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

// Article implements store.Store.
func (s *Store) Article(ctx context.Context, id string) (store.Article, error) {
	db, done := s.reader()
	defer done()
	st, err := s.prepared(ctx, db, `SELECT `+articleCols+` FROM articles WHERE id = ?`)
	if err != nil {
		return store.Article{}, fmt.Errorf("article %q: %w", id, err)
	}
	a, err := scanArticle(st.QueryRowContext(ctx, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("article %q: %w", id, store.ErrNotFound)
	}
	return a, err
}

// EventArticles implements store.Store.
func (s *Store) EventArticles(ctx context.Context, event string, limit int) ([]store.Article, error) {
	if limit <= 0 {
		limit = -1
	}
	db, done := s.reader()
	defer done()
	st, err := s.prepared(ctx, db, `SELECT `+articleCols+` FROM articles WHERE event = ? ORDER BY seq LIMIT ?`)
	if err != nil {
		return nil, fmt.Errorf("event articles: %w", err)
	}
	rows, err := st.QueryContext(ctx, event, limit)
	if err != nil {
		return nil, fmt.Errorf("event articles: %w", err)
	}
	defer rows.Close()
	var out []store.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (s *Store) articleIDs(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

const eventCols = `id, story, date, headline, summary, sources, size`

func scanEvent(sc interface{ Scan(...any) error }) (store.Event, error) {
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
	e, err := scanEvent(s.db.QueryRowContext(ctx, `SELECT `+eventCols+` FROM events WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, fmt.Errorf("event %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return e, err
	}
	arts, err := s.articlesOf(ctx, []string{id})
	if err != nil {
		return e, err
	}
	e.Articles = []string{}
	arts[id].Fill(&e)
	return e, nil
}

func window(f store.Filter, col string) (string, []any) {
	var where []string
	var args []any
	if f.Source != "" {
		where = append(where, "EXISTS (SELECT 1 FROM articles fa WHERE fa.event = events.id AND fa.source = ?)")
		args = append(args, f.Source)
	}
	if f.Lang != "" {
		where = append(where, "EXISTS (SELECT 1 FROM articles fa WHERE fa.event = events.id AND fa.lang = ?)")
		args = append(args, f.Lang)
	}
	if f.Entity != "" {
		where = append(where, "EXISTS (SELECT 1 FROM articles fa JOIN mentions fm ON "+mentionOf("fm", "fa")+" WHERE fa.event = events.id)")
		args = append(args, f.Entity)
	}
	if !f.From.IsZero() {
		where = append(where, col+" >= ?")
		args = append(args, f.From.Format("2006-01-02"))
	}
	if !f.To.IsZero() {
		where = append(where, "("+col+" <= ? AND "+col+" != '')")
		args = append(args, f.To.Format("2006-01-02"))
	}
	if len(where) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

func limitClause(f store.Filter) string {
	if f.Limit <= 0 && f.Offset <= 0 {
		return ""
	}
	l := f.Limit
	if l <= 0 {
		l = -1
	}
	return fmt.Sprintf(" LIMIT %d OFFSET %d", l, max(f.Offset, 0))
}

// Events implements store.Store.
func (s *Store) Events(ctx context.Context, f store.Filter) ([]store.Event, error) {
	w, args := window(f, "date")
	rows, err := s.db.QueryContext(ctx, `SELECT `+eventCols+` FROM events`+w+` ORDER BY date, id`+limitClause(f), args...)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	var out []store.Event
	idx := map[string]int{}
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		e.Articles = []string{}
		idx[e.ID] = len(out)
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return []store.Event{}, nil
	}
	ids := make([]string, len(out))
	for i := range out {
		ids[i] = out[i].ID
	}
	byEvent, err := s.articlesOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		byEvent[out[i].ID].Fill(&out[i])
	}
	return out, nil
}

// articlesOf returns the articles of the given events (ids in ingest
// order) and their sources.
func (s *Store) articlesOf(ctx context.Context, events []string) (map[string]*store.EventMembers, error) {
	out := make(map[string]*store.EventMembers, len(events))
	err := queryIn(ctx, s.db, `SELECT event, id, source FROM articles WHERE event IN `, events, ` ORDER BY seq`, func(rows *sql.Rows) error {
		var ev, id, src string
		if err := rows.Scan(&ev, &id, &src); err != nil {
			return err
		}
		if out[ev] == nil {
			out[ev] = &store.EventMembers{}
		}
		out[ev].Add(id, src)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("articles of events: %w", err)
	}
	return out, nil
}

// Story implements store.Store.
func (s *Store) Story(ctx context.Context, id string) (store.Story, error) {
	st, err := s.stories(ctx, ` WHERE story = ?`, []any{id}, store.Filter{})
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
	var where []string
	var args []any
	if f.Source != "" || f.Lang != "" || f.Entity != "" {
		w, a := window(store.Filter{Source: f.Source, Lang: f.Lang, Entity: f.Entity}, "date")
		where = append(where, "story IN (SELECT story FROM events"+w+")")
		args = append(args, a...)
	}
	var having []string
	if !f.From.IsZero() {
		having = append(having, "(max(date) >= ? OR max(date) = '')")
		args = append(args, f.From.Format("2006-01-02"))
	}
	if !f.To.IsZero() {
		having = append(having, "(min(nullif(date, '')) <= ? OR min(nullif(date, '')) IS NULL)")
		args = append(args, f.To.Format("2006-01-02"))
	}
	q := `SELECT story FROM events`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " GROUP BY story"
	if len(having) > 0 {
		q += " HAVING " + strings.Join(having, " AND ")
	}
	q += " ORDER BY max(date) DESC, story" + limitClause(f)
	ids, err := s.articleIDs(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("stories: %w", err)
	}
	if len(ids) == 0 {
		return []store.Story{}, nil
	}
	qargs := make([]any, len(ids))
	for i, id := range ids {
		qargs[i] = id
	}
	st, err := s.stories(ctx, ` WHERE story IN (?`+strings.Repeat(",?", len(ids)-1)+`)`, qargs, store.Filter{})
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

func (s *Store) stories(ctx context.Context, where string, args []any, f store.Filter) ([]store.Story, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT story, id, date, headline, size FROM events`+where+` ORDER BY story, CASE WHEN date = '' THEN 1 ELSE 0 END, date, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("stories: %w", err)
	}
	type acc struct {
		store.Story
		best int
	}
	var order []string
	m := map[string]*acc{}
	evStory := map[string]string{}
	var evIDs []string
	for rows.Next() {
		var sid, eid, date, head string
		var size int
		if err := rows.Scan(&sid, &eid, &date, &head, &size); err != nil {
			rows.Close()
			return nil, err
		}
		a := m[sid]
		if a == nil {
			a = &acc{Story: store.Story{ID: sid, Events: []string{}, Articles: []string{}}, best: -1}
			m[sid] = a
			order = append(order, sid)
		}
		a.Events = append(a.Events, eid)
		evStory[eid] = sid
		evIDs = append(evIDs, eid)
		if date != "" {
			if a.Start == "" || date < a.Start {
				a.Start = date
			}
			if date > a.End {
				a.End = date
			}
		}
		if size > a.best {
			a.best, a.Title = size, head
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	byEvent, err := s.articlesOf(ctx, evIDs)
	if err != nil {
		return nil, err
	}
	out := make([]store.Story, 0, len(order))
	for _, sid := range order {
		a := m[sid]
		for _, ev := range a.Events {
			if m := byEvent[ev]; m != nil {
				a.Articles = append(a.Articles, m.IDs...)
			}
		}
		out = append(out, a.Story)
	}
	return out, nil
}

// Meta implements store.Store.
func (s *Store) Meta(ctx context.Context, key string) ([]byte, error) {
	var v []byte
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return v, err
}

// Replay implements store.Store.
func (s *Store) Replay(ctx context.Context, fn func(store.Article) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT `+articleCols+` FROM articles ORDER BY seq`)
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return err
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Counts implements store.Store.
func (s *Store) Counts(ctx context.Context) (articles, events, stories int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events), (SELECT count(DISTINCT story) FROM events)`).Scan(&articles, &events, &stories)
	return
}

var _ = article.Article{}
