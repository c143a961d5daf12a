package server

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/storyline/storyline/dedup"
	"github.com/storyline/storyline/store"
)

// StoryReuse is the fallback ReuseSource: it recomputes text reuse within
// an article's storyline with a fresh dedup.Index (articles added in
// publication order, as the ingester does), and caches the answer per
// storyline until the storyline changes. Origins outside the storyline are
// not found; the store's own record of reuse (once it keeps one) is better.
type StoryReuse struct {
	st store.Store

	mu    sync.Mutex
	cache map[string]storyReuseEntry // story id -> results
	order []string                   // cache eviction order
}

type storyReuseEntry struct {
	key string // the story's article ids, joined: changes when the story changes
	res map[string]ArticleReuse
}

// maxReuseArticles bounds the articles indexed to answer one storyline.
const maxReuseArticles = 600

// maxReuseCache is the number of storylines whose reuse is cached.
const maxReuseCache = 64

// NewStoryReuse returns a StoryReuse over st.
func NewStoryReuse(st store.Store) *StoryReuse {
	return &StoryReuse{st: st, cache: map[string]storyReuseEntry{}}
}

// Reuse implements ReuseSource.
func (r *StoryReuse) Reuse(ctx context.Context, articleID string) (ArticleReuse, error) {
	a, err := r.st.Article(ctx, articleID)
	if err != nil {
		return ArticleReuse{}, err
	}
	ev, err := r.st.Event(ctx, a.Event)
	if err != nil {
		return ArticleReuse{}, fmt.Errorf("reuse: %w", err)
	}
	s, err := r.st.Story(ctx, ev.Story)
	if err != nil {
		return ArticleReuse{}, fmt.Errorf("reuse: %w", err)
	}
	key := fmt.Sprint(len(s.Articles), s.Articles)
	r.mu.Lock()
	if e, ok := r.cache[s.ID]; ok && e.key == key {
		res, ok := e.res[articleID]
		r.mu.Unlock()
		if ok {
			return res, nil
		}
	} else {
		r.mu.Unlock()
	}
	res, err := r.compute(ctx, s, a)
	if err != nil {
		return ArticleReuse{}, err
	}
	r.mu.Lock()
	if _, ok := r.cache[s.ID]; !ok {
		r.order = append(r.order, s.ID)
		if len(r.order) > maxReuseCache {
			delete(r.cache, r.order[0])
			r.order = r.order[1:]
		}
	}
	r.cache[s.ID] = storyReuseEntry{key: key, res: res}
	r.mu.Unlock()
	out, ok := res[articleID]
	if !ok {
		return ArticleReuse{Novelty: 1, Reuse: []dedup.Reuse{}}, nil
	}
	return out, nil
}

// compute indexes the storyline's articles published up to the target
// (the latest maxReuseArticles of them) and returns each one's reuse.
func (r *StoryReuse) compute(ctx context.Context, s store.Story, target store.Article) (map[string]ArticleReuse, error) {
	var arts []store.Article
	for _, ev := range s.Events {
		as, err := r.st.EventArticles(ctx, ev, 0)
		if err != nil {
			return nil, fmt.Errorf("reuse: %w", err)
		}
		arts = append(arts, as...)
	}
	slices.SortFunc(arts, func(a, b store.Article) int {
		az, bz := a.Published.IsZero(), b.Published.IsZero()
		if az != bz {
			if az {
				return 1
			}
			return -1
		}
		if c := a.Published.Compare(b.Published); c != 0 {
			return c
		}
		return cmp.Compare(a.Seq, b.Seq)
	})
	if len(arts) > maxReuseArticles {
		end := len(arts)
		for i, a := range arts {
			if a.ID == target.ID {
				end = i + 1
			}
		}
		arts = arts[max(0, end-maxReuseArticles):end]
	}
	ix := dedup.NewIndex(dedup.DefaultOptions())
	out := make(map[string]ArticleReuse, len(arts))
	for _, a := range arts {
		res := ix.Add(a.ID, a.Published, a.Text)
		reuse := res.Reuse
		if reuse == nil {
			reuse = []dedup.Reuse{}
		}
		out[a.ID] = ArticleReuse{Novelty: res.Novelty, Reuse: reuse}
	}
	return out, nil
}
