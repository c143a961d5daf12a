// Package store defines what storyline keeps and the Store interface its
// backends implement (store/sqlite, the embedded default; a PostgreSQL
// backend can follow behind the same interface).
package store

import (
	"context"
	"errors"
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
}

// Filter narrows listings.
type Filter struct {
	From, To time.Time // on event date; zero means open
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
	// Replay calls fn for every article with Seq > afterSeq or EventTime
	// at or after since, in Seq order.
	Replay(ctx context.Context, afterSeq int64, since time.Time, fn func(Article) error) error
	// Latest returns the latest event time stored (zero when none).
	Latest(ctx context.Context) (time.Time, error)
	// Counts returns the number of articles, events and storylines.
	Counts(ctx context.Context) (articles, events, stories int, err error)
	Close() error
}
