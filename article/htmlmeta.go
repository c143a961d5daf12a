package article

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageMeta collects the metadata signals of one page.
type pageMeta struct {
	lang, baseHref, titleTag, h1 string
	ogTitle, siteName, appName   string
	ogURL, canonical             string
	author, byline, textByline   string
	ogType                       string
	metaDates                    []string // in priority order of metaDateKeys
	metaDateRank                 int
	timeDates                    []string // marked or within the story
	looseTimes                   []string // elsewhere on the page
	ld                           ldInfo
}

// ldInfo is what the JSON-LD blocks say about the article.
type ldInfo struct {
	found, isArticle bool
	headline         string
	datePublished    string
	authors          []string
	publisher        string
	url              string
}

// metaDateKeys are <meta> names/properties giving the publication date,
// best first.
var metaDateKeys = []string{
	"article:published_time", "og:article:published_time", "datepublished", "article.published",
	"parsely-pub-date", "sailthru.date", "publish-date", "publishdate", "pubdate", "publication_date",
	"dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "date", "og:published_time",
	"cxenseparse:recs:publishtime", "article_date_original", "original-publish-date",
}

var metaDateRank = func() map[string]int {
	m := map[string]int{}
	for i, k := range metaDateKeys {
		m[k] = i
	}
	return m
}()

func collectMeta(doc *html.Node) *pageMeta {
	m := &pageMeta{metaDateRank: len(metaDateKeys)}
	m.metaDates = make([]string, len(metaDateKeys))
	var h1InArticle bool
	var walk func(n *html.Node, inArticle bool)
	walk = func(n *html.Node, inArticle bool) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Html:
				if m.lang == "" {
					m.lang = attr(n, "lang")
				}
			case atom.Base:
				if m.baseHref == "" {
					m.baseHref = attr(n, "href")
				}
			case atom.Title:
				if m.titleTag == "" && n.Parent != nil && n.Parent.DataAtom == atom.Head {
					m.titleTag = textContent(n)
				}
			case atom.Meta:
				m.meta(n)
			case atom.Link:
				if strings.EqualFold(attr(n, "rel"), "canonical") && m.canonical == "" {
					m.canonical = attr(n, "href")
				}
			case atom.Script:
				if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") && n.FirstChild != nil {
					m.ld.parse(n.FirstChild.Data)
				}
				return
			case atom.Style, atom.Noscript, atom.Template:
				return
			case atom.Article, atom.Main:
				inArticle = true
			case atom.H1:
				if m.h1 == "" || (inArticle && !h1InArticle) {
					if t := textContent(n); t != "" {
						m.h1, h1InArticle = t, inArticle
					}
				}
			}
			if ip := attr(n, "itemprop"); ip == "datePublished" {
				v := firstNonEmpty(attr(n, "content"), attr(n, "datetime"))
				m.addMetaDate("datepublished", v)
			}
			if m.byline == "" && (strings.EqualFold(attr(n, "rel"), "author") || classHas(n, "byline") || classHas(n, "author-name")) {
				m.byline = cleanByline(textContent(n))
			}
			if m.textByline == "" && (n.DataAtom == atom.P || n.DataAtom == atom.Div || n.DataAtom == atom.Span || n.DataAtom == atom.Address) {
				if t := textContent(n); len(t) <= 100 {
					m.textByline = bylineName(t)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inArticle)
		}
	}
	walk(doc, false)
	return m
}

func classHas(n *html.Node, s string) bool {
	return strings.Contains(strings.ToLower(attr(n, "class")), s)
}

// bylineRe matches a byline line: "By Owen Price · 3 October 2024",
// "BY JANE DOE AND JOHN ROE, Staff Writers".
var bylineRe = regexp.MustCompile(`^(?:By|BY|Written by)\s+(\p{Lu}[\p{L}'’.\-]*(?:(?:\s+|\s+and\s+|\s+AND\s+|,\s*)\p{Lu}[\p{L}'’.\-]*){0,5})(?:\s*(?:[·|•–—,]|$).*)?$`)

// notNames are capitalized words that follow "By" in sentences, not bylines.
var notNames = map[string]bool{
	"Monday": true, "Tuesday": true, "Wednesday": true, "Thursday": true, "Friday": true, "Saturday": true,
	"Sunday": true, "January": true, "February": true, "March": true, "April": true, "May": true, "June": true,
	"July": true, "August": true, "September": true, "October": true, "November": true, "December": true,
	"The": true, "Then": true, "Now": true, "Law": true, "Staff": true,
}

// bylineName returns the name(s) of a byline line, or "".
func bylineName(t string) string {
	sm := bylineRe.FindStringSubmatch(strings.TrimSpace(t))
	if sm == nil {
		return ""
	}
	first, _, _ := strings.Cut(sm[1], " ")
	if notNames[strings.Trim(first, ",")] {
		return ""
	}
	// A sentence ("By Ellen's account, the talks failed") has ordinary
	// lowercase words; a byline has only names, a date and a role.
	for _, w := range strings.Fields(t)[1:] {
		w = strings.Trim(w, ",.·|•–—()")
		if w == "" {
			continue
		}
		if r := w[0]; r >= 'a' && r <= 'z' && !bylineWords[w] {
			return ""
		}
	}
	return strings.TrimSpace(sm[1])
}

// bylineWords are the lowercase words a byline line may hold.
var bylineWords = map[string]bool{
	"and": true, "by": true, "in": true, "for": true, "the": true, "of": true, "at": true, "staff": true,
	"writer": true, "writers": true, "reporter": true, "reporters": true, "correspondent": true,
	"correspondents": true, "editor": true, "editors": true, "updated": true, "published": true,
	"am": true, "pm": true, "a.m": true, "p.m": true, "ist": true, "et": true, "gmt": true, "utc": true,
}

func cleanByline(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 120 {
		return ""
	}
	for _, p := range []string{"By ", "by ", "BY ", "Written by ", "Posted by "} {
		s = strings.TrimPrefix(s, p)
	}
	return strings.TrimSpace(s)
}

func (m *pageMeta) meta(n *html.Node) {
	key := strings.ToLower(firstNonEmpty(attr(n, "property"), attr(n, "name"), attr(n, "itemprop")))
	val := strings.TrimSpace(attr(n, "content"))
	if key == "" || val == "" {
		return
	}
	switch key {
	case "og:type":
		m.ogType = strings.ToLower(val)
	case "og:title", "twitter:title":
		if m.ogTitle == "" {
			m.ogTitle = val
		}
	case "og:site_name":
		m.siteName = val
	case "application-name":
		m.appName = val
	case "og:url":
		m.ogURL = val
	case "author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl":
		if m.author == "" && !strings.Contains(val, "://") {
			m.author = cleanByline(val)
		}
	default:
		m.addMetaDate(key, val)
	}
}

func (m *pageMeta) addMetaDate(key, val string) {
	if r, ok := metaDateRank[key]; ok && m.metaDates[r] == "" {
		m.metaDates[r] = strings.TrimSpace(val)
	}
}

// articleTypes are JSON-LD @type values of news articles.
var articleTypes = map[string]bool{
	"NewsArticle": true, "Article": true, "ReportageNewsArticle": true, "AnalysisNewsArticle": true,
	"BlogPosting": true, "OpinionNewsArticle": true, "BackgroundNewsArticle": true, "LiveBlogPosting": true,
	"Report": true, "ScholarlyArticle": true, "TechArticle": true, "ReviewNewsArticle": true,
}

func (ld *ldInfo) parse(raw string) {
	// Raw control characters inside strings are a common fault of
	// hand-made JSON-LD: make them spaces (harmless outside strings too).
	raw = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		return r
	}, raw)
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		return
	}
	ld.walk(v, 0)
}

func (ld *ldInfo) walk(v any, depth int) {
	if depth > 8 {
		return
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			ld.walk(e, depth+1)
		}
	case map[string]any:
		if g, ok := x["@graph"]; ok {
			ld.walk(g, depth+1)
		}
		isArt := false
		switch t := x["@type"].(type) {
		case string:
			isArt = articleTypes[t]
		case []any:
			for _, e := range t {
				if s, ok := e.(string); ok && articleTypes[s] {
					isArt = true
				}
			}
		}
		if !isArt {
			// A WebPage may still carry the date when nothing else does.
			if d, ok := x["datePublished"].(string); ok && !ld.found {
				ld.datePublished = d
			}
			return
		}
		if ld.isArticle {
			return // the first article object wins
		}
		ld.found, ld.isArticle = true, true
		ld.headline, _ = x["headline"].(string)
		if ld.headline == "" {
			ld.headline, _ = x["name"].(string)
		}
		if d, ok := x["datePublished"].(string); ok {
			ld.datePublished = d
		}
		ld.authors = ldNames(x["author"])
		if p := ldNames(x["publisher"]); len(p) > 0 {
			ld.publisher = p[0]
		}
		ld.url, _ = x["url"].(string)
		switch me := x["mainEntityOfPage"].(type) {
		case string:
			if ld.url == "" {
				ld.url = me
			}
		case map[string]any:
			if id, ok := me["@id"].(string); ok && ld.url == "" {
				ld.url = id
			}
		}
	}
}

// ldNames reads a JSON-LD person/organization value: a string, an object
// with "name", or a list of those.
func ldNames(v any) []string {
	var out []string
	switch x := v.(type) {
	case string:
		if s := strings.TrimSpace(x); s != "" && !strings.Contains(s, "://") {
			out = append(out, s)
		}
	case map[string]any:
		if s, ok := x["name"].(string); ok && strings.TrimSpace(s) != "" {
			out = append(out, strings.TrimSpace(s))
		}
	case []any:
		for _, e := range x {
			out = append(out, ldNames(e)...)
		}
	}
	return out
}

// scanTimes collects <time> elements left after pruning: those marked as
// the publication time first, then those within scope (the story's
// container), and apart from them, as a last resort, the others; those
// marked as updates never.
func (m *pageMeta) scanTimes(body, scope *html.Node) {
	cand := scope
	var marked, inCand, other []string
	var walk func(n *html.Node, in bool)
	walk = func(n *html.Node, in bool) {
		if n == cand {
			in = true
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Time {
			v := attr(n, "datetime")
			cls := strings.ToLower(attr(n, "class") + " " + attr(n, "itemprop"))
			switch {
			case v == "":
			case strings.Contains(cls, "modif") || strings.Contains(cls, "updat"):
			case hasAttr(n, "pubdate") || strings.Contains(cls, "publish") || strings.Contains(cls, "datepublished"):
				marked = append(marked, v)
			case in:
				inCand = append(inCand, v)
			default:
				other = append(other, v)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, in)
		}
	}
	walk(body, false)
	m.timeDates = append(marked, inCand...)
	m.looseTimes = other
}

// storyScope returns the smallest ancestor of cand (or cand) holding an
// <h1>: the story's header and body together. Without one, cand.
func storyScope(cand *html.Node) *html.Node {
	for n := cand; n != nil && n.DataAtom != atom.Body; n = n.Parent {
		if n.DataAtom == atom.H1 || holdsH1(n) {
			return n
		}
	}
	return cand
}

func holdsH1(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (c.DataAtom == atom.H1 || holdsH1(c)) {
			return true
		}
	}
	return false
}

// dateCand is one publication-date signal.
type dateCand struct {
	t       time.Time
	hasZone bool
	source  string
}

// date picks the publication date: JSON-LD datePublished, then <meta>,
// then <time> marked as published or within the story, then a date in the
// URL path, then other <time> elements. The publisher's UTC offset is
// kept: when the chosen signal is in UTC or has no zone, another signal
// for the same moment (or day) that carries the offset lends it.
func (m *pageMeta) date(pageURL string) (time.Time, string) {
	var cands []dateCand
	add := func(s, src string) {
		if t, z, ok := parseWebDate(s); ok {
			cands = append(cands, dateCand{t, z, src})
		}
	}
	add(m.ld.datePublished, "json-ld")
	for _, d := range m.metaDates {
		add(d, "meta")
	}
	for _, d := range m.timeDates {
		add(d, "time")
	}
	if t, ok := urlDate(firstNonEmpty(m.canonical, m.ogURL, pageURL)); ok {
		cands = append(cands, dateCand{t, false, "url"})
	}
	for _, d := range m.looseTimes {
		add(d, "time")
	}
	if len(cands) == 0 {
		return time.Time{}, ""
	}
	best := cands[0]
	for _, c := range cands[1:] {
		if !c.hasZone {
			continue
		}
		_, off := c.t.Zone()
		_, boff := best.t.Zone()
		switch {
		case best.hasZone && boff == 0 && off != 0 && c.t.Equal(best.t):
			best.t = best.t.In(c.t.Location())
		case !best.hasZone && sameWallDate(c.t, best.t):
			if best.t.Hour() == 0 && best.t.Minute() == 0 && best.t.Second() == 0 {
				best.t = c.t // a bare date: the zoned signal has the time too
			} else {
				best.t = time.Date(best.t.Year(), best.t.Month(), best.t.Day(), best.t.Hour(), best.t.Minute(), best.t.Second(), best.t.Nanosecond(), c.t.Location())
			}
			best.hasZone = true
		default:
			continue
		}
		break
	}
	return best.t, best.source
}

func sameWallDate(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

var urlDateRe = regexp.MustCompile(`/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|-|$|\.)|/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])/`)

// urlDate finds a date in a URL path: /2024/03/15/, /2024-03-15-, /20240315/.
func urlDate(raw string) (time.Time, bool) {
	if raw == "" {
		return time.Time{}, false
	}
	path := raw
	if i := strings.Index(path, "://"); i >= 0 {
		path = path[i+3:]
		if j := strings.IndexByte(path, '/'); j >= 0 {
			path = path[j:]
		} else {
			return time.Time{}, false
		}
	}
	sm := urlDateRe.FindStringSubmatch(path)
	if sm == nil {
		return time.Time{}, false
	}
	ys, ms, ds := sm[1], sm[2], sm[3]
	if ys == "" {
		ys, ms, ds = sm[4], sm[5], sm[6]
	}
	y, _ := strconv.Atoi(ys)
	mo, _ := strconv.Atoi(ms)
	d, _ := strconv.Atoi(ds)
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || t.After(time.Now().AddDate(1, 0, 0)) {
		return time.Time{}, false
	}
	return t, true
}

// Layouts for dates found on web pages and in feeds. Those with a numeric
// zone come first.
var webDateLayouts = []struct {
	layout string
	zone   bool
}{
	{time.RFC3339Nano, true},
	{"2006-01-02T15:04:05Z0700", true},
	{"2006-01-02T15:04:05.999999999Z0700", true},
	{"2006-01-02T15:04Z07:00", true},
	{"2006-01-02 15:04:05Z07:00", true},
	{"2006-01-02 15:04:05 -0700", true},
	{"2006-01-02 15:04:05 Z07:00", true},
	{"Mon, 2 Jan 2006 15:04:05 -0700", true},
	{"Mon, 2 Jan 2006 15:04 -0700", true},
	{"2 Jan 2006 15:04:05 -0700", true},
	{"Mon, 2 January 2006 15:04:05 -0700", true},
	{"Monday, 2 Jan 2006 15:04:05 -0700", true},
	{"Mon, 2 Jan 2006 15:04:05 MST", true},
	{"Mon, 2 Jan 2006 15:04 MST", true},
	{"2 Jan 2006 15:04:05 MST", true},
	{"Mon Jan 2 15:04:05 MST 2006", true},
	{"2006-01-02T15:04:05.999999999", false},
	{"2006-01-02 15:04:05", false},
	{"2006-01-02T15:04", false},
	{"2006-01-02 15:04", false},
	{"2006-01-02", false},
	{"2006/01/02", false},
	{"2006/01/02 15:04:05", false},
	{"January 2, 2006", false},
	{"Jan 2, 2006", false},
	{"2 January 2006", false},
	{"January 2, 2006 15:04", false},
	{"Mon, 2 Jan 2006 15:04:05", false},
	{"Mon, 2 Jan 2006", false},
	{"2 Jan 2006", false},
}

// zoneAbbrev gives the offsets (seconds) of zone abbreviations common in
// RSS dates; Go's parser would otherwise treat unknown ones as UTC.
var zoneAbbrev = map[string]int{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600,
	"CDT": -5 * 3600, "MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
	"BST": 3600, "CET": 3600, "CEST": 2 * 3600, "EET": 2 * 3600, "EEST": 3 * 3600, "WET": 0, "WEST": 3600,
	"IST": 5*3600 + 1800, "JST": 9 * 3600, "KST": 9 * 3600, "AEST": 10 * 3600, "AEDT": 11 * 3600,
	"HKT": 8 * 3600, "SGT": 8 * 3600, "PKT": 5 * 3600, "MSK": 3 * 3600, "SAST": 2 * 3600,
	"NZST": 12 * 3600, "NZDT": 13 * 3600, "AKST": -9 * 3600, "AKDT": -8 * 3600, "HST": -10 * 3600,
}

// parseWebDate parses a date as found in page metadata or feeds, keeping
// the offset it states. hasZone reports whether it stated one. Dates before
// 1800 or more than a year ahead are refused.
func parseWebDate(s string) (t time.Time, hasZone bool, ok bool) {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) < 6 || len(s) > 64 {
		return t, false, false
	}
	for _, l := range webDateLayouts {
		pt, err := time.Parse(l.layout, s)
		if err != nil {
			continue
		}
		if strings.HasSuffix(l.layout, "MST") || strings.HasSuffix(l.layout, "MST 2006") {
			name, off := pt.Zone()
			if want, known := zoneAbbrev[strings.ToUpper(name)]; known && off != want {
				pt = time.Date(pt.Year(), pt.Month(), pt.Day(), pt.Hour(), pt.Minute(), pt.Second(), pt.Nanosecond(), time.FixedZone(name, want))
			} else if !known && off == 0 {
				continue // an abbreviation we cannot place: try other layouts, else fail
			}
		}
		if pt.Year() < 1800 || pt.After(time.Now().AddDate(1, 0, 0)) {
			return time.Time{}, false, false
		}
		return pt, l.zone, true
	}
	return time.Time{}, false, false
}

// title picks the headline: the page's <h1> when the metadata agrees with
// it, else JSON-LD headline, og:title, <h1>, <title>, with a trailing
// " | Site" removed.
func (m *pageMeta) title(site string) string {
	h1 := strings.TrimSpace(m.h1)
	meta := []string{m.ld.headline, m.ogTitle, m.titleTag}
	if h1 != "" {
		for _, t := range meta {
			if t != "" && strings.Contains(strings.ToLower(t), strings.ToLower(h1)) {
				return h1
			}
		}
	}
	for _, t := range []string{m.ld.headline, m.ogTitle, h1, m.titleTag} {
		if t = strings.Join(strings.Fields(t), " "); t != "" {
			return stripSiteSuffix(t, site)
		}
	}
	return ""
}

// stripSiteSuffix removes " | Site", " - Site" and similar from a title
// when the part after the separator names the site.
func stripSiteSuffix(t, site string) string {
	for _, sep := range []string{" | ", " - ", " – ", " — ", " :: ", " · "} {
		i := strings.LastIndex(t, sep)
		if i <= 0 {
			continue
		}
		tail := strings.ToLower(strings.TrimSpace(t[i+len(sep):]))
		ls := strings.ToLower(site)
		if tail != "" && ls != "" && (tail == ls || strings.Contains(ls, tail) || strings.Contains(tail, ls) ||
			strings.ReplaceAll(tail, " ", "") == strings.SplitN(ls, ".", 2)[0]) {
			return strings.TrimSpace(t[:i])
		}
	}
	return t
}
