package server

import (
	"context"
	"time"

	"github.com/storyline/storyline/dedup"
)

// The store does not (yet) answer everything the server shows. These small
// interfaces name what the server needs; Options takes an implementation
// of each, and the server falls back to its own (search over a read-only
// SQL connection, reuse recomputed per storyline, an in-memory entity
// index) when none is given. A store that grows these methods can be
// passed in directly or through a thin adapter in cmd/storyline/serve.go.

// SearchQuery is a full-text query with the listing filters.
type SearchQuery struct {
	// Q holds the words to find; every word must occur.
	Q string
	// From and To bound the event date (article: its event time, else its
	// publication date); zero means open.
	From, To time.Time
	// Source keeps only articles from this source, events citing it.
	Source string
	// Kind is "article", "event" or "" for both.
	Kind          string
	Limit, Offset int
}

// SearchHit is one search result.
type SearchHit struct {
	// Kind is "article" or "event".
	Kind  string `json:"kind"`
	ID    string `json:"id"`
	Title string `json:"title"`
	// Snippet is plain text around the first match (not HTML).
	Snippet string `json:"snippet"`
	Date    string `json:"date,omitempty"`
	Source  string `json:"source,omitempty"`
	// Event is the article's event (articles only).
	Event string `json:"event,omitempty"`
}

// Searcher finds articles and events by their words.
type Searcher interface {
	Search(ctx context.Context, q SearchQuery) ([]SearchHit, error)
}

// EntityQuery filters entity listings.
type EntityQuery struct {
	// Q keeps entities whose name or an alias contains it (case-insensitive).
	Q string
	// Type is PER, ORG, LOC, MISC or "" for all.
	Type          string
	Limit, Offset int
}

// EntityInfo is a canonical entity with the articles naming it.
type EntityInfo struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Type    string   `json:"type"`
	Aliases []string `json:"aliases"`
	// Docs is the number of articles naming it.
	Docs int `json:"docs"`
	// Articles are the ids of those articles (Entity only; nil in listings).
	Articles []string `json:"articles,omitempty"`
}

// EntitySource answers questions about entities. Entity returns an error
// wrapping store.ErrNotFound for an unknown id.
type EntitySource interface {
	Entities(ctx context.Context, q EntityQuery) ([]EntityInfo, error)
	Entity(ctx context.Context, id string) (EntityInfo, error)
	// ArticleEntities returns the entity ids each article names.
	ArticleEntities(ctx context.Context, ids []string) (map[string][]string, error)
}

// ArticleReuse is what an article took from earlier articles.
type ArticleReuse struct {
	// Novelty is the share of the article's words not seen earlier.
	Novelty float64 `json:"novelty"`
	// Reuse lists the passages per origin, largest share first.
	Reuse []dedup.Reuse `json:"reuse"`
}

// ReuseSource tells which passages an article copied and from where.
type ReuseSource interface {
	Reuse(ctx context.Context, articleID string) (ArticleReuse, error)
}
