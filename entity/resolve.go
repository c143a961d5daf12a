package entity

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Ref links a mention to the canonical entity it names. EntityID is empty
// when the mention holds no name (a bare title such as "Secretary").
type Ref struct {
	Mention
	EntityID string
}

// Entity is a canonical entity merged from mentions across documents.
type Entity struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"` // most complete frequent form
	Type      string    `json:"type"` // PER, ORG, LOC or MISC
	Aliases   []string  `json:"aliases"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	Docs      int       `json:"docs"` // documents mentioning it
}

// ent is the resolver's working state of one entity.
type ent struct {
	Entity
	given   string // first given name of persons ("" if unknown)
	surname string // persons only
	// forms are the surface forms seen and names the title-free name
	// forms with their counts, in first-seen order; formAt and nameAt
	// index them once there are more than smallSet.
	forms  []string
	names  []nameCount
	formAt map[string]int32
	nameAt map[string]int32
	ctx    ctxTable // co-occurring entities (by num) → documents (persons only)
	// ctxClean is len(ctx) after its last pruning: all its counts were
	// then above 1, and counts only grow, so ctx holds singletons only if
	// it has grown since.
	ctxClean int
	// aliasForms is len(forms) when Aliases was last rebuilt (-1: never);
	// forms only grow, so Aliases is current while they are equal.
	aliasForms int
	// inDoc and counted are the Add call (Resolver.adds) that last
	// resolved a mention to the entity and last counted it.
	inDoc, counted uint64
	num            int32 // numbers the resolver's entities from 1 (keys of ctx)
}

// nameCount is a name form, how often it was seen and its completeness.
type nameCount struct {
	name    string
	n, comp int
}

// smallSet is the number of forms or names searched in order; past it
// they are indexed by a map.
const smallSet = 16

// addForm records a surface form.
func (e *ent) addForm(f string) {
	if e.formAt != nil {
		if _, ok := e.formAt[f]; ok {
			return
		}
	} else if slices.Contains(e.forms, f) {
		return
	}
	e.forms = append(e.forms, f)
	if e.formAt != nil {
		e.formAt[f] = int32(len(e.forms) - 1)
	} else if len(e.forms) > smallSet {
		e.formAt = make(map[string]int32, 2*len(e.forms))
		for i, f := range e.forms {
			e.formAt[f] = int32(i)
		}
	}
}

// addName adds n to the count of a name form and returns its index in
// names.
func (e *ent) addName(name string, n int) int {
	if e.nameAt != nil {
		if i, ok := e.nameAt[name]; ok {
			e.names[i].n += n
			return int(i)
		}
	} else {
		for i := range e.names {
			if e.names[i].name == name {
				e.names[i].n += n
				return i
			}
		}
	}
	e.names = append(e.names, nameCount{name: name, n: n, comp: completeness(name)})
	if e.nameAt != nil {
		e.nameAt[name] = int32(len(e.names) - 1)
	} else if len(e.names) > smallSet {
		e.nameAt = make(map[string]int32, 2*len(e.names))
		for i, nc := range e.names {
			e.nameAt[nc.name] = int32(i)
		}
	}
	return len(e.names) - 1
}

// Resolver merges mentions across documents into canonical entities. Add
// is incremental (documents arrive as a stream) and Load re-seeds it from
// stored entities. It is safe for concurrent use.
//
// Entity IDs are "type:slug" of the first canonical key the entity got
// ("per:antony-blinken", "loc:kyiv"); they never change afterwards. When
// later mentions extend a name (an entity first seen as "Blinken" later
// appears as "Antony Blinken"), the ID stays "per:blinken" while Name
// becomes the most complete frequent form; an ID that would collide with a
// different entity gets a numeric suffix ("per:john-smith~2").
type Resolver struct {
	mu       sync.Mutex
	ents     map[string]*ent
	byKey    map[string]*ent   // type|key → entity
	bySur    map[string][]*ent // surname → persons
	byAcr    map[string][]*ent // type|acronym → entities
	seenDocs map[string]bool
	nDocs    int
	// preparedTyped (PER, ORG, LOC, MISC, by text) and prepared (other
	// types) remember what prepareMention, joinFields and cleanName give
	// for a mention's type and text (names recur across documents);
	// nPrepared counts both.
	preparedTyped [4]map[string]*preparedMention
	prepared      map[prepKey]*preparedMention
	nPrepared     int
	adds          uint64 // Add calls: the epoch of ent.inDoc and ent.counted
	nums          int32  // entities numbered (ent.num)
	s             addScratch
}

// addScratch is Add's reusable state (under the lock).
type addScratch struct {
	ms         []mref
	forms      []*preparedMention
	order      []int
	longOrgs   []*mref
	docEnts    []*ent // entities resolved in the document, in order
	counted    []*ent
	fresh      []int32 // context keys new in a document
	keep       []ctxSlot
	localSur   map[string]*ent
	localGiven map[string]*ent
}

// prepKey is a mention's type and text (a copy: the text does not keep
// the article's text alive, and it is compared without touching it).
type prepKey struct{ text, typ string }

// preparedMention is a mention's resolution key (mr, its entity unset),
// its surface form and its title-free display name. formOf is the last
// entity its form was recorded for (forms are never dropped), nameOf the
// last entity its name was counted for and nameAt the name's index in
// that entity's names (which only grow).
type preparedMention struct {
	mr             mref
	form, name     string
	formOf, nameOf *ent
	nameAt         int
}

// maxPrepared bounds the prepared mentions remembered; they are
// forgotten when full.
const maxPrepared = 1 << 16

// prepare returns m's prepared forms, remembered by type and text (the
// result depends on nothing else; its slices are never modified).
func (r *Resolver) prepare(m Mention) *preparedMention {
	byText := r.preparedOf(m.Type)
	if byText != nil {
		if p, ok := byText[m.Text]; ok {
			return p
		}
	} else if p, ok := r.prepared[prepKey{m.Text, m.Type}]; ok {
		return p
	}
	text := strings.Clone(m.Text)
	mr := prepareMention(Mention{Text: text, Type: m.Type})
	p := &preparedMention{mr: mr, form: joinFields(text), name: cleanName(text, mr)}
	p.mr.byKey = byKeyOf(&p.mr)
	if r.nPrepared >= maxPrepared {
		clear(r.prepared)
		for _, pm := range r.preparedTyped {
			clear(pm)
		}
		r.nPrepared = 0
	}
	if byText != nil {
		byText[text] = p
	} else {
		r.prepared[prepKey{text, m.Type}] = p
	}
	r.nPrepared++
	return p
}

// preparedOf is the map of prepared mentions of a tagger type by text
// (nil for another type).
func (r *Resolver) preparedOf(typ string) map[string]*preparedMention {
	switch typ {
	case "PER":
		return r.preparedTyped[0]
	case "ORG":
		return r.preparedTyped[1]
	case "LOC":
		return r.preparedTyped[2]
	case "MISC":
		return r.preparedTyped[3]
	}
	return nil
}

// NewResolver returns an empty resolver.
func NewResolver() *Resolver {
	r := &Resolver{
		ents: map[string]*ent{}, byKey: map[string]*ent{}, bySur: map[string][]*ent{},
		byAcr: map[string][]*ent{}, seenDocs: map[string]bool{}, prepared: map[prepKey]*preparedMention{},
		s: addScratch{localSur: map[string]*ent{}, localGiven: map[string]*ent{}},
	}
	for i := range r.preparedTyped {
		r.preparedTyped[i] = map[string]*preparedMention{}
	}
	return r
}

// mref is a mention being resolved.
type mref struct {
	typ     string
	words   []string
	given   []string
	surname string
	key     string
	e       *ent   // the entity resolved to
	byKey   string // its key in Resolver.byKey: keyOf(typ, key), of a person keyOf("PER", fullName)
}

// byKeyOf is m's key in Resolver.byKey.
func byKeyOf(m *mref) string {
	if m.typ == "PER" {
		return keyOf("PER", fullName(m))
	}
	return keyOf(m.typ, m.key)
}

// fullName is a person's first given name and surname (the surname alone
// without a given name).
func fullName(m *mref) string {
	if len(m.given) > 0 && m.given[0] != "" {
		return m.given[0] + " " + m.surname
	}
	return m.surname
}

func keyOf(typ, key string) string { return typ + "|" + key }

// Add resolves one document's mentions and returns one Ref per mention, in
// order. Adding the same docID twice does not count it twice.
func (r *Resolver) Add(docID string, published time.Time, mentions []Mention) []Ref {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.adds++
	sc := &r.s
	ms := slices.Grow(sc.ms[:0], len(mentions))[:len(mentions)]
	forms := slices.Grow(sc.forms[:0], len(mentions))[:len(mentions)]
	sc.ms, sc.forms = ms, forms
	for i, m := range mentions {
		forms[i] = r.prepare(m)
		ms[i] = forms[i].mr
	}
	localSur := sc.localSur // surname → person in this document
	clear(localSur)
	sc.docEnts = sc.docEnts[:0] // entities resolved in this document
	// Pass 1: full person names.
	localGiven := sc.localGiven // given name → person (nil if several)
	clear(localGiven)
	for i := range ms {
		m := &ms[i]
		if m.typ == "PER" && len(m.given) > 0 {
			m.e = r.resolvePerson(m, nil)
			localSur[m.surname] = m.e
			if g := m.given[0]; len(g) > 1 {
				if e, seen := localGiven[g]; seen && e != m.e {
					localGiven[g] = nil
				} else {
					localGiven[g] = m.e
				}
			}
			r.inDoc(m.e)
		}
	}
	// Pass 2: other types, longest names first; a single word repeating
	// the surname of a person named in this document is that person,
	// whatever its tagged type, and an organization name that is the start
	// or end of a longer one in the document ("Chiefs", "Kansas City
	// Chiefs") is that organization.
	order := sc.order[:0]
	for i := range ms {
		if ms[i].typ != "PER" && ms[i].key != "" {
			order = append(order, i)
		}
	}
	sc.order = order
	slices.SortStableFunc(order, func(a, b int) int { return len(ms[b].words) - len(ms[a].words) })
	longOrgs := sc.longOrgs[:0]
	for _, i := range order {
		m := &ms[i]
		if e, ok := localSur[m.key]; ok && len(m.words) == 1 {
			m.e = e
		} else if e := partOf(m, longOrgs); e != nil && r.byKey[m.byKey] == nil {
			m.e = e
			r.byKey[m.byKey] = e
		} else {
			m.e = r.resolveOther(m)
		}
		if m.typ == "ORG" && len(m.words) > 1 {
			longOrgs = append(longOrgs, m)
		}
		r.inDoc(m.e)
	}
	clear(longOrgs)
	sc.longOrgs = longOrgs[:0]
	// Pass 3: surname-only persons, by the document's full names first,
	// then across documents by co-occurring entities.
	for i := range ms {
		m := &ms[i]
		if m.typ != "PER" || m.surname == "" || len(m.given) > 0 {
			continue
		}
		if e, ok := localSur[m.surname]; ok {
			m.e = e
		} else if e, ok := localGiven[m.surname]; ok && e != nil && !strings.Contains(m.surname, " ") {
			m.e = e // a given name alone ("Lindsay") of a person named here
		} else {
			m.e = r.resolvePerson(m, sc.docEnts)
			localSur[m.surname] = m.e
		}
		r.inDoc(m.e)
	}
	newDoc := !r.seenDocs[docID]
	r.seenDocs[docID] = true
	if newDoc {
		r.nDocs++
	}
	counted := sc.counted[:0]
	refs := make([]Ref, len(mentions))
	for i := range ms {
		e := ms[i].e
		refs[i] = Ref{Mention: mentions[i]}
		if e == nil {
			continue
		}
		refs[i].EntityID = e.ID
		if p := forms[i]; p.formOf != e {
			e.addForm(p.form)
			p.formOf = e
		}
		if p := forms[i]; p.name != "" {
			if p.nameOf == e {
				e.names[p.nameAt].n++
			} else {
				p.nameAt, p.nameOf = e.addName(p.name, 1), e
			}
		}
		if e.counted == r.adds {
			continue
		}
		e.counted = r.adds
		counted = append(counted, e)
		if newDoc {
			e.Docs++
			// Contexts are read only to choose between people who share
			// a surname (resolvePerson): other entities keep none.
			if e.Type == "PER" {
				r.countContext(e)
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
	for _, e := range counted {
		r.refresh(e)
	}
	clear(counted)
	sc.counted = counted[:0]
	clear(sc.docEnts)
	sc.docEnts = sc.docEnts[:0]
	clear(ms) // no entity kept alive by the scratch
	clear(forms)
	return refs
}

// inDoc adds e to the entities resolved in the current document (once).
func (r *Resolver) inDoc(e *ent) {
	if e.inDoc != r.adds {
		e.inDoc = r.adds
		r.s.docEnts = append(r.s.docEnts, e)
	}
}

// countContext counts the document's other entities in a person's
// context.
func (r *Resolver) countContext(e *ent) {
	c := &e.ctx
	// Clean: every count is above 1 (see ctxClean), so the only
	// singletons after this document are its new keys.
	clean := c.len() == e.ctxClean
	if clean && c.len() > 64 {
		// Its new keys would be dropped again: count the known ones.
		for _, o := range r.s.docEnts {
			if o != e {
				c.incIfPresent(o.num)
			}
		}
		return
	}
	fresh := r.s.fresh[:0]
	for _, o := range r.s.docEnts {
		if o != e && c.inc(o.num) {
			fresh = append(fresh, o.num)
		}
	}
	r.s.fresh = fresh[:0]
	if clean && c.len() > 64 {
		for _, k := range fresh { // what pruneCtx would drop
			c.remove(k)
		}
		e.ctxClean = c.len()
	} else {
		r.pruneCtx(e)
	}
}

// joinFields returns strings.Join(strings.Fields(s), " "), without
// allocating when s is already in that form (ASCII, single spaces).
func joinFields(s string) string {
	prevSpace := true // no leading space
	for i := 0; i < len(s); i++ {
		c := s[i]
		space := c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
		if c >= utf8.RuneSelf || space && (c != ' ' || prevSpace) {
			return strings.Join(strings.Fields(s), " ")
		}
		prevSpace = space
	}
	if prevSpace && s != "" { // trailing space
		return strings.Join(strings.Fields(s), " ")
	}
	return s
}

// partOf returns the entity of a longer organization name in the
// document that m's words begin or end (never a single stop word).
func partOf(m *mref, longer []*mref) *ent {
	if m.typ != "ORG" || len(m.words) == 0 || stopInitials[m.words[0]] {
		return nil
	}
	for _, o := range longer {
		n, k := len(m.words), len(o.words)
		if n >= k {
			continue
		}
		if slices.Equal(o.words[:n], m.words) || slices.Equal(o.words[k-n:], m.words) {
			return o.e
		}
	}
	return nil
}

// pruneCtx keeps an entity's context small: past 64 entries, drop
// singletons.
func (r *Resolver) pruneCtx(e *ent) {
	c := &e.ctx
	if c.len() <= 64 || c.len() == e.ctxClean {
		return // small, or no singleton since the last pruning
	}
	r.s.keep = c.dropSingletons(r.s.keep)
	e.ctxClean = c.len()
}

func prepareMention(m Mention) mref {
	mr := mref{typ: m.Type, words: normWords(m.Text)}
	if len(mr.words) == 0 {
		return mr
	}
	if mr.typ == "PER" {
		mr.given, mr.surname = personName(mr.words)
		if mr.surname != "" {
			// Kept for re-typing: a PER mention that is a known place or
			// organization alias goes with that entity instead.
			if _, forced := canonicalKey(mr.words, ""); forced != "" && len(mr.words) == 1 {
				mr.typ = forced
				mr.key, _ = canonicalKey(mr.words, forced)
			}
		}
		return mr
	}
	var forced string
	mr.key, forced = canonicalKey(mr.words, mr.typ)
	if forced != "" {
		mr.typ = forced
	}
	return mr
}

// cleanName is the title-free display form of a mention ("Secretary
// Blinken" → "Blinken"); all-lower-case and all-caps forms are not names.
func cleanName(text string, m mref) string {
	fields := strings.Fields(text)
	if m.typ == "PER" && len(fields) > 1 {
		i := 0
		for i < len(fields)-1 && titles[strings.ToLower(strings.TrimSuffix(fields[i], "."))] {
			i++
		}
		fields = fields[i:]
	}
	s := strings.Join(fields, " ")
	if strings.HasSuffix(s, "'s") || strings.HasSuffix(s, "’s") {
		s = strings.TrimSuffix(strings.TrimSuffix(s, "'s"), "’s")
	}
	upper, lower := false, false
	letters := 0
	for _, r := range s {
		if unicode.IsUpper(r) {
			upper = true
		} else if unicode.IsLower(r) {
			lower = true
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if !upper {
		return ""
	}
	if !lower && letters > 5 {
		return "" // shouted headline form
	}
	return s
}

// newEnt creates an entity with a stable ID derived from typ and key.
func (r *Resolver) newEnt(typ, key string) *ent {
	base := strings.ToLower(typ) + ":" + slug(key)
	id := base
	for n := 2; r.ents[id] != nil; n++ {
		id = base + "~" + strconv.Itoa(n)
	}
	r.nums++
	e := &ent{Entity: Entity{ID: id, Type: typ}, aliasForms: -1, num: r.nums}
	r.ents[id] = e
	return e
}

func compatibleGiven(a, b string) bool {
	if a == "" || b == "" || a == b {
		return true
	}
	if len(a) == 1 || len(b) == 1 {
		return a[0] == b[0]
	}
	return strings.HasPrefix(a, b) || strings.HasPrefix(b, a)
}

// resolvePerson finds or creates the person entity of m. ctx holds the
// entities already resolved in the document, used to choose between people
// who share a surname.
func (r *Resolver) resolvePerson(m *mref, ctx []*ent) *ent {
	given := ""
	if len(m.given) > 0 {
		given = m.given[0]
	}
	if e, ok := r.byKey[m.byKey]; ok {
		return e
	}
	// candidates sharing the surname with a compatible first name
	var best *ent
	bestScore := math.Inf(-1)
	nCompat := 0
	for _, e := range r.bySur[m.surname] {
		if !compatibleGiven(given, e.given) {
			continue
		}
		if given != "" && e.given != "" && len(given) > 1 && len(e.given) > 1 && given != e.given {
			continue // "Tony" vs "Antony" prefix: only when one is an initial
		}
		nCompat++
		s := math.Log1p(float64(e.Docs)) * 0.1
		if e.ctx.len() > 0 {
			for _, o := range ctx {
				if c := e.ctx.get(o.num); c > 0 {
					s += 1 + math.Log1p(float64(c))
				}
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
			for _, o := range r.bySur[m.surname] {
				if o != best && o.given != "" {
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
				r.byKey[m.byKey] = best
				if len(best.given) == 1 {
					best.given = given
				}
			}
			return best
		}
	}
	e := r.newEnt("PER", fullName(m))
	e.given, e.surname = given, m.surname
	r.byKey[m.byKey] = e
	r.bySur[m.surname] = append(r.bySur[m.surname], e)
	return e
}

// resolveOther finds or creates an organization, place or other entity.
func (r *Resolver) resolveOther(m *mref) *ent {
	if e, ok := r.byKey[m.byKey]; ok {
		return e
	}
	words := strings.Fields(m.key)
	// an acronym mention ("ECB") of a known long name, or the long name
	// of a known acronym
	if len(words) == 1 {
		if es := r.byAcr[m.byKey]; len(es) == 1 {
			r.byKey[m.byKey] = es[0]
			return es[0]
		}
	} else if a := acronym(words); a != "" {
		if e, ok := r.byKey[keyOf(m.typ, a)]; ok && len(e.forms) > 0 && isAcronymForm(e) {
			r.byKey[m.byKey] = e
			return e
		}
	}
	e := r.newEnt(m.typ, m.key)
	r.byKey[m.byKey] = e
	if a := acronym(words); a != "" {
		r.byAcr[keyOf(m.typ, a)] = append(r.byAcr[keyOf(m.typ, a)], e)
	}
	return e
}

// isAcronymForm reports whether an entity is known only by an all-caps
// short form.
func isAcronymForm(e *ent) bool {
	for _, f := range e.forms {
		if strings.ContainsFunc(f, unicode.IsLower) || strings.Contains(f, " ") {
			return false
		}
	}
	return true
}

// completeness counts a name's words that are not initials.
func completeness(name string) int {
	n := 0
	for _, w := range strings.Fields(name) {
		if len(strings.Trim(w, ".")) > 1 {
			n++
		}
	}
	return n
}

// refresh recomputes an entity's display name and aliases. The name is the
// most complete (most non-initial words) of the forms seen at least a
// tenth as often as the most frequent one; ties go to the more frequent,
// then the shorter form.
func (r *Resolver) refresh(e *ent) {
	maxCount := 0
	for _, nc := range e.names {
		maxCount = max(maxCount, nc.n)
	}
	bestName := ""
	bestComp, bestCount := -1, 0
	for _, nc := range e.names {
		n, c, comp := nc.name, nc.n, nc.comp
		if c*10 < maxCount {
			continue
		}
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
		for _, f := range e.forms {
			if bestName == "" || len(f) > len(bestName) || len(f) == len(bestName) && f < bestName {
				bestName = f
			}
		}
	}
	e.Name = bestName
	if len(e.forms) == e.aliasForms {
		return // no new form since the last rebuild
	}
	e.Aliases = append(e.Aliases[:0], e.forms...)
	slices.Sort(e.Aliases)
	e.aliasForms = len(e.forms)
}

// Entity returns the entity with the given id.
func (r *Resolver) Entity(id string) (Entity, bool) {
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
func (r *Resolver) Entities() []Entity {
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
func (r *Resolver) IDF(id string) float64 {
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
func (r *Resolver) SetDocCount(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.nDocs = max(n, 0)
}

// Load re-seeds the resolver from stored entities (their IDs are kept and
// their aliases indexed); co-occurrence context starts empty, and
// documents added before are not remembered (adding one again counts it
// again).
func (r *Resolver) Load(ents []Entity) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, x := range ents {
		if x.ID == "" || r.ents[x.ID] != nil {
			continue
		}
		r.nums++
		e := &ent{Entity: x, aliasForms: -1, num: r.nums}
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
			e.addForm(f)
			m := prepareMention(Mention{Text: f, Type: x.Type})
			if x.Type == "PER" {
				if m.surname == "" {
					continue
				}
				if e.surname == "" {
					e.surname = m.surname
					r.bySur[m.surname] = append(r.bySur[m.surname], e)
				}
				full := m.surname
				if len(m.given) > 0 {
					full = m.given[0] + " " + m.surname
					if e.given == "" || len(e.given) == 1 {
						e.given = m.given[0]
					}
				}
				if _, ok := r.byKey[keyOf("PER", full)]; !ok {
					r.byKey[keyOf("PER", full)] = e
				}
				continue
			}
			if m.key == "" {
				continue
			}
			if _, ok := r.byKey[keyOf(x.Type, m.key)]; !ok {
				r.byKey[keyOf(x.Type, m.key)] = e
			}
			if a := acronym(strings.Fields(m.key)); a != "" {
				r.byAcr[keyOf(x.Type, a)] = append(r.byAcr[keyOf(x.Type, a)], e)
			}
		}
		if x.Name != "" {
			e.addName(x.Name, max(x.Docs, 1))
		}
	}
}

// Overlap scores how much two documents' entity sets agree: the IDF
// weight of the shared entity ids over the weight of all of them
// (weighted Jaccard, 0..1). Duplicate ids count once. The clustering
// engine uses it as its entity signal.
func (r *Resolver) Overlap(a, b []string) float64 {
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
