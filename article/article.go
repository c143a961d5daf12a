// Package article defines the Article type that flows through storyline and
// the readers that turn files into articles.
package article

import (
	"fmt"
	"time"
)

// Article is one news article as read from an input.
type Article struct {
	// ID identifies the article; the same ID ingested twice is one article.
	ID string `json:"id"`
	// Title is the headline given by the source; may be empty.
	Title string `json:"title,omitempty"`
	// Text is the body, paragraphs separated by "\n".
	Text string `json:"text"`
	// Published is the publication time; zero when unknown.
	Published time.Time `json:"published,omitzero"`
	// DateInferred is true when Published was inferred from the text
	// rather than given by the source.
	DateInferred bool `json:"date_inferred,omitempty"`
	// URL is the article's (canonical) address, if known.
	URL string `json:"url,omitempty"`
	// Source names the outlet (site or agency).
	Source string `json:"source,omitempty"`
	// Lang is the ISO 639-1 language code, if known.
	Lang string `json:"lang,omitempty"`
	// Extra holds input fields storyline does not interpret (e.g. a gold
	// "event" label); they are kept, never fatal.
	Extra map[string]string `json:"extra,omitempty"`
}

// Dated reports whether the article has a publication date (given or inferred).
func (a *Article) Dated() bool { return !a.Published.IsZero() }

// Rejection describes one input that could not be read as an article.
// The rest of the input is still processed.
type Rejection struct {
	File string // file path (or request name)
	Line int    // 1-based line number, 0 when the whole file is rejected
	Err  error
}

func (r Rejection) Error() string {
	if r.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", r.File, r.Line, r.Err)
	}
	return fmt.Sprintf("%s: %v", r.File, r.Err)
}
