package entity

// The resolver as it was before entities kept their forms, names and
// context in slices and Add its per-document sets in reusable scratch:
// the reference for Resolver (TestResolverRef). Only the names changed.

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/storyline/storyline/internal/corpora"
	"github.com/storyline/storyline/internal/gen"
)

// refEnt is the resolver's working state of one entity.
type refEnt struct {
	Entity
	given   string          // first given name of persons ("" if unknown)
	surname string          // persons only
	forms   map[string]int  // surface forms seen → count
	names   map[string]int  // title-free name forms → count
	ctx     map[*refEnt]int // co-occurring entities → documents
	// ctxClean is len(ctx) after its last pruning: all its counts were
	// then above 1, and counts only grow, so ctx holds singletons only if
	// it has grown since.
	ctxClean int
	// aliasForms is len(forms) when Aliases was last rebuilt (-1: never);
	// forms only grow, so Aliases is current while they are equal.
	aliasForms int
}

// refResolver is Resolver as it was (see the file comment).
type refResolver struct {
	mu       sync.Mutex
	ents     map[string]*refEnt
	byKey    map[string]string   // type|key → id
	bySur    map[string][]string // surname → person ids
	byAcr    map[string][]string // type|acronym → ids
	seenDocs map[string]bool
	nDocs    int
	fresh    []*refEnt // Add's scratch: context keys new in a document
	// prepared remembers what prepareMention, joinFields and cleanName
	// give for a mention's type and text (names recur across documents).
	prepared map[Mention]refPreparedMention
}

// refMref is a mention being resolved, with the id it resolved to.
type refMref struct {
	mref
	id string
}

// refPreparedMention is a mention's resolution key (mr, its id unset), its
// surface form and its title-free display name.
type refPreparedMention struct {
	mr         refMref
	form, name string
}

// prepare returns m's prepared forms, remembered by type and text (the
// result depends on nothing else; its slices are never modified).
func (r *refResolver) prepare(m Mention) refPreparedMention {
	k := Mention{Text: m.Text, Type: m.Type}
	if p, ok := r.prepared[k]; ok {
		return p
	}
	mr := refMref{mref: prepareMention(m)}
	p := refPreparedMention{mr: mr, form: joinFields(m.Text), name: cleanName(m.Text, mr.mref)}
	if len(r.prepared) >= maxPrepared {
		clear(r.prepared)
	}
	r.prepared[k] = p
	return p
}

// newRefResolver returns an empty resolver.
func newRefResolver() *refResolver {
	return &refResolver{
		ents: map[string]*refEnt{}, byKey: map[string]string{}, bySur: map[string][]string{},
		byAcr: map[string][]string{}, seenDocs: map[string]bool{}, prepared: map[Mention]refPreparedMention{},
	}
}

// Add resolves one document's mentions and returns one Ref per mention, in
// order. Adding the same docID twice does not count it twice.
func (r *refResolver) Add(docID string, published time.Time, mentions []Mention) []Ref {
	r.mu.Lock()
	defer r.mu.Unlock()
	ms := make([]refMref, len(mentions))
	forms := make([]refPreparedMention, len(mentions))
	for i, m := range mentions {
		forms[i] = r.prepare(m)
		ms[i] = forms[i].mr
	}
	localSur := map[string]string{} // surname → person id in this document
	docEnts := map[*refEnt]bool{}   // entities resolved in this document
	// Pass 1: full person names.
	localGiven := map[string]string{} // given name → person id ("" if several)
	for i := range ms {
		m := &ms[i]
		if m.typ == "PER" && len(m.given) > 0 {
			m.id = r.resolvePerson(m, nil)
			localSur[m.surname] = m.id
			if g := m.given[0]; len(g) > 1 {
				if id, seen := localGiven[g]; seen && id != m.id {
					localGiven[g] = ""
				} else {
					localGiven[g] = m.id
				}
			}
			docEnts[r.ents[m.id]] = true
		}
	}
	// Pass 2: other types, longest names first; a single word repeating
	// the surname of a person named in this document is that person,
	// whatever its tagged type, and an organization name that is the start
	// or end of a longer one in the document ("Chiefs", "Kansas City
	// Chiefs") is that organization.
	order := make([]int, 0, len(ms))
	for i := range ms {
		if ms[i].typ != "PER" && ms[i].key != "" {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(ms[b].words) - len(ms[a].words) })
	var longOrgs []*refMref
	for _, i := range order {
		m := &ms[i]
		if id, ok := localSur[m.key]; ok && len(m.words) == 1 {
			m.id = id
		} else if id := refPartOf(m, longOrgs); id != "" && r.byKey[keyOf(m.typ, m.key)] == "" {
			m.id = id
			r.byKey[keyOf(m.typ, m.key)] = id
		} else {
			m.id = r.resolveOther(m)
		}
		if m.typ == "ORG" && len(m.words) > 1 {
			longOrgs = append(longOrgs, m)
		}
		docEnts[r.ents[m.id]] = true
	}
	// Pass 3: surname-only persons, by the document's full names first,
	// then across documents by co-occurring entities.
	for i := range ms {
		m := &ms[i]
		if m.typ != "PER" || m.surname == "" || len(m.given) > 0 {
			continue
		}
		if id, ok := localSur[m.surname]; ok {
			m.id = id
		} else if id, ok := localGiven[m.surname]; ok && id != "" && !strings.Contains(m.surname, " ") {
			m.id = id // a given name alone ("Lindsay") of a person named here
		} else {
			m.id = r.resolvePerson(m, docEnts)
			localSur[m.surname] = m.id
		}
		docEnts[r.ents[m.id]] = true
	}
	newDoc := !r.seenDocs[docID]
	r.seenDocs[docID] = true
	if newDoc {
		r.nDocs++
	}
	counted := map[string]bool{}
	refs := make([]Ref, len(mentions))
	for i, m := range ms {
		refs[i] = Ref{Mention: mentions[i], EntityID: m.id}
		if m.id == "" {
			continue
		}
		e := r.ents[m.id]
		e.forms[forms[i].form]++
		if name := forms[i].name; name != "" {
			e.names[name]++
		}
		if counted[m.id] {
			continue
		}
		counted[m.id] = true
		if newDoc {
			e.Docs++
			// Contexts are read only to choose between people who share
			// a surname (resolvePerson): other entities keep none.
			if e.Type == "PER" {
				// Clean: every count is above 1 (see ctxClean), so the
				// only singletons after this document are its new keys.
				clean := len(e.ctx) == e.ctxClean
				fresh := r.fresh[:0]
				for other := range docEnts {
					if other != e {
						n := len(e.ctx)
						e.ctx[other]++
						if len(e.ctx) > n {
							fresh = append(fresh, other)
						}
					}
				}
				if clean && len(e.ctx) > 64 {
					for _, o := range fresh { // what refPruneCtx would drop
						delete(e.ctx, o)
					}
					e.ctxClean = len(e.ctx)
				} else {
					refPruneCtx(e)
				}
				r.fresh = fresh[:0]
			}
		}
		if !published.IsZero() {
			if e.FirstSeen.IsZero() || published.Before(e.FirstSeen) {
				e.FirstSeen = published
			}
			if published.After(e.LastSeen) {
				e.LastSeen = published
			}
		}
	}
	for id := range counted {
		r.refresh(r.ents[id])
	}
	return refs
}

// refPartOf returns the id of a longer organization name in the document
// that m's words begin or end (never a single stop word).
func refPartOf(m *refMref, longer []*refMref) string {
	if m.typ != "ORG" || len(m.words) == 0 || stopInitials[m.words[0]] {
		return ""
	}
	for _, o := range longer {
		n, k := len(m.words), len(o.words)
		if n >= k {
			continue
		}
		if slices.Equal(o.words[:n], m.words) || slices.Equal(o.words[k-n:], m.words) {
			return o.id
		}
	}
	return ""
}

// refPruneCtx keeps an entity's context map small: past 64 entries, drop
// singletons.
func refPruneCtx(e *refEnt) {
	c := e.ctx
	if len(c) <= 64 || len(c) == e.ctxClean {
		return // small, or no singleton since the last pruning
	}
	for k, v := range c {
		if v <= 1 {
			delete(c, k)
		}
	}
	e.ctxClean = len(c)
}

// newEnt creates an entity with a stable ID derived from typ and key.
func (r *refResolver) newEnt(typ, key string) *refEnt {
	base := strings.ToLower(typ) + ":" + slug(key)
	id := base
	for n := 2; r.ents[id] != nil; n++ {
		id = base + "~" + strconv.Itoa(n)
	}
	e := &refEnt{Entity: Entity{ID: id, Type: typ}, forms: map[string]int{}, names: map[string]int{}, ctx: map[*refEnt]int{},
		aliasForms: -1}
	r.ents[id] = e
	return e
}

// resolvePerson finds or creates the person entity of m. ctx holds the
// entities already resolved in the document, used to choose between people
// who share a surname.
func (r *refResolver) resolvePerson(m *refMref, ctx map[*refEnt]bool) string {
	given := ""
	if len(m.given) > 0 {
		given = m.given[0]
	}
	full := m.surname
	if given != "" {
		full = given + " " + m.surname
	}
	if id, ok := r.byKey[keyOf("PER", full)]; ok {
		return id
	}
	// candidates sharing the surname with a compatible first name
	var best *refEnt
	bestScore := math.Inf(-1)
	nCompat := 0
	for _, id := range r.bySur[m.surname] {
		e := r.ents[id]
		if !compatibleGiven(given, e.given) {
			continue
		}
		if given != "" && e.given != "" && len(given) > 1 && len(e.given) > 1 && given != e.given {
			continue // "Tony" vs "Antony" prefix: only when one is an initial
		}
		nCompat++
		s := math.Log1p(float64(e.Docs)) * 0.1
		for o := range ctx {
			if c := e.ctx[o]; c > 0 {
				s += 1 + math.Log1p(float64(c))
			}
		}
		if given != "" && e.given == given {
			s += 5
		}
		if s > bestScore {
			best, bestScore = e, s
		}
	}
	if best != nil && (given == "" || best.given == "" || best.given == given || len(given) == 1 || len(best.given) == 1) {
		if given != "" && best.given == "" {
			// A surname-only entity meets its first name: adopt it, unless
			// another person with this surname is already known.
			others := 0
			for _, id := range r.bySur[m.surname] {
				if id != best.ID && r.ents[id].given != "" {
					others++
				}
			}
			if others > 0 {
				best = nil
			} else {
				best.given = given
			}
		}
		if best != nil {
			if given != "" && len(given) > 1 {
				r.byKey[keyOf("PER", full)] = best.ID
				if len(best.given) == 1 {
					best.given = given
				}
			}
			return best.ID
		}
	}
	e := r.newEnt("PER", full)
	e.given, e.surname = given, m.surname
	r.byKey[keyOf("PER", full)] = e.ID
	r.bySur[m.surname] = append(r.bySur[m.surname], e.ID)
	return e.ID
}

// resolveOther finds or creates an organization, place or other entity.
func (r *refResolver) resolveOther(m *refMref) string {
	if id, ok := r.byKey[keyOf(m.typ, m.key)]; ok {
		return id
	}
	words := strings.Fields(m.key)
	// an acronym mention ("ECB") of a known long name, or the long name
	// of a known acronym
	if len(words) == 1 {
		if ids := r.byAcr[keyOf(m.typ, m.key)]; len(ids) == 1 {
			r.byKey[keyOf(m.typ, m.key)] = ids[0]
			return ids[0]
		}
	} else if a := acronym(words); a != "" {
		if id, ok := r.byKey[keyOf(m.typ, a)]; ok && len(r.ents[id].forms) > 0 && refIsAcronymForm(r.ents[id]) {
			r.byKey[keyOf(m.typ, m.key)] = id
			return id
		}
	}
	e := r.newEnt(m.typ, m.key)
	r.byKey[keyOf(m.typ, m.key)] = e.ID
	if a := acronym(words); a != "" {
		r.byAcr[keyOf(m.typ, a)] = append(r.byAcr[keyOf(m.typ, a)], e.ID)
	}
	return e.ID
}

// refIsAcronymForm reports whether an entity is known only by an all-caps
// short form.
func refIsAcronymForm(e *refEnt) bool {
	for f := range e.forms {
		if strings.ContainsFunc(f, unicode.IsLower) || strings.Contains(f, " ") {
			return false
		}
	}
	return true
}

// refresh recomputes an entity's display name and aliases. The name is the
// most complete (most non-initial words) of the forms seen at least a
// tenth as often as the most frequent one; ties go to the more frequent,
// then the shorter form.
func (r *refResolver) refresh(e *refEnt) {
	maxCount := 0
	for _, c := range e.names {
		maxCount = max(maxCount, c)
	}
	bestName := ""
	bestComp, bestCount := -1, 0
	for n, c := range e.names {
		if c*10 < maxCount {
			continue
		}
		comp := completeness(n)
		better := comp > bestComp ||
			comp == bestComp && (c > bestCount ||
				c == bestCount && (len(n) < len(bestName) || len(n) == len(bestName) && n < bestName))
		if better {
			bestName, bestComp, bestCount = n, comp, c
		}
	}
	if bestName == "" {
		bestName = e.Name
	}
	if bestName == "" {
		for f := range e.forms {
			if bestName == "" || len(f) > len(bestName) || len(f) == len(bestName) && f < bestName {
				bestName = f
			}
		}
	}
	e.Name = bestName
	if len(e.forms) == e.aliasForms {
		return // no new form since the last rebuild
	}
	e.Aliases = e.Aliases[:0]
	for f := range e.forms {
		e.Aliases = append(e.Aliases, f)
	}
	slices.Sort(e.Aliases)
	e.aliasForms = len(e.forms)
}

// Entity returns the entity with the given id.
func (r *refResolver) Entity(id string) (Entity, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.ents[id]
	if !ok {
		return Entity{}, false
	}
	out := e.Entity
	out.Aliases = slices.Clone(e.Aliases)
	return out, true
}

// Entities returns every entity, most documents first, then by id.
func (r *refResolver) Entities() []Entity {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Entity, 0, len(r.ents))
	for _, e := range r.ents {
		x := e.Entity
		x.Aliases = slices.Clone(e.Aliases)
		out = append(out, x)
	}
	slices.SortFunc(out, func(a, b Entity) int {
		if a.Docs != b.Docs {
			return b.Docs - a.Docs
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// IDF returns the rarity weight of an entity, log((N+1)/(docs+1)) + 1 over
// the documents the resolver has seen: rare entities weigh more as
// evidence that two articles report the same event.
func (r *refResolver) IDF(id string) float64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	d := 0
	if e := r.ents[id]; e != nil {
		d = e.Docs
	}
	return math.Log(float64(r.nDocs+1)/float64(d+1)) + 1
}

// SetDocCount sets the number of documents seen so far, the N of IDF;
// call it after Load with the store's article count (Load alone can only
// assume the largest entity document count).
func (r *refResolver) SetDocCount(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.nDocs = max(n, 0)
}

// Load re-seeds the resolver from stored entities (their IDs are kept and
// their aliases indexed); co-occurrence context starts empty, and
// documents added before are not remembered (adding one again counts it
// again).
func (r *refResolver) Load(ents []Entity) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, x := range ents {
		if x.ID == "" || r.ents[x.ID] != nil {
			continue
		}
		e := &refEnt{Entity: x, forms: map[string]int{}, names: map[string]int{}, ctx: map[*refEnt]int{}, aliasForms: -1}
		e.Aliases = slices.Clone(x.Aliases)
		r.ents[x.ID] = e
		if x.Docs > r.nDocs {
			r.nDocs = x.Docs
		}
		forms := append([]string{x.Name}, x.Aliases...)
		for _, f := range forms {
			if f == "" {
				continue
			}
			e.forms[f] += 1
			m := prepareMention(Mention{Text: f, Type: x.Type})
			if x.Type == "PER" {
				if m.surname == "" {
					continue
				}
				if e.surname == "" {
					e.surname = m.surname
					r.bySur[m.surname] = append(r.bySur[m.surname], x.ID)
				}
				full := m.surname
				if len(m.given) > 0 {
					full = m.given[0] + " " + m.surname
					if e.given == "" || len(e.given) == 1 {
						e.given = m.given[0]
					}
				}
				if _, ok := r.byKey[keyOf("PER", full)]; !ok {
					r.byKey[keyOf("PER", full)] = x.ID
				}
				continue
			}
			if m.key == "" {
				continue
			}
			if _, ok := r.byKey[keyOf(x.Type, m.key)]; !ok {
				r.byKey[keyOf(x.Type, m.key)] = x.ID
			}
			if a := acronym(strings.Fields(m.key)); a != "" {
				r.byAcr[keyOf(x.Type, a)] = append(r.byAcr[keyOf(x.Type, a)], x.ID)
			}
		}
		if x.Name != "" {
			e.names[x.Name] = max(x.Docs, 1)
		}
	}
}

// Overlap scores how much two documents' entity sets agree: the IDF
// weight of the shared entity ids over the weight of all of them
// (weighted Jaccard, 0..1). Duplicate ids count once. The clustering
// engine uses it as its entity signal.
func (r *refResolver) Overlap(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inA := make(map[string]bool, len(a))
	for _, id := range a {
		inA[id] = true
	}
	inB := make(map[string]bool, len(b))
	for _, id := range b {
		inB[id] = true
	}
	var shared, all float64
	for id := range inA {
		w := r.IDF(id)
		all += w
		if inB[id] {
			shared += w
		}
	}
	for id := range inB {
		if !inA[id] {
			all += r.IDF(id)
		}
	}
	if all == 0 {
		return 0
	}
	return shared / all
}

// TestResolverRef streams documents through Resolver and the reference
// resolver and requires the same refs, entities and IDF weights, also
// after both are re-seeded with Load and with documents added twice.
func TestResolverRef(t *testing.T) {
	streams := map[string][][]Mention{"synthetic": benchResolveDocs(t, 800)}
	// Entities with many forms and names (past smallSet): random casing.
	rng := rand.New(rand.NewPCG(9, 10))
	cased := func(s string) string {
		b := []byte(s)
		for i := range b {
			if rng.IntN(3) == 0 {
				b[i] = byte(unicode.ToUpper(rune(b[i])))
			}
		}
		return string(b)
	}
	var many [][]Mention
	for range 400 {
		var ms []Mention
		for range 1 + rng.IntN(5) {
			ms = append(ms, Mention{Text: cased("acme holdings group"), Type: "ORG"},
				Mention{Text: "Mrs " + cased("dora") + " Velt", Type: "PER"}, Mention{Text: "Velt", Type: "PER"},
				Mention{Text: cased("velmora"), Type: "LOC"}, Mention{Text: cased("acme widget"), Type: "PRODUCT"})
		}
		many = append(many, ms)
	}
	streams["many forms"] = many
	tg := mustDefault(t)
	if _, err := os.Stat(filepath.Join(corpora.Data(), "ecbplus", "ecbplus-dev.jsonl")); err == nil {
		var docs [][]Mention
		for _, tx := range ecbTexts(t) {
			docs = append(docs, tg.Tag(tx))
		}
		streams["ecb+"] = docs
	}
	if arts, err := gen.SharedArticles(4000, 1); err == nil {
		var docs [][]Mention
		for _, a := range arts {
			docs = append(docs, tg.Tag(a.Text))
		}
		streams["generated"] = docs
	}
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	compare := func(t *testing.T, at string, a *Resolver, b *refResolver) {
		t.Helper()
		ea, eb := a.Entities(), b.Entities()
		byNum := map[int32]string{}
		for _, x := range a.ents {
			byNum[x.num] = x.ID
		}
		if !reflect.DeepEqual(ea, eb) {
			t.Fatalf("%s: entities differ", at)
		}
		for _, e := range ea {
			if a.IDF(e.ID) != b.IDF(e.ID) {
				t.Fatalf("%s: IDF of %s differs", at, e.ID)
			}
			x, _ := a.Entity(e.ID)
			y, _ := b.Entity(e.ID)
			if !reflect.DeepEqual(x, y) {
				t.Fatalf("%s: entity %s differs", at, e.ID)
			}
			// The working state too: forms, name counts, context.
			xe, ye := a.ents[e.ID], b.ents[e.ID]
			forms, names, ctx := map[string]int{}, map[string]int{}, map[string]int{}
			for _, f := range xe.forms {
				forms[f] = ye.forms[f]
			}
			for _, nc := range xe.names {
				names[nc.name] = nc.n
				if nc.comp != completeness(nc.name) {
					t.Fatalf("%s: completeness of %q", at, nc.name)
				}
			}
			for _, sl := range xe.ctx.slots {
				if sl.key != 0 {
					ctx[byNum[sl.key]] = int(sl.count)
				}
			}
			if len(ctx) != xe.ctx.len() {
				t.Fatalf("%s: context count of %s", at, e.ID)
			}
			refCtx := map[string]int{}
			for o, c := range ye.ctx {
				refCtx[o.ID] = c
			}
			if len(forms) != len(ye.forms) || slices.Contains(slices.Collect(maps.Values(forms)), 0) ||
				!maps.Equal(names, ye.names) || !maps.Equal(ctx, refCtx) || xe.ctxClean != ye.ctxClean ||
				xe.given != ye.given || xe.surname != ye.surname || xe.aliasForms != ye.aliasForms {
				t.Fatalf("%s: working state of %s differs", at, e.ID)
			}
		}
	}
	for name, docs := range streams {
		t.Run(name, func(t *testing.T) {
			a, b := NewResolver(), newRefResolver()
			add := func(a *Resolver, b *refResolver, i int, id string) {
				pub := day.Add(time.Duration(i) * time.Hour)
				if i%7 == 0 {
					pub = time.Time{}
				}
				ra, rb := a.Add(id, pub, docs[i]), b.Add(id, pub, docs[i])
				if !reflect.DeepEqual(ra, rb) {
					t.Fatalf("doc %d (%s): refs differ:\n%v\n%v", i, id, ra, rb)
				}
			}
			for i := range docs {
				add(a, b, i, fmt.Sprint("d", i))
				if i%10 == 9 {
					add(a, b, i-3, fmt.Sprint("d", i-3)) // again: not counted twice
				}
				if i%500 == 0 {
					compare(t, fmt.Sprint("after ", i), a, b)
				}
			}
			compare(t, "end", a, b)
			if ov, ovRef := a.Overlap([]string{"per:x"}, nil), b.Overlap([]string{"per:x"}, nil); ov != ovRef {
				t.Fatal("Overlap differs")
			}
			// Re-seeded from the stored entities, then half the stream again.
			la, lb := NewResolver(), newRefResolver()
			ents := a.Entities()
			la.Load(ents)
			lb.Load(ents)
			la.SetDocCount(len(docs))
			lb.SetDocCount(len(docs))
			compare(t, "loaded", la, lb)
			for i := 0; i < len(docs); i += 2 {
				add(la, lb, i, fmt.Sprint("l", i))
			}
			compare(t, "loaded end", la, lb)
		})
	}
}
