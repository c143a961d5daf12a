package pipeline

import (
	"context"
	"slices"
	"time"

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
// kept among equals. A date without a time of day (midnight exactly) is
// placed at the end of its day: it says "some time that day", not "first".
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
		return StreamTime(a.Published).Compare(StreamTime(b.Published))
	})
}

// StreamTime is the time used to order a publication date: a date with no
// time of day (exactly midnight) counts as the end of its day.
func StreamTime(t time.Time) time.Time {
	if !t.IsZero() && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Add(24*time.Hour - time.Second)
	}
	return t
}

// ClusterAll clusters articles without a store, through the same analysis
// and assignment path as ingest, and returns one label per article in
// the order processed.
func ClusterAll(ctx context.Context, arts []article.Article, opt cluster.Options) ([]Label, error) {
	SortForStream(arts)
	in := newIngester(nil, Options{Cluster: opt})
	eng := in.eng
	labels := make([]Label, 0, len(arts))
	eventOf := map[string]string{}
	// Each article is assigned as soon as it is analyzed: dedup and entity
	// resolution on the stream's goroutine, clustering on another, in order.
	staged := make(chan staged, 64)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for s := range staged {
			as := in.place(&s, func(id string) string { return eventOf[id] })
			eventOf[s.an.Article.ID] = as.Event
			labels = append(labels, Label{ID: s.an.Article.ID, Event: as.Event})
		}
	}()
	err := AnalyzeStream(ctx, arts, 0, in.dx, func(an *Analyzed) { staged <- in.stage(an) })
	close(staged)
	<-done
	if err != nil {
		return nil, err
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
