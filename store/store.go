// Package store defines what storyline keeps and the Store interface its
// backends implement (store/sqlite, the embedded default; a PostgreSQL
// backend can follow behind the same interface).
package store

import (
	"context"
	"errors"
	"maps"
	"slices"
	"time"

	"github.com/storyline/storyline/article"
)

// ErrNotFound is returned when an id names nothing.
var ErrNotFound = errors.New("not found")

// Article is a stored article with its place in the clustering.
type Article struct {
	article.Article
	// Hash identifies the content; a re-ingest with another hash updates.
	Hash uint64 `json:"-"`
	// Seq is the ingest order.
	Seq int64 `json:"-"`
	// EventTime is the estimated date of the reported happening.
	EventTime time.Time `json:"event_time,omitzero"`
	Event     string    `json:"event"`
	// Novelty is the share of the article's text not seen in earlier articles.
	Novelty float64 `json:"novelty"`
}

// Passage is a span of an article that also stands in an earlier one.
type Passage struct {
	Text       string `json:"text"`
	FromOffset int    `json:"from_offset"` // byte offset in the origin
	ToOffset   int    `json:"to_offset"`   // byte offset in the copying article
	Len        int    `json:"len"`         // bytes in the copying article
}

// Reuse is what article To copied from its origin From.
type Reuse struct {
	From        string    `json:"from"`
	To          string    `json:"to"`
	SharedRatio float64   `json:"shared_ratio"`
	Passages    []Passage `json:"passages"`
}

// Duplicate is a near-duplicate pair: B is a copy of the earlier A.
type Duplicate struct {
	A          string  `json:"a"`
	B          string  `json:"b"`
	Similarity float64 `json:"similarity"`
}

// Entity is a canonical named entity (a person, organization, place or
// other name) merged across spellings and articles.
type Entity struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Type      string   `json:"type"`
	Aliases   []string `json:"aliases"`
	FirstSeen string   `json:"first_seen,omitempty"`
	LastSeen  string   `json:"last_seen,omitempty"`
	Articles  []string `json:"articles"`
	Events    []string `json:"events"`
}

// Mention says that an article names an entity Count times.
type Mention struct {
	Article string
	Entity  string
	Count   int
}

// Sentence is a summary sentence with the article it comes from.
type Sentence struct {
	Text    string `json:"text"`
	Article string `json:"article"`
	Source  string `json:"source,omitempty"`
}

// Event is one real happening.
type Event struct {
	ID       string     `json:"id"`
	Story    string     `json:"story"`
	Date     string     `json:"date"` // YYYY-MM-DD, "" when unknown
	Headline string     `json:"headline"`
	Summary  []Sentence `json:"summary"`
	Articles []string   `json:"articles"`
	Sources  []string   `json:"sources"`
	Size     int        `json:"-"`
}

// EventMembers collects an event's articles as a backend reads them (in
// ingest order) and the sources they come from.
type EventMembers struct {
	IDs     []string
	sources map[string]bool
}

// Add records article id from source (may be empty).
func (m *EventMembers) Add(id, source string) {
	m.IDs = append(m.IDs, id)
	if source != "" {
		if m.sources == nil {
			m.sources = map[string]bool{}
		}
		m.sources[source] = true
	}
}

// Fill sets e's articles and its sources: those of all its articles,
// sorted (the row's own list names only the articles its summary read).
// A nil m (no article read) leaves e as it is.
func (m *EventMembers) Fill(e *Event) {
	if m == nil {
		return
	}
	e.Articles = m.IDs
	e.Sources = slices.Sorted(maps.Keys(m.sources))
	if e.Sources == nil {
		e.Sources = []string{}
	}
}

// Story is a storyline: events of one developing situation.
type Story struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Start    string   `json:"start"`
	End      string   `json:"end"`
	Events   []string `json:"events"`
	Articles []string `json:"articles"`
}

// Batch is everything one ingest step writes, atomically.
type Batch struct {
	Articles []Article
	// Moves re-assigns already stored articles to other events.
	Moves map[string]string
	// Events to insert or replace (without Articles, which are derived).
	Events []Event
	// Gone lists events that no longer exist.
	Gone []string
	// Meta entries to set (engine snapshots).
	Meta map[string][]byte
	// Reuse records of the batch's articles. Writing an article replaces
	// its stored reuse records and mentions with the batch's.
	Reuse []Reuse
	// Duplicates are near-duplicate pairs found in the batch.
	Duplicates []Duplicate
	// Entities to insert or replace (without Articles and Events).
	Entities []Entity
	// Mentions of the batch's articles.
	Mentions []Mention
	// Encoded is the store's own encoding of the batch, left by its
	// Encode (see Encoder) for its Commit; nil when not encoded.
	Encoded any
}

// Encoder is implemented by stores that can do the part of a commit that
// needs no database (encoding rows) before the commit itself, e.g. while
// an earlier batch is still being written: Encode leaves it in b.Encoded
// for Commit, which does it itself when it was not done. The batch must
// not change in between.
type Encoder interface {
	Encode(b *Batch)
}

// Filter narrows listings.
type Filter struct {
	From, To time.Time // on event date (publication date for articles); zero means open
	Source   string    // only what has an article from this source
	Entity   string    // only what has an article naming this entity id
	Lang     string    // only what has an article in this language
	Limit    int       // 0: no limit
	Offset   int
}

// Store keeps articles, events and storylines.
type Store interface {
	// Hashes returns the content hashes of those ids that are stored.
	Hashes(ctx context.Context, ids []string) (map[string]uint64, error)
	// Commit writes a batch in one transaction: all of it or none.
	Commit(ctx context.Context, b *Batch) error
	// Article returns one article.
	Article(ctx context.Context, id string) (Article, error)
	// EventArticles returns the articles of an event, oldest first, at most limit (0: all).
	EventArticles(ctx context.Context, event string, limit int) ([]Article, error)
	// Event returns one event with its article ids.
	Event(ctx context.Context, id string) (Event, error)
	// Events lists events by date.
	Events(ctx context.Context, f Filter) ([]Event, error)
	// Story returns one storyline with its events in time order.
	Story(ctx context.Context, id string) (Story, error)
	// Stories lists storylines, most recently active first.
	Stories(ctx context.Context, f Filter) ([]Story, error)
	// Meta returns a stored engine snapshot entry (nil when absent).
	Meta(ctx context.Context, key string) ([]byte, error)
	// Replay calls fn for every stored article in ingest (Seq) order,
	// stopping at fn's first error.
	Replay(ctx context.Context, fn func(Article) error) error
	// ReuseOf returns what an article copied from earlier ones.
	ReuseOf(ctx context.Context, article string) ([]Reuse, error)
	// ReuseAll lists reuse records, the copying article's publication in f's range.
	ReuseAll(ctx context.Context, f Filter) ([]Reuse, error)
	// Duplicates lists near-duplicate pairs.
	Duplicates(ctx context.Context, f Filter) ([]Duplicate, error)
	// Entity returns one canonical entity with its articles and events.
	Entity(ctx context.Context, id string) (Entity, error)
	// Entities lists entities, most mentioned first.
	Entities(ctx context.Context, f Filter) ([]Entity, error)
	// Search finds articles whose title or text match the full-text query
	// q (words, "phrases", OR, prefix*), best first.
	Search(ctx context.Context, q string, f Filter) ([]Article, error)
	// Counts returns the number of articles, events and storylines.
	Counts(ctx context.Context) (articles, events, stories int, err error)
	Close() error
}
