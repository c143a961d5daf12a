package article

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Main-text extraction: boilerplate elements are pruned from the tree,
// text blocks are scored by length, commas and link density (in the
// manner of Readability), the best-scoring container is chosen, and its
// text is rendered paragraph by paragraph.

// dropTags are elements that never hold article text.
var dropTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Iframe: true,
	atom.Svg: true, atom.Canvas: true, atom.Object: true, atom.Embed: true, atom.Button: true,
	atom.Select: true, atom.Input: true, atom.Textarea: true, atom.Nav: true, atom.Aside: true,
	atom.Footer: true, atom.Figure: true, atom.Figcaption: true, atom.Picture: true, atom.Img: true,
	atom.Video: true, atom.Audio: true, atom.Dialog: true, atom.Map: true, atom.Menu: true,
	atom.Label: true, atom.Head: true, atom.Math: true,
}

// guardedTags are dropped only when they hold less than half the page's
// text (some sites wrap the whole page in a <form> or <header>).
var guardedTags = map[atom.Atom]bool{atom.Form: true, atom.Header: true}

// badRoles are ARIA roles of non-article regions.
var badRoles = map[string]bool{
	"navigation": true, "banner": true, "contentinfo": true, "complementary": true, "dialog": true,
	"alertdialog": true, "menu": true, "menubar": true, "search": true, "toolbar": true, "alert": true,
	"tablist": true,
}

// badClassTokens are class/id tokens of boilerplate regions; badClassParts
// are substrings that mark them anywhere in a class or id.
var badClassTokens = map[string]bool{
	"ad": true, "ads": true, "adv": true, "nav": true, "tags": true, "tag": true, "more": true,
	"hidden": true, "print": true, "share": true, "meta": true, "postmeta": true, "entry-meta": true, "promo": true, "footer": true,
	"header": true, "masthead": true, "aside": true, "bio": true, "caption": true, "credit": true,
	"credits": true, "sr": true, "topics": true, "byline": true, "dateline": false,
}

var badClassParts = []string{
	"comment", "related", "cookie", "consent", "gdpr", "advert", "sponsor", "newsletter", "subscri",
	"breadcrumb", "outbrain", "taboola", "recommend", "trending", "popular", "social", "sharing",
	"sharebar", "share-", "sidebar", "popup", "modal", "banner", "menu", "navbar", "navigation",
	"widget", "disqus", "signup", "sign-up", "paywall-promo", "read-more", "readmore", "more-stories",
	"most-read", "mostread", "also-read", "alsoread", "tooltip", "skip-link", "skiplink", "toolbar",
	"pagination", "pager", "author-bio", "photo-credit", "image-credit", "caption", "video-player",
	"ad-slot", "adslot", "ad-container", "ad-wrapper", "dfp", "teaser-list", "footer", "overlay",
	"visually-hidden", "visuallyhidden", "screen-reader", "print-only", "hide-print",
}

// goodClassParts mark the article body; such elements are never pruned by
// class and their score is raised.
var goodClassParts = []string{
	"articlebody", "article-body", "article__body", "article_body", "story-body", "story__body",
	"storybody", "post-body", "entry-content", "post-content", "article-content", "article__content",
	"article-text", "story-text", "story-content", "main-content", "content-body", "body-text",
	"articletext", "article_text", "news-text", "newsbody",
}

func classID(n *html.Node) string {
	var c, id string
	for _, a := range n.Attr {
		switch a.Key {
		case "class":
			c = a.Val
		case "id":
			id = a.Val
		}
	}
	if c == "" && id == "" {
		return ""
	}
	return strings.ToLower(c + " " + id)
}

func isGoodClass(ci string) bool {
	for _, p := range goodClassParts {
		if strings.Contains(ci, p) {
			return true
		}
	}
	return false
}

func isBadClass(ci string) bool {
	for _, p := range badClassParts {
		if strings.Contains(ci, p) {
			return true
		}
	}
	start := -1
	for i := 0; i <= len(ci); i++ {
		alnum := i < len(ci) && (ci[i] >= 'a' && ci[i] <= 'z' || ci[i] >= '0' && ci[i] <= '9')
		if alnum && start < 0 {
			start = i
		} else if !alnum && start >= 0 {
			if badClassTokens[ci[start:i]] {
				return true
			}
			start = -1
		}
	}
	return false
}

// prune removes boilerplate elements under body in place.
func prune(body *html.Node) {
	total := textLen(body)
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			switch c.Type {
			case html.CommentNode:
				n.RemoveChild(c)
			case html.ElementNode:
				drop, weak := shouldDrop(c, total)
				switch {
				case drop && weak:
					hollow(c)
				case drop:
					n.RemoveChild(c)
				default:
					walk(c)
				}
			}
			c = next
		}
	}
	walk(body)
}

// shouldDrop tells whether n is boilerplate; weak drops (a page header,
// a "meta" or "byline" line) may hold the publication <time>, which is
// kept (see hollow).
func shouldDrop(n *html.Node, total int) (drop, weak bool) {
	if dropTags[n.DataAtom] {
		return true, false
	}
	if guardedTags[n.DataAtom] {
		return textLen(n)*2 < total, true
	}
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true, false
		case "aria-hidden":
			if a.Val == "true" {
				return true, false
			}
		case "role":
			if badRoles[strings.ToLower(a.Val)] {
				return true, false
			}
		case "style":
			v := strings.ToLower(strings.ReplaceAll(a.Val, " ", ""))
			if strings.Contains(v, "display:none") || strings.Contains(v, "visibility:hidden") {
				return true, false
			}
		case "itemprop":
			if a.Val == "articleBody" {
				return false, false
			}
		}
	}
	switch n.DataAtom {
	case atom.Article, atom.Main, atom.Body, atom.Html, atom.A, atom.Strong, atom.Em, atom.B, atom.I:
		return false, false
	}
	ci := classID(n)
	if ci == "" || isGoodClass(ci) || !isBadClass(ci) {
		return false, false
	}
	if holdsHeadline(n) {
		return false, false // a wrapper of the whole story, e.g. class="has-sidebar"
	}
	if isStrongBadClass(ci) {
		return true, false
	}
	return textLen(n)*2 < total, true
}

// hollow empties n but keeps its <time> elements (without their text) in
// place, so the publication time in a pruned byline still counts as the
// story's.
func hollow(n *html.Node) {
	var times []*html.Node
	var find func(*html.Node)
	find = func(x *html.Node) {
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom == atom.Time {
				times = append(times, c)
			} else {
				find(c)
			}
		}
	}
	find(n)
	for c := n.FirstChild; c != nil; c = n.FirstChild {
		n.RemoveChild(c)
	}
	for _, t := range times {
		if t.Parent != nil {
			t.Parent.RemoveChild(t)
		}
		for c := t.FirstChild; c != nil; c = t.FirstChild {
			t.RemoveChild(c)
		}
		n.AppendChild(t)
	}
}

// strongBadParts mark regions that are never the story, whatever their
// size (comments can outweigh a short story); other bad classes
// ("sidebar", "menu", "footer") are also layout wrappers on some sites
// and are pruned only when they hold less than half the text.
var strongBadParts = []string{
	"comment", "related", "cookie", "consent", "gdpr", "advert", "sponsor", "newsletter", "subscri",
	"outbrain", "taboola", "recommend", "trending", "popular", "social", "sharing", "disqus",
	"signup", "sign-up", "most-read", "mostread", "also-read", "alsoread", "more-stories", "caption",
}

func isStrongBadClass(ci string) bool {
	for _, p := range strongBadParts {
		if strings.Contains(ci, p) {
			return true
		}
	}
	return false
}

// holdsHeadline reports whether n contains an <h1> or the marked article
// body.
func holdsHeadline(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.DataAtom == atom.H1 || attr(c, "itemprop") == "articleBody" || holdsHeadline(c) {
			return true
		}
	}
	return false
}

// textLen is the number of non-space bytes of text under n.
func textLen(n *html.Node) int {
	if n.Type == html.TextNode {
		k := 0
		for i := 0; i < len(n.Data); i++ {
			if c := n.Data[i]; c != ' ' && c != '\n' && c != '\t' && c != '\r' {
				k++
			}
		}
		return k
	}
	if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
		return 0
	}
	k := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		k += textLen(c)
	}
	return k
}

// blockTags start a new paragraph.
var blockTags = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true, atom.Dd: true,
	atom.Div: true, atom.Dl: true, atom.Dt: true, atom.Fieldset: true, atom.Figure: true,
	atom.Footer: true, atom.Form: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Header: true, atom.Hr: true, atom.Li: true, atom.Main: true,
	atom.Nav: true, atom.Ol: true, atom.P: true, atom.Pre: true, atom.Section: true, atom.Table: true,
	atom.Tbody: true, atom.Thead: true, atom.Tfoot: true, atom.Tr: true, atom.Td: true, atom.Th: true,
	atom.Ul: true, atom.Center: true, atom.Details: true, atom.Summary: true, atom.Body: true,
	atom.Caption: true, atom.Br: true,
}

// paraTags are paragraph-like blocks whose score goes to their container.
var paraTags = map[atom.Atom]bool{
	atom.P: true, atom.Pre: true, atom.Blockquote: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Li: true, atom.Dd: true, atom.Dt: true,
}

// blockStat accumulates the direct (inline) text of one block.
type blockStat struct {
	n        *html.Node
	text     int
	link     int
	commas   int
	nonSpace bool
}

// pickCandidate returns the element holding the main text, or nil, and
// the siblings that continue it (a story body split by an ad into
// several containers), all in document order.
func pickCandidate(body *html.Node) []*html.Node {
	scores := map[*html.Node]float64{}
	var walk func(n *html.Node, st *blockStat, inLink bool)
	walk = func(n *html.Node, st *blockStat, inLink bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				l, commas := textStats(c.Data)
				st.text += l
				st.commas += commas
				if inLink {
					st.link += l
				}
			case html.ElementNode:
				if c.DataAtom == atom.Br {
					continue
				}
				if blockTags[c.DataAtom] {
					cs := &blockStat{n: c}
					walk(c, cs, false)
					scoreBlock(cs, scores)
				} else {
					walk(c, st, inLink || c.DataAtom == atom.A)
				}
			}
		}
	}
	root := &blockStat{n: body}
	walk(body, root, false)
	scoreBlock(root, scores)
	if len(scores) == 0 {
		return nil
	}
	var best *html.Node
	bestScore := 0.0
	final := make(map[*html.Node]float64, len(scores))
	for n, s := range scores {
		t, l := linkStats(n)
		if t == 0 {
			continue
		}
		s *= 1 - float64(l)/float64(t)
		switch n.DataAtom {
		case atom.Article, atom.Main:
			s *= 1.25
		}
		if attr(n, "itemprop") == "articleBody" || isGoodClass(classID(n)) {
			s *= 1.5
		}
		final[n] = s
		if s > bestScore || (s == bestScore && best != nil && isAncestor(n, best)) {
			best, bestScore = n, s
		}
	}
	if best == nil {
		return nil
	}
	if best.Parent == nil || best.DataAtom == atom.Body {
		return []*html.Node{best}
	}
	// Siblings scoring at least a third of the best continue the story.
	var out []*html.Node
	for c := best.Parent.FirstChild; c != nil; c = c.NextSibling {
		if c == best || (c.Type == html.ElementNode && final[c] >= bestScore/3 && final[c] >= 5) {
			out = append(out, c)
		}
	}
	return out
}

func isAncestor(a, n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p == a {
			return true
		}
	}
	return false
}

// scoreBlock adds a block's content score to its container(s).
func scoreBlock(st *blockStat, scores map[*html.Node]float64) {
	if st.text < 25 || st.n.DataAtom == atom.H1 {
		return // the headline is the title, not body text
	}
	s := 1 + float64(st.commas) + min(float64(st.text)/100, 3)
	s *= 1 - float64(st.link)/float64(st.text)
	target := st.n
	if paraTags[st.n.DataAtom] {
		target = st.n.Parent
	}
	if target == nil {
		return
	}
	scores[target] += s
	if p := target.Parent; p != nil && p.Type == html.ElementNode {
		scores[p] += s / 2
		if g := p.Parent; g != nil && g.Type == html.ElementNode {
			scores[g] += s / 3
		}
	}
}

// textStats counts non-space bytes and commas in s.
func textStats(s string) (n, commas int) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ' ', '\n', '\t', '\r':
		case ',':
			commas++
			n++
		default:
			n++
		}
	}
	return n, commas
}

// linkStats returns the text length and link-text length under n.
func linkStats(n *html.Node) (text, link int) {
	var walk func(n *html.Node, in bool)
	walk = func(n *html.Node, in bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				l, _ := textStats(c.Data)
				text += l
				if in {
					link += l
				}
			case html.ElementNode:
				walk(c, in || c.DataAtom == atom.A)
			}
		}
	}
	walk(n, false)
	return text, link
}

// renderText renders the text under the nodes as paragraphs, one per
// block element, dropping paragraphs that are mostly links and the <h1>
// (the headline is the title).
func renderText(nodes ...*html.Node) string {
	r := &renderer{}
	for _, n := range nodes {
		r.walk(n, false)
		r.flush()
	}
	return r.out.String()
}

type renderer struct {
	out   strings.Builder
	cur   strings.Builder
	text  int
	link  int
	paras int
}

func (r *renderer) walk(n *html.Node, inLink bool) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			r.cur.WriteString(c.Data)
			l, _ := textStats(c.Data)
			r.text += l
			if inLink {
				r.link += l
			}
		case html.ElementNode:
			if c.DataAtom == atom.H1 {
				r.flush()
				continue
			}
			if blockTags[c.DataAtom] {
				r.flush()
				r.walk(c, false)
				r.flush()
				continue
			}
			r.walk(c, inLink || c.DataAtom == atom.A)
		}
	}
}

func (r *renderer) flush() {
	if r.cur.Len() == 0 {
		return
	}
	raw := r.cur.String()
	text, link := r.text, r.link
	r.cur.Reset()
	r.text, r.link = 0, 0
	if text == 0 || link*2 > text {
		return // empty, or a line of links ("related stories")
	}
	if r.paras > 0 {
		r.out.WriteByte('\n')
	}
	writeCollapsed(&r.out, raw)
	r.paras++
}

// writeCollapsed writes s with runs of white space made one space and
// leading/trailing space dropped.
func writeCollapsed(b *strings.Builder, s string) {
	space, started := false, false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' {
				space = true
				i++
				continue
			}
			if space && started {
				b.WriteByte(' ')
			}
			b.WriteByte(c)
			space, started = false, true
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			space = true
		} else {
			if space && started {
				b.WriteByte(' ')
			}
			b.WriteString(s[i : i+size])
			space, started = false, true
		}
		i += size
	}
}

// isListing reports whether the chosen containers look like a list of
// stories rather than one: four or more headings (h2-h4) that are links.
func isListing(nodes []*html.Node) bool {
	linked := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && linked < 4; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.H2, atom.H3, atom.H4:
				if t, l := linkStats(c); t > 0 && l*2 > t {
					linked++
				}
				continue
			}
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return linked >= 4
}
