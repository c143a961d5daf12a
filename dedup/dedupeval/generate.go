// Package dedupeval measures package dedup on a synthetic syndication corpus
// generated from real articles: copies with dropped, inserted and
// substituted words and sentences, reordered paragraphs, changed
// boilerplate and truncation, plus articles that reuse background passages
// in otherwise different reports. The truth (pairwise shingle Jaccard and
// the sentences holding text seen earlier) is computed by brute force with
// a reference implementation independent of the index.
package dedupeval

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode"
)

// Doc is a source article for the generator.
type Doc struct {
	ID   string
	Text string
}

// Article is one generated article.
type Article struct {
	ID        string    `json:"id"`
	Published time.Time `json:"published"`
	Text      string    `json:"text"`
	// Base is the id of the source document, Kind how it was made
	// (original, syndicated, reuse, exact, chained, tiny).
	Base string `json:"base"`
	Kind string `json:"kind"`
	// Intensity is the edit strength in [0,1] for syndicated copies.
	Intensity float64 `json:"intensity,omitempty"`
}

// boilerplate lines written for this generator (not taken from any corpus).
var (
	datelines = []string{
		"LONDON (Wire) -", "NEW YORK, March 3 (Newsdesk) -", "PARIS (AFP-style) --",
		"From our correspondent:", "UPDATED:", "BREAKING:",
	}
	trailers = []string{
		"Follow us on social media for the latest updates from our newsroom.",
		"Copyright 2024 Example Media Group. All rights reserved. This material may not be republished without permission.",
		"Reporting by staff writers; editing by the night desk.",
		"Sign up for our morning newsletter to get the day's top stories in your inbox.",
		"This article was amended to correct the spelling of a name.",
		"Additional reporting contributed by regional bureaus.",
	}
	tinyTexts = []string{"Breaking news.", "Updated.", "Photos: the scene", "Live", "Watch the video", "More to follow."}
)

// generator holds the random source and material pools.
type generator struct {
	r       *rand.Rand
	filler  [][]string // sentences of held-out documents
	vocab   []string
	seq     int
	clock   time.Time
	out     []Article
	fillPos int
}

// Generate builds the evaluation corpus from docs: about three quarters of
// the documents (with at least 40 words) become originals with 0-4 derived
// articles each; the rest only supply new sentences and words.
func Generate(docs []Doc, seed uint64) []Article {
	g := &generator{r: rand.New(rand.NewPCG(seed, seed^0x5eed)), clock: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	var usable []Doc
	for _, d := range docs {
		if len(strings.Fields(d.Text)) >= 40 {
			usable = append(usable, d)
		}
	}
	g.r.Shuffle(len(usable), func(i, j int) { usable[i], usable[j] = usable[j], usable[i] })
	nFill := len(usable) / 4
	for _, d := range usable[:nFill] {
		ss := splitSentences(d.Text)
		g.filler = append(g.filler, ss)
		for _, w := range strings.Fields(d.Text) {
			if isPlainWord(w) {
				g.vocab = append(g.vocab, w)
			}
		}
	}
	if len(g.filler) == 0 || len(g.vocab) == 0 {
		return nil
	}
	for _, d := range usable[nFill:] {
		paras := paragraphs(d.Text)
		orig := g.emit(d.ID, "original", 0, joinParas(paras), time.Duration(g.r.IntN(3600))*time.Second)
		srcs := []Article{orig}
		for v := g.r.IntN(5); v > 0; v-- {
			switch x := g.r.Float64(); {
			case x < 0.65:
				in := g.r.Float64()
				g.emit(d.ID, "syndicated", in, g.syndicate(paras, in), g.later())
			case x < 0.85:
				g.emit(d.ID, "reuse", 0, g.reuse(paras), g.later())
			case x < 0.92:
				g.emit(d.ID, "exact", 0, noise(g.r, orig.Text), g.later())
			default:
				src := srcs[g.r.IntN(len(srcs))]
				in := g.r.Float64() * 0.5
				srcs = append(srcs, g.emit(d.ID, "chained", in, g.syndicate(paragraphs(src.Text), in), g.later()))
			}
		}
	}
	for i := 0; i < 12; i++ {
		t := tinyTexts[g.r.IntN(len(tinyTexts))]
		g.emit("tiny", "tiny", 0, t, time.Duration(g.r.IntN(3600))*time.Second)
	}
	return g.out
}

// later is the delay of a derived article after the last emitted one.
func (g *generator) later() time.Duration {
	return time.Duration(1+g.r.IntN(36*60)) * time.Minute
}

func (g *generator) emit(base, kind string, in float64, text string, after time.Duration) Article {
	g.seq++
	g.clock = g.clock.Add(after + time.Duration(g.seq)*time.Nanosecond)
	a := Article{ID: fmt.Sprintf("g%05d-%s", g.seq, kind), Published: g.clock, Text: text, Base: base, Kind: kind, Intensity: in}
	g.out = append(g.out, a)
	return a
}

// syndicate makes an edited copy with edit strength in in [0,1].
func (g *generator) syndicate(paras [][]string, in float64) string {
	r := g.r
	var out [][]string
	for _, p := range paras {
		var q []string
		for _, s := range p {
			if r.Float64() < 0.25*in {
				continue // dropped sentence
			}
			q = append(q, g.substitute(s, 0.06*in))
		}
		if len(q) > 0 {
			out = append(out, q)
		}
	}
	if len(out) == 0 {
		out = [][]string{{paras[0][0]}}
	}
	for k := int(3 * in * r.Float64()); k > 0; k-- { // inserted sentences
		pi := r.IntN(len(out))
		si := r.IntN(len(out[pi]) + 1)
		out[pi] = insertAt(out[pi], si, g.fillerSentence())
	}
	if r.Float64() < 0.5 { // reordered paragraphs
		for k := 1 + r.IntN(2); k > 0 && len(out) > 1; k-- {
			i := r.IntN(len(out) - 1)
			out[i], out[i+1] = out[i+1], out[i]
		}
	}
	if r.Float64() < 0.25 { // truncation
		keep := int(float64(len(out))*(1-0.6*in) + 0.999)
		out = out[:max(1, keep)]
	}
	if r.Float64() < 0.5 { // changed boilerplate
		out[0] = insertAt(out[0], 0, datelines[r.IntN(len(datelines))])
	}
	if r.Float64() < 0.5 {
		out = append(out, []string{trailers[r.IntN(len(trailers))]})
	}
	text := joinParas(out)
	if r.Float64() < 0.3 {
		text = noise(r, text)
	}
	return text
}

// reuse writes a different report (held-out sentences) that carries one to
// three background paragraphs of the original.
func (g *generator) reuse(paras [][]string) string {
	r := g.r
	doc := g.filler[g.fillPos%len(g.filler)]
	g.fillPos++
	lo := r.IntN(len(doc)/2 + 1)
	fresh := doc[lo:]
	var out [][]string
	for _, s := range fresh {
		out = append(out, []string{s})
	}
	n := 1 + r.IntN(3)
	start := r.IntN(len(paras))
	for k := 0; k < n && start+k < len(paras); k++ {
		at := r.IntN(len(out) + 1)
		out = append(out[:at], append([][]string{paras[start+k]}, out[at:]...)...)
	}
	return joinParas(out)
}

func (g *generator) fillerSentence() string {
	d := g.filler[g.r.IntN(len(g.filler))]
	return d[g.r.IntN(len(d))]
}

// substitute replaces each plain word of s with a random vocabulary word
// with probability p.
func (g *generator) substitute(s string, p float64) string {
	if p <= 0 {
		return s
	}
	ws := strings.Fields(s)
	for i, w := range ws {
		if isPlainWord(w) && g.r.Float64() < p {
			ws[i] = g.vocab[g.r.IntN(len(g.vocab))]
		}
	}
	return strings.Join(ws, " ")
}

// noise changes case and spacing only: the normalized text is unchanged.
func noise(r *rand.Rand, text string) string {
	ws := strings.Split(text, " ")
	for i, w := range ws {
		switch r.IntN(12) {
		case 0:
			ws[i] = strings.ToUpper(w)
		case 1:
			ws[i] = w + " "
		}
	}
	return strings.Join(ws, " ")
}

func isPlainWord(w string) bool {
	if len(w) < 3 {
		return false
	}
	for _, c := range w {
		if !unicode.IsLetter(c) {
			return false
		}
	}
	return true
}

func insertAt(s []string, i int, v string) []string {
	s = append(s, "")
	copy(s[i+1:], s[i:])
	s[i] = v
	return s
}

// paragraphs splits a text into lines, each into sentences.
func paragraphs(text string) [][]string {
	var out [][]string
	for _, line := range strings.Split(text, "\n") {
		if ss := splitSentences(line); len(ss) > 0 {
			out = append(out, ss)
		}
	}
	return out
}

func joinParas(ps [][]string) string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = strings.Join(p, " ")
	}
	return strings.Join(lines, "\n")
}

// splitSentences splits text at line breaks and after ., ! or ? followed
// by a space.
func splitSentences(text string) []string {
	var out []string
	for _, sp := range sentenceSpans(text) {
		out = append(out, text[sp[0]:sp[1]])
	}
	return out
}

// sentenceSpans returns the byte spans of the sentences of text, trimmed.
func sentenceSpans(text string) [][2]int {
	var out [][2]int
	add := func(s, e int) {
		for s < e && (text[s] == ' ' || text[s] == '\n' || text[s] == '\t') {
			s++
		}
		for e > s && (text[e-1] == ' ' || text[e-1] == '\n' || text[e-1] == '\t') {
			e--
		}
		if e > s {
			out = append(out, [2]int{s, e})
		}
	}
	s := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '\n' {
			add(s, i)
			s = i + 1
		} else if (c == '.' || c == '!' || c == '?') && i+1 < len(text) && text[i+1] == ' ' {
			add(s, i+1)
			s = i + 1
		}
	}
	add(s, len(text))
	return out
}
