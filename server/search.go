package server

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

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
	// Articles counts an event's matching articles (events only).
	Articles int `json:"articles,omitempty"`
}

// maxSearchWords bounds the words used to place a snippet.
const maxSearchWords = 8

// searchWords splits a query into at most maxSearchWords words (for
// snippets; the store parses the query itself).
func searchWords(q string) []string {
	ws := strings.FieldsFunc(q, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	out := ws[:0]
	for _, w := range ws {
		if w != "OR" && w != "AND" && w != "NOT" {
			out = append(out, w)
		}
	}
	if len(out) > maxSearchWords {
		out = out[:maxSearchWords]
	}
	return out
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
