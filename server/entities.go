package server

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/entity"
	"github.com/storyline/storyline/store"
)

// EntityIndex is the fallback EntitySource: it tags every stored article
// with the embedded NER model, resolves the mentions into canonical
// entities (entity.Resolver) and keeps, in memory, which articles name
// which entities. Load fills it from the store in the background; articles
// ingested through the server are added as they are committed.
type EntityIndex struct {
	tagger *entity.Tagger
	res    *entity.Resolver
	log    *slog.Logger

	mu     sync.RWMutex
	byEnt  map[string]map[string]struct{} // entity -> articles
	byArt  map[string][]string            // article -> entities
	loaded atomic.Bool
	queue  chan []article.Article
}

// maxIndexedArticles bounds the fallback entity index.
const maxIndexedArticles = 500000

// NewEntityIndex returns an empty index over the embedded NER model.
func NewEntityIndex(log *slog.Logger) (*EntityIndex, error) {
	t, err := entity.Default()
	if err != nil {
		return nil, fmt.Errorf("entity index: %w", err)
	}
	if log == nil {
		log = slog.Default()
	}
	x := &EntityIndex{tagger: t, res: entity.NewResolver(), log: log,
		byEnt: map[string]map[string]struct{}{}, byArt: map[string][]string{},
		queue: make(chan []article.Article, 256)}
	return x, nil
}

// Run loads every stored article, then adds queued batches until ctx ends.
func (x *EntityIndex) Run(ctx context.Context, st store.Store) {
	t0 := time.Now()
	var batch []article.Article
	flush := func() {
		x.add(batch)
		batch = batch[:0]
	}
	n := 0
	err := st.Replay(ctx, -1, time.Time{}, func(a store.Article) error {
		if n >= maxIndexedArticles {
			return nil
		}
		n++
		batch = append(batch, a.Article)
		if len(batch) == 512 {
			flush()
		}
		return nil
	})
	flush()
	x.loaded.Store(true)
	if err != nil && ctx.Err() == nil {
		x.log.Warn("entity index: load", "err", err)
	}
	x.log.Info("entity index loaded", "articles", n, "seconds", time.Since(t0).Seconds())
	for {
		select {
		case <-ctx.Done():
			return
		case arts := <-x.queue:
			x.add(arts)
		}
	}
}

// Enqueue schedules newly committed articles to be indexed (dropped with a
// warning when the queue is full).
func (x *EntityIndex) Enqueue(arts []article.Article) {
	select {
	case x.queue <- arts:
	default:
		x.log.Warn("entity index: queue full, articles not indexed", "articles", len(arts))
	}
}

// Loaded reports whether the initial load finished.
func (x *EntityIndex) Loaded() bool { return x.loaded.Load() }

// add tags articles in parallel, then resolves them in order.
func (x *EntityIndex) add(arts []article.Article) {
	if len(arts) == 0 {
		return
	}
	ms := make([][]entity.Mention, len(arts))
	var wg sync.WaitGroup
	workers := max(1, min(runtime.GOMAXPROCS(0), len(arts)))
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(arts); i += workers {
				txt := arts[i].Text
				if arts[i].Title != "" {
					txt = arts[i].Title + "\n\n" + txt
				}
				ms[i] = x.tagger.Tag(txt)
			}
		}()
	}
	wg.Wait()
	for i, a := range arts {
		refs := x.res.Add(a.ID, a.Published, ms[i])
		var ids []string
		for _, r := range refs {
			if r.EntityID != "" {
				ids = append(ids, r.EntityID)
			}
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		x.mu.Lock()
		for _, old := range x.byArt[a.ID] {
			delete(x.byEnt[old], a.ID)
		}
		x.byArt[a.ID] = ids
		for _, id := range ids {
			m := x.byEnt[id]
			if m == nil {
				m = map[string]struct{}{}
				x.byEnt[id] = m
			}
			m[a.ID] = struct{}{}
		}
		x.mu.Unlock()
	}
}

// Entities implements EntitySource: most articles first.
func (x *EntityIndex) Entities(ctx context.Context, q EntityQuery) ([]EntityInfo, error) {
	all := x.res.Entities()
	needle := strings.ToLower(strings.TrimSpace(q.Q))
	out := []EntityInfo{}
	x.mu.RLock()
	for _, e := range all {
		n := len(x.byEnt[e.ID])
		if n == 0 || (q.Type != "" && !strings.EqualFold(q.Type, e.Type)) {
			continue
		}
		if needle != "" && !matchesEntity(e, needle) {
			continue
		}
		out = append(out, EntityInfo{ID: e.ID, Name: e.Name, Type: e.Type, Aliases: e.Aliases, Docs: n})
	}
	x.mu.RUnlock()
	slices.SortStableFunc(out, func(a, b EntityInfo) int {
		if a.Docs != b.Docs {
			return b.Docs - a.Docs
		}
		return strings.Compare(a.Name, b.Name)
	})
	return page(out, q.Offset, q.Limit), nil
}

func matchesEntity(e entity.Entity, needle string) bool {
	if strings.Contains(strings.ToLower(e.Name), needle) {
		return true
	}
	for _, a := range e.Aliases {
		if strings.Contains(strings.ToLower(a), needle) {
			return true
		}
	}
	return false
}

// Entity implements EntitySource.
func (x *EntityIndex) Entity(ctx context.Context, id string) (EntityInfo, error) {
	e, ok := x.res.Entity(id)
	x.mu.RLock()
	arts := x.byEnt[id]
	ids := make([]string, 0, len(arts))
	for a := range arts {
		ids = append(ids, a)
	}
	x.mu.RUnlock()
	if !ok || len(ids) == 0 {
		return EntityInfo{}, fmt.Errorf("entity %q: %w", id, store.ErrNotFound)
	}
	slices.Sort(ids)
	return EntityInfo{ID: e.ID, Name: e.Name, Type: e.Type, Aliases: e.Aliases, Docs: len(ids), Articles: ids}, nil
}

// ArticleEntities implements EntitySource.
func (x *EntityIndex) ArticleEntities(ctx context.Context, ids []string) (map[string][]string, error) {
	out := make(map[string][]string, len(ids))
	x.mu.RLock()
	defer x.mu.RUnlock()
	for _, id := range ids {
		if e, ok := x.byArt[id]; ok {
			out[id] = e
		}
	}
	return out, nil
}

// page returns s[offset:offset+limit] within bounds (limit 0: no limit).
func page[T any](s []T, offset, limit int) []T {
	s = s[min(max(offset, 0), len(s)):]
	if limit > 0 && len(s) > limit {
		s = s[:limit]
	}
	return s
}
