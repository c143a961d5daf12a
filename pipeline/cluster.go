package pipeline

import (
	"context"
	"slices"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/cluster"
)

// Label is an article's place in the clustering.
type Label struct {
	ID    string `json:"id"`
	Event string `json:"event"`
	Story string `json:"story"`
}

// SortForStream orders articles as a stream would deliver them: by
// publication time, undated articles after the dated ones, input order
// kept among equals.
func SortForStream(arts []article.Article) {
	slices.SortStableFunc(arts, func(a, b article.Article) int {
		switch {
		case a.Published.IsZero() && b.Published.IsZero():
			return 0
		case a.Published.IsZero():
			return 1
		case b.Published.IsZero():
			return -1
		}
		return a.Published.Compare(b.Published)
	})
}

// ClusterAll clusters articles without a store, through the same analysis
// and assignment path as ingest, and returns one label per article in
// the order processed.
func ClusterAll(ctx context.Context, arts []article.Article, opt cluster.Options) ([]Label, error) {
	SortForStream(arts)
	in := newIngester(nil, Options{Cluster: opt})
	an := AnalyzeAll(ctx, arts, 0, in.dx)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	eng := in.eng
	labels := make([]Label, len(an))
	eventOf := map[string]string{}
	for i := range an {
		as, _ := in.assign(&an[i], func(id string) string { return eventOf[id] })
		eventOf[an[i].Article.ID] = as.Event
		labels[i] = Label{ID: an[i].Article.ID, Event: as.Event}
	}
	moves, _ := eng.SettleAll()
	pos := make(map[string]int, len(labels))
	for i, l := range labels {
		pos[l.ID] = i
	}
	for _, m := range moves {
		labels[pos[m.Article]].Event = m.To
	}
	for i := range labels {
		labels[i].Story, _ = eng.StoryOf(labels[i].Event)
	}
	return labels, nil
}
