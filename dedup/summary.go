package dedup

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// DupGroup is a set of articles that are exact or near copies of each
// other (connected through detected pairs), earliest first as observed.
type DupGroup struct {
	Articles []string `json:"articles"`
	// Similarity is the lowest similarity among the detected pairs.
	Similarity float64 `json:"similarity"`
}

// ReusePair is the reuse of one origin's passages in one article.
type ReusePair struct {
	From        string    `json:"from"`
	To          string    `json:"to"`
	SharedRatio float64   `json:"shared_ratio"`
	Novelty     float64   `json:"novelty"`
	Passages    []Passage `json:"passages"`
}

// Summary is the corpus-level view printed by `storyline dups`.
type Summary struct {
	Duplicates []DupGroup  `json:"duplicates"`
	Reuse      []ReusePair `json:"reuse"`
}

// Collector gathers the Results of a sequence of Index.Add calls into
// duplicate groups and reuse pairs.
type Collector struct {
	order  map[string]int
	parent []int
	ids    []string
	minSim map[int]float64
	reuse  []ReusePair
}

// NewCollector returns an empty Collector.
func NewCollector() *Collector {
	return &Collector{order: map[string]int{}, minSim: map[int]float64{}}
}

func (c *Collector) node(id string) int {
	if n, ok := c.order[id]; ok {
		return n
	}
	n := len(c.ids)
	c.order[id] = n
	c.ids = append(c.ids, id)
	c.parent = append(c.parent, n)
	return n
}

func (c *Collector) find(n int) int {
	for c.parent[n] != n {
		c.parent[n] = c.parent[c.parent[n]]
		n = c.parent[n]
	}
	return n
}

func (c *Collector) union(a, b int, sim float64) {
	ra, rb := c.find(a), c.find(b)
	s := sim
	if v, ok := c.minSim[ra]; ok && v < s {
		s = v
	}
	if v, ok := c.minSim[rb]; ok && v < s {
		s = v
	}
	if ra != rb {
		if rb < ra {
			ra, rb = rb, ra
		}
		c.parent[rb] = ra
		delete(c.minSim, rb)
	}
	c.minSim[ra] = s
}

// Observe records the Result of adding id.
func (c *Collector) Observe(id string, r Result) {
	n := c.node(id)
	for _, e := range r.Exact {
		c.union(n, c.node(e), 1)
	}
	for _, m := range r.Near {
		c.union(n, c.node(m.ID), m.Similarity)
	}
	for _, ru := range r.Reuse {
		c.reuse = append(c.reuse, ReusePair{From: ru.From, To: id, SharedRatio: ru.SharedRatio, Novelty: r.Novelty, Passages: ru.Passages})
	}
}

// Summary returns the duplicate groups (in order of their first article)
// and the reuse pairs in observation order.
func (c *Collector) Summary() Summary {
	groups := map[int][]string{}
	var roots []int
	for n, id := range c.ids {
		r := c.find(n)
		if _, ok := groups[r]; !ok {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], id)
	}
	s := Summary{Duplicates: []DupGroup{}, Reuse: c.reuse}
	if s.Reuse == nil {
		s.Reuse = []ReusePair{}
	}
	slices.Sort(roots)
	for _, r := range roots {
		if len(groups[r]) > 1 {
			s.Duplicates = append(s.Duplicates, DupGroup{Articles: groups[r], Similarity: c.minSim[r]})
		}
	}
	return s
}

// Mark returns text with each reused passage wrapped as «passage»[from ID]
// so a reader sees what was copied and from where.
func Mark(text string, r Result) string {
	type mark struct {
		s, e int
		from string
	}
	var ms []mark
	for _, ru := range r.Reuse {
		for _, p := range ru.Passages {
			ms = append(ms, mark{p.ToOffset, p.ToOffset + p.Len, ru.From})
		}
	}
	slices.SortFunc(ms, func(a, b mark) int { return a.s - b.s })
	var b strings.Builder
	last := 0
	for _, m := range ms {
		if m.s < last || m.e > len(text) {
			continue
		}
		b.WriteString(text[last:m.s])
		fmt.Fprintf(&b, "«%s»[from %s]", text[m.s:m.e], m.from)
		last = m.e
	}
	b.WriteString(text[last:])
	return b.String()
}

// WriteSummary prints a Summary for people.
func WriteSummary(w io.Writer, s Summary) error {
	fmt.Fprintf(w, "%s\n", plural(len(s.Duplicates), "duplicate group"))
	for _, g := range s.Duplicates {
		fmt.Fprintf(w, "  %.2f  %s\n", g.Similarity, strings.Join(g.Articles, " "))
	}
	fmt.Fprintf(w, "%s\n", plural(len(s.Reuse), "reuse pair"))
	for _, r := range s.Reuse {
		_, err := fmt.Fprintf(w, "  %s <- %s  shared %.0f%%, %s\n", r.To, r.From, 100*r.SharedRatio, plural(len(r.Passages), "passage"))
		if err != nil {
			return err
		}
	}
	return nil
}

// plural writes a count with its noun: "1 passage", "2 passages".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Doc is an article given to Dups.
type Doc struct {
	ID        string
	Published time.Time
	Text      string
}

// Earlier orders publication times as the index does: known times first,
// unknown (zero) last.
func Earlier(a, b time.Time) bool { return orderOf(a) < orderOf(b) }

// Dups indexes docs in the given order and summarizes their duplicates and
// reuse.
func Dups(docs []Doc, opt Options) Summary {
	ix := NewIndex(opt)
	c := NewCollector()
	for _, d := range docs {
		c.Observe(d.ID, ix.Add(d.ID, d.Published, d.Text))
	}
	return c.Summary()
}
