package pipeline

import (
	"slices"

	"github.com/storyline/storyline/store"
)

// knownEvents remembers, for events summarized in the last few batches,
// what Store.EventArticles(ev, maxSummaryArticles) would return (the
// event's first stored articles in seq order) and whether that is all of
// them, so that summarizing such an event again does not read its
// articles back. A later batch keeps an entry exact: its new articles are
// appended (they come last in seq order), and an entry is dropped when the
// batch moves articles into or out of the event, removes the event, or
// updates one of the entry's articles, unless the batch summarized the
// event and could tell what it holds afterwards.
//
// Entries are written once a batch is summarized (before it is committed:
// they describe the store after the commit) and read while the next batch
// is summarized, never both at once.
type knownEvents struct {
	ents  map[string]knownList // event → its first stored articles
	at    map[string]int       // event → the last batch that wrote or kept the entry
	of    map[string]string    // article → the entry's event holding it
	batch int
}

// knownList is an event's first stored articles (at most
// maxSummaryArticles, in seq order); all tells whether they are all.
type knownList struct {
	arts []store.Article
	all  bool
}

// knownBatches is how many batches an entry outlives unused. Events are
// mostly summarized again within a few batches (the stream is in
// publication order), but an entry that expires costs a store read the
// next time its event grows, and such a read is slow: it runs while the
// previous batch is written, on a connection whose page cache every write
// discards, and the summary waits for that write first. At 100k bench
// articles, 4 batches left 6,690 reads (of ~30,700 summaries that needed
// stored articles), 16 left 2,547: ~10 % less CPU, the live heap about the
// same (64 left 688 reads, but held 100-150 MB more).
const knownBatches = 16

func newKnownEvents() knownEvents {
	return knownEvents{ents: map[string]knownList{}, at: map[string]int{}, of: map[string]string{}}
}

// get returns the first stored articles of event ev, if known.
func (k *knownEvents) get(ev string) (knownList, bool) {
	l, ok := k.ents[ev]
	return l, ok
}

// article returns stored article id, if an entry holds it.
func (k *knownEvents) article(id string) (store.Article, bool) {
	for _, a := range k.ents[k.of[id]].arts {
		if a.ID == id {
			return a, true
		}
	}
	return store.Article{}, false
}

func (k *knownEvents) drop(ev string) {
	for _, a := range k.ents[ev].arts {
		if k.of[a.ID] == ev {
			delete(k.of, a.ID)
		}
	}
	delete(k.ents, ev)
	delete(k.at, ev)
}

func (k *knownEvents) set(ev string, l knownList) {
	k.drop(ev)
	slices.SortFunc(l.arts, func(x, y store.Article) int { return int(x.Seq - y.Seq) })
	if len(l.arts) > maxSummaryArticles {
		l.arts, l.all = l.arts[:maxSummaryArticles:maxSummaryArticles], false
	}
	k.ents[ev], k.at[ev] = l, k.batch
	for _, a := range l.arts {
		k.of[a.ID] = ev
	}
}

// update records batch b, summarized and about to be committed: touched
// names events it changed besides those of its articles (moves' sources
// and targets, removed events), and after holds, for events b summarized, what the store holds
// for them after b when eventRows could tell.
func (k *knownEvents) update(b *store.Batch, touched []string, after map[string]*knownList) {
	k.batch++
	for _, ev := range touched {
		k.drop(ev)
	}
	for aid := range b.Moves {
		if ev, ok := k.of[aid]; ok {
			k.drop(ev)
		}
	}
	for _, a := range b.Articles {
		if ev, ok := k.of[a.ID]; ok {
			k.drop(ev) // an updated article leaves its place in seq order
		}
	}
	// The batch's articles come after every stored one in seq order: an
	// entry that is all its event's articles takes them; one that is only
	// the first ones stays as it is.
	add := map[string][]store.Article{}
	for _, a := range b.Articles {
		if l, ok := k.ents[a.Event]; ok && l.all {
			add[a.Event] = append(add[a.Event], a)
		}
	}
	for ev, as := range add {
		l := k.ents[ev]
		k.set(ev, knownList{arts: append(slices.Clip(l.arts), as...), all: true})
	}
	for _, a := range b.Articles {
		if _, ok := k.ents[a.Event]; ok {
			k.at[a.Event] = k.batch
		}
	}
	for ev, l := range after {
		k.set(ev, knownList{arts: slices.Clone(l.arts), all: l.all})
	}
	for ev, at := range k.at {
		if at <= k.batch-knownBatches {
			k.drop(ev)
		}
	}
}
