package pipeline

import (
	"slices"

	"github.com/storyline/storyline/store"
)

// knownEvents remembers, for events summarized in the last few batches,
// every article the store holds for them (at most maxSummaryArticles, in
// seq order, as Store.EventArticles returns them), so that summarizing
// such an event again does not read its articles back. An entry is kept
// only while no later batch changed the event: a batch that adds articles
// to it, moves articles in or out, removes it, or updates one of its
// articles drops the entry unless that batch summarized the event and
// knew all its articles.
//
// Entries are written on the commit chain after a batch is committed and
// read while the next batch is summarized, never both at once.
type knownEvents struct {
	arts  map[string][]store.Article // event → its stored articles
	at    map[string]int             // event → the batch that wrote the entry
	of    map[string]string          // article → the entry's event holding it
	batch int
}

// knownBatches is how many batches an entry outlives unused: events are
// mostly summarized again in the next batch or two (the stream is in
// publication order), and older entries would only hold memory.
const knownBatches = 4

func newKnownEvents() knownEvents {
	return knownEvents{arts: map[string][]store.Article{}, at: map[string]int{}, of: map[string]string{}}
}

// get returns the stored articles of event ev, if known.
func (k *knownEvents) get(ev string) ([]store.Article, bool) {
	a, ok := k.arts[ev]
	return a, ok
}

// article returns stored article id, if an entry holds it.
func (k *knownEvents) article(id string) (store.Article, bool) {
	for _, a := range k.arts[k.of[id]] {
		if a.ID == id {
			return a, true
		}
	}
	return store.Article{}, false
}

func (k *knownEvents) drop(ev string) {
	for _, a := range k.arts[ev] {
		if k.of[a.ID] == ev {
			delete(k.of, a.ID)
		}
	}
	delete(k.arts, ev)
	delete(k.at, ev)
}

// reset forgets everything (after a failed commit).
func (k *knownEvents) reset() {
	clear(k.arts)
	clear(k.at)
	clear(k.of)
}

// update records committed batch b: touched names events it changed
// besides those of its articles (moves' sources and targets, removed
// events), and full holds, per event row of b (b.Events[i]), its articles
// after b when eventRows knew them all (nil when not).
func (k *knownEvents) update(b *store.Batch, touched []string, full [][]store.Article) {
	k.batch++
	for _, ev := range touched {
		k.drop(ev)
	}
	for _, a := range b.Articles {
		if ev, ok := k.of[a.ID]; ok {
			k.drop(ev) // an updated article leaves its old event's entry
		}
		k.drop(a.Event)
	}
	for aid := range b.Moves {
		if ev, ok := k.of[aid]; ok {
			k.drop(ev)
		}
	}
	for i, arts := range full {
		if arts == nil {
			continue
		}
		ev := b.Events[len(b.Events)-len(full)+i].ID
		k.drop(ev)
		arts = slices.Clone(arts)
		slices.SortFunc(arts, func(x, y store.Article) int { return int(x.Seq - y.Seq) })
		k.arts[ev], k.at[ev] = arts, k.batch
		for _, a := range arts {
			k.of[a.ID] = ev
		}
	}
	for ev, at := range k.at {
		if at <= k.batch-knownBatches {
			k.drop(ev)
		}
	}
}
