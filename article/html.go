package article

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// MaxHTMLBytes is the largest HTML page accepted (the markup, not the
// extracted text).
var MaxHTMLBytes = 16 << 20

// HTMLReader reads one HTML page per file and extracts its main text,
// title, author, publication date, canonical URL and site name. The id is
// the canonical URL when the page names one, else the file name without
// extension.
type HTMLReader struct{}

func init() {
	Register(".html", HTMLReader{})
	Register(".htm", HTMLReader{})
	Register(".xhtml", HTMLReader{})
}

// Read implements Reader.
func (HTMLReader) Read(ctx context.Context, name string, r io.Reader, s Sink) error {
	b, tooLong, err := readLimited(r, MaxHTMLBytes)
	if err != nil {
		s.Reject(Rejection{File: name, Err: fmt.Errorf("read: %w", err)})
		return nil
	}
	if tooLong {
		s.Reject(Rejection{File: name, Err: fmt.Errorf("page larger than %d bytes", MaxHTMLBytes)})
		return nil
	}
	a, err := ArticleFromHTML(b, "", "")
	if err != nil {
		s.Reject(Rejection{File: name, Err: err})
		return nil
	}
	if a.ID == "" {
		a.ID = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	}
	if err := s.Article(a); err != nil {
		return stopError{err}
	}
	return nil
}

// ArticleFromHTML extracts an article from one HTML page. pageURL is the
// address the page was fetched from (may be empty); contentType is the
// HTTP Content-Type header, if known, for the charset. The id is the
// canonical URL, else pageURL, else empty (the caller names it). Text is
// cleaned with Clean and the language identified.
func ArticleFromHTML(b []byte, pageURL, contentType string) (Article, error) {
	var a Article
	if IsBinary(b) {
		return a, errors.New("binary data, not HTML")
	}
	b, err := toUTF8(b, contentType)
	if err != nil {
		return a, err
	}
	p, err := ExtractHTML(b, pageURL)
	if err != nil {
		return a, err
	}
	a.Title = p.Title
	a.Text = Clean(dropTitleLine(p.Text, p.Title))
	if len(a.Text) > MaxTextBytes {
		return a, fmt.Errorf("article text larger than %d bytes", MaxTextBytes)
	}
	if p.Listing {
		return a, errors.New("no main text: a listing of headlines (section front or home page), not an article")
	}
	if strings.TrimSpace(a.Text) == "" {
		return a, errors.New("no main text found in the page")
	}
	a.URL = p.Canonical
	if a.URL == "" {
		a.URL = CanonicalURL(pageURL)
	}
	a.ID = a.URL
	a.Source = p.SiteName
	a.Published = p.Published
	a.Extra = map[string]string{}
	if p.Author != "" {
		a.Extra["author"] = p.Author
	}
	if p.DateSource != "" {
		a.Extra["date_source"] = p.DateSource
	}
	if p.Lang != "" {
		a.Extra["html_lang"] = p.Lang
	}
	Identify(&a)
	if a.Lang == "" && p.Lang != "" {
		// Too short to tell from the text: trust the page's own declaration.
		a.Lang = baseLang(p.Lang)
	}
	if len(a.Extra) == 0 {
		a.Extra = nil
	}
	return a, nil
}

// dropTitleLine removes a first paragraph that repeats the title.
func dropTitleLine(text, title string) string {
	first, rest, _ := strings.Cut(text, "\n")
	if title != "" && strings.EqualFold(strings.TrimSpace(first), title) {
		return rest
	}
	return text
}

// baseLang turns "en-US" into "en".
func baseLang(l string) string {
	l = strings.ToLower(strings.TrimSpace(l))
	if i := strings.IndexAny(l, "-_"); i >= 0 {
		l = l[:i]
	}
	if len(l) < 2 || len(l) > 3 {
		return ""
	}
	return l
}

// Page is what ExtractHTML finds in one HTML page.
type Page struct {
	Title     string
	Text      string // main text, paragraphs separated by "\n" (not yet Clean-ed)
	Author    string // comma-separated when several
	SiteName  string
	Canonical string // normalized canonical URL, or ""
	Lang      string // the page's declared language (<html lang>), if any
	Published time.Time
	// Listing is true for a section front or home page (a list of linked
	// headlines with teasers), which has no article text.
	Listing bool
	// DateSource names the signal Published came from: "json-ld",
	// "meta", "time", "url" (empty when undated).
	DateSource string
}

// ExtractHTML parses an HTML page (UTF-8) and extracts its main text and
// metadata. pageURL, when known, resolves relative links and gives a
// fallback date and site name.
func ExtractHTML(b []byte, pageURL string) (Page, error) {
	return extractHTML(b, pageURL, true)
}

// extractHTML is ExtractHTML with the byte-level pre-pass optional (tests
// check it changes nothing).
func extractHTML(b []byte, pageURL string, strip bool) (Page, error) {
	var p Page
	if strip {
		b = stripBoilerplate(b)
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		return p, fmt.Errorf("parse HTML: %w", err)
	}
	m := collectMeta(doc)
	base, _ := url.Parse(pageURL)
	if m.baseHref != "" && base != nil {
		if u, err := base.Parse(m.baseHref); err == nil {
			base = u
		}
	}
	p.Lang = m.lang

	body := findBody(doc)
	if body != nil {
		prune(body)
		cands := pickCandidate(body)
		var cand *html.Node
		if len(cands) > 0 {
			cand = cands[0]
			if !m.ld.isArticle && m.ogType != "article" && isListing(cands) {
				p.Listing = true
			} else {
				p.Text = renderText(cands...)
			}
		}
		var scope *html.Node
		if cand != nil {
			scope = storyScope(cand)
		}
		m.scanTimes(body, scope)
	}

	// Canonical URL: <link rel=canonical>, og:url, JSON-LD, page URL.
	for _, c := range []string{m.canonical, m.ogURL, m.ld.url} {
		if c == "" {
			continue
		}
		if u := resolveURL(base, c); u != "" {
			p.Canonical = u
			break
		}
	}
	p.SiteName = firstNonEmpty(m.siteName, m.ld.publisher, m.appName)
	if p.SiteName == "" {
		p.SiteName = hostName(firstNonEmpty(p.Canonical, pageURL))
	}
	p.Title = m.title(p.SiteName)
	p.Author = firstNonEmpty(strings.Join(m.ld.authors, ", "), m.author, m.byline, m.textByline)
	p.Published, p.DateSource = m.date(firstNonEmpty(p.Canonical, pageURL))
	return p, nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

func findBody(n *html.Node) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == atom.Body {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if b := findBody(c); b != nil {
			return b
		}
	}
	return nil
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// textContent returns the whitespace-collapsed text under n.
func textContent(n *html.Node) string {
	var sb strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			sb.WriteString(n.Data)
			sb.WriteByte(' ')
			return
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(sb.String()), " ")
}

// CanonicalURL normalizes an absolute http(s) URL for use as an article id:
// lowercase scheme and host, no default port, no fragment, no tracking
// parameters (utm_*, fbclid, gclid, ...). Anything else gives "".
func CanonicalURL(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return normalizeURL(u)
}

func normalizeURL(u *url.URL) string {
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	if h, port, ok := strings.Cut(u.Host, ":"); ok && ((u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443")) {
		u.Host = h
	}
	u.Fragment, u.RawFragment = "", ""
	u.User = nil
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			lk := strings.ToLower(k)
			if strings.HasPrefix(lk, "utm_") || trackingParams[lk] {
				q.Del(k)
			}
		}
		u.RawQuery = q.Encode()
	}
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String()
}

var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "mc_cid": true, "mc_eid": true,
	"ocid": true, "cmpid": true, "ref": true, "ref_src": true, "smid": true, "taid": true, "guccounter": true,
}

// resolveURL resolves ref against base and normalizes it; "" when the
// result is not an absolute http(s) URL.
func resolveURL(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if !u.IsAbs() {
		if base == nil || !base.IsAbs() {
			return ""
		}
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return normalizeURL(u)
}

// hostName returns the host of raw without "www.", or "".
func hostName(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	h := strings.ToLower(u.Hostname())
	return strings.TrimPrefix(h, "www.")
}

// toUTF8 returns b as UTF-8. Pages declared (or sniffed) as ISO-8859-1 or
// Windows-1252 are converted; invalid bytes in a UTF-8 page become U+FFFD;
// other charsets are refused with a message.
func toUTF8(b []byte, contentType string) ([]byte, error) {
	cs := charsetOf(contentType)
	if cs == "" {
		cs = sniffCharset(b)
	}
	switch cs {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		if utf8.Valid(b) {
			return b, nil
		}
		if cs == "" && !mostlyUTF8(b) {
			return latin1ToUTF8(b), nil
		}
		return bytes.ToValidUTF8(b, []byte("\uFFFD")), nil
	case "iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "iso-8859-15", "l1":
		return latin1ToUTF8(b), nil
	}
	if utf8.Valid(b) {
		return b, nil // mislabelled but valid UTF-8
	}
	return nil, fmt.Errorf("unsupported charset %q (convert the page to UTF-8, e.g. with iconv)", cs)
}

// mostlyUTF8 reports whether at least 90% of non-ASCII sequences in b are
// valid UTF-8.
func mostlyUTF8(b []byte) bool {
	good, bad := 0, 0
	for i := 0; i < len(b); {
		if b[i] < 0x80 {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			bad++
		} else {
			good++
		}
		i += n
	}
	return good >= 9*bad
}

func charsetOf(contentType string) string {
	_, rest, ok := strings.Cut(strings.ToLower(contentType), "charset=")
	if !ok {
		return ""
	}
	rest = strings.Trim(rest, "\"' ")
	if i := strings.IndexAny(rest, "; \"'"); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// sniffCharset looks for a charset declaration in the first 2 KB.
func sniffCharset(b []byte) string {
	if len(b) > 2048 {
		b = b[:2048]
	}
	lb := bytes.ToLower(b)
	i := bytes.Index(lb, []byte("charset="))
	if i < 0 {
		if bytes.Contains(lb, []byte(`encoding="iso-8859-1"`)) {
			return "iso-8859-1"
		}
		return ""
	}
	rest := lb[i+len("charset="):]
	rest = bytes.TrimLeft(rest, "\"' ")
	end := bytes.IndexAny(rest, "\"' ;/>")
	if end < 0 {
		end = len(rest)
	}
	return string(rest[:end])
}

// cp1252 maps the bytes 0x80-0x9F of Windows-1252 to runes.
var cp1252 = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8D, 'Ž', 0x8F,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9D, 'ž', 'Ÿ',
}

func latin1ToUTF8(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/8)
	for _, c := range b {
		switch {
		case c < 0x80:
			out = append(out, c)
		case c < 0xA0:
			out = utf8.AppendRune(out, cp1252[c-0x80])
		default:
			out = utf8.AppendRune(out, rune(c))
		}
	}
	return out
}
