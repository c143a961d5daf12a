package article

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/zeebo/xxh3"
	"golang.org/x/net/html"
)

// MaxFeedBytes is the largest feed file accepted.
var MaxFeedBytes = 256 << 20

// FeedReader reads RSS 2.0, RSS 1.0 (RDF) and Atom feeds: one article per
// item or entry, with the full content (content:encoded, Atom content)
// or else the description/summary as text, the link, guid, date (with the
// publisher's UTC offset kept), author and categories. The id is the
// canonical link, else the guid. The feed's title is the source.
//
// Items are cut out of the file one by one and parsed separately, so a
// malformed item is rejected (naming its number and line) and the items
// after it are still read.
type FeedReader struct{}

func init() {
	Register(".rss", FeedReader{})
	Register(".atom", FeedReader{})
	Register(".xml", FeedReader{})
}

// Read implements Reader.
func (FeedReader) Read(ctx context.Context, name string, r io.Reader, s Sink) error {
	b, tooLong, err := readLimited(r, MaxFeedBytes)
	if err != nil {
		s.Reject(Rejection{File: name, Err: fmt.Errorf("read: %w", err)})
		return nil
	}
	if tooLong {
		s.Reject(Rejection{File: name, Err: fmt.Errorf("feed larger than %d bytes", MaxFeedBytes)})
		return nil
	}
	if IsBinary(b) {
		s.Reject(Rejection{File: name, Err: errors.New("binary data, not a feed")})
		return nil
	}
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	if b, err = toUTF8(b, xmlEncoding(b)); err != nil {
		s.Reject(Rejection{File: name, Err: err})
		return nil
	}
	kind, itemTag := feedKind(b)
	if kind == "" {
		s.Reject(Rejection{File: name, Err: ErrNotThisFormat{errors.New("not an RSS or Atom feed (no <rss>, <rdf:RDF> or <feed> element)")}})
		return nil
	}
	items := cutItems(b, itemTag)
	head := b
	if len(items) > 0 {
		head = b[:items[0].start]
	}
	ch := parseChannel(head)
	line, lineAt := 1, 0
	for i, it := range items {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		line += bytes.Count(b[lineAt:it.start], []byte{'\n'})
		lineAt = it.start
		n := i + 1
		if it.end < 0 {
			s.Reject(Rejection{File: name, Line: line, Err: fmt.Errorf("item %d: no closing </%s> before the end of the file", n, itemTag)})
			continue
		}
		a, warn, err := parseItem(b[it.start:it.end], ch)
		if err != nil {
			s.Reject(Rejection{File: name, Line: line, Err: fmt.Errorf("item %d: %w", n, err)})
			continue
		}
		if warn != nil {
			s.Reject(Rejection{File: name, Line: line, Err: fmt.Errorf("item %d: %w", n, warn)})
		}
		if err := s.Article(a); err != nil {
			return stopError{err}
		}
	}
	return nil
}

// xmlEncoding returns the encoding named in the XML declaration as a
// Content-Type-like string, or "".
func xmlEncoding(b []byte) string {
	if len(b) > 200 {
		b = b[:200]
	}
	if !bytes.HasPrefix(bytes.TrimSpace(b), []byte("<?xml")) {
		return ""
	}
	end := bytes.Index(b, []byte("?>"))
	if end < 0 {
		return ""
	}
	decl := string(b[:end])
	i := strings.Index(decl, "encoding=")
	if i < 0 {
		return "charset=utf-8"
	}
	v := strings.Trim(decl[i+len("encoding="):], "\"' ")
	if j := strings.IndexAny(v, "\"' "); j >= 0 {
		v = v[:j]
	}
	return "charset=" + v
}

// feedKind finds the root element: "rss", "rdf" or "atom", and the name
// of its item elements.
func feedKind(b []byte) (kind, itemTag string) {
	for i := 0; i < len(b); i++ {
		if b[i] != '<' {
			continue
		}
		rest := b[i+1:]
		switch {
		case bytes.HasPrefix(rest, []byte("?")), bytes.HasPrefix(rest, []byte("!")):
			continue
		case tagIs(rest, "rss"):
			return "rss", "item"
		case tagIs(rest, "rdf:RDF"), tagIs(rest, "RDF"):
			return "rdf", "item"
		case tagIs(rest, "feed"):
			return "atom", "entry"
		default:
			return "", ""
		}
	}
	return "", ""
}

// tagIs reports whether b starts with the name tag followed by a space,
// ">" or "/".
func tagIs(b []byte, tag string) bool {
	if len(b) <= len(tag) || string(b[:len(tag)]) != tag {
		return false
	}
	switch b[len(tag)] {
	case ' ', '>', '/', '\t', '\n', '\r':
		return true
	}
	return false
}

// span is one item's bytes; end is -1 for an unclosed item.
type span struct{ start, end int }

// cutItems finds the <tag ...>...</tag> elements in b (any namespace
// prefix), skipping CDATA sections and comments.
func cutItems(b []byte, tag string) []span {
	var out []span
	open := -1
	for i := 0; i < len(b); i++ {
		if b[i] != '<' {
			continue
		}
		rest := b[i+1:]
		switch {
		case bytes.HasPrefix(rest, []byte("![CDATA[")):
			j := bytes.Index(rest, []byte("]]>"))
			if j < 0 {
				i = len(b)
			} else {
				i += j + 3
			}
			continue
		case bytes.HasPrefix(rest, []byte("!--")):
			j := bytes.Index(rest, []byte("-->"))
			if j < 0 {
				i = len(b)
			} else {
				i += j + 3
			}
			continue
		}
		closing := len(rest) > 0 && rest[0] == '/'
		nm := rest
		if closing {
			nm = rest[1:]
		}
		if k := bytes.IndexByte(nm[:min(len(nm), 64)], ':'); k >= 0 && k < bytes.IndexAny(nm[:min(len(nm), 64)], " >/\t\n\r") {
			nm = nm[k+1:] // a namespace prefix
		}
		if !tagIs(nm, tag) {
			continue
		}
		switch {
		case !closing && open < 0:
			open = i
		case !closing:
			// A new item before the previous one closed: cut the
			// previous one off as unclosed.
			out = append(out, span{open, -1})
			open = i
		case open >= 0:
			gt := bytes.IndexByte(rest, '>')
			if gt < 0 {
				out = append(out, span{open, -1})
				return out
			}
			out = append(out, span{open, i + 1 + gt + 1})
			open = -1
		}
	}
	if open >= 0 {
		out = append(out, span{open, -1})
	}
	return out
}

// channel is what the feed says about itself.
type channel struct {
	title, link, lang string
}

// parseChannel reads the feed's title, link and language from the part of
// the file before the first item.
func parseChannel(head []byte) channel {
	var ch channel
	d := newFeedDecoder(head)
	depth := 0
	var path [8]string
	for {
		tok, err := d.Token()
		if err != nil {
			return ch
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth < len(path) {
				path[depth] = t.Name.Local
			}
			depth++
			// The feed's own link: Atom <link rel="alternate" href>.
			if t.Name.Local == "link" && ch.link == "" {
				if h := attrOf(t, "href"); h != "" && (attrOf(t, "rel") == "" || attrOf(t, "rel") == "alternate") {
					ch.link = h
				}
			}
		case xml.EndElement:
			if depth > 0 {
				depth--
			}
		case xml.CharData:
			// RSS: rss/channel/title; RDF: RDF/channel/title; Atom: feed/title.
			if depth < 2 || depth > len(path) {
				continue
			}
			if parent := path[depth-2]; parent != "channel" && parent != "feed" {
				continue
			}
			v := strings.TrimSpace(string(t))
			switch path[depth-1] {
			case "title":
				if ch.title == "" {
					ch.title = v
				}
			case "link":
				if ch.link == "" {
					ch.link = v
				}
			case "language":
				if ch.lang == "" {
					ch.lang = v
				}
			}
		}
	}
}

func newFeedDecoder(b []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	d.AutoClose = feedAutoClose
	d.Entity = xml.HTMLEntity
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil } // already UTF-8
	return d
}

// feedAutoClose is xml.HTMLAutoClose less "link", which is not empty in RSS.
var feedAutoClose = func() []string {
	var out []string
	for _, t := range xml.HTMLAutoClose {
		if t != "link" {
			out = append(out, t)
		}
	}
	return out
}()

func attrOf(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// feedItem holds the raw fields of one item.
type feedItem struct {
	title, link, origLink, guid           string
	pubDate, dcDate, published, updated   string
	encoded, content, description, author string
	contentRaw                            bool // content is XHTML markup, not escaped text
	categories                            []string
}

// parseItem parses one item or entry.
func parseItem(b []byte, ch channel) (Article, error, error) {
	var a Article
	it, err := decodeItem(b)
	if err != nil {
		return a, nil, err
	}
	a.Title = strings.Join(strings.Fields(textOfMarkup(it.title)), " ")
	body := firstNonEmpty(it.encoded, it.content, it.description)
	if it.contentRaw && body == it.content {
		body = htmlFragmentText(body)
	} else {
		body = textOfMarkup(body)
	}
	a.Text = Clean(dropTitleLine(body, a.Title))
	if len(a.Text) > MaxTextBytes {
		return a, nil, fmt.Errorf("article text larger than %d bytes", MaxTextBytes)
	}
	if strings.TrimSpace(a.Text) == "" && a.Title == "" {
		return a, nil, errors.New("item has no title and no text")
	}
	link := firstNonEmpty(it.origLink, it.link)
	a.URL = CanonicalURL(link)
	guid := strings.TrimSpace(it.guid)
	switch {
	case a.URL != "":
		a.ID = a.URL
	case guid != "":
		a.ID = guid
		if u := CanonicalURL(guid); u != "" {
			a.ID, a.URL = u, u
		}
	default:
		a.ID = fmt.Sprintf("h%016x", xxh3.HashString(a.Title+"\n"+a.Text))
	}
	a.Source = ch.title
	a.Extra = map[string]string{}
	if guid != "" && guid != a.ID {
		a.Extra["guid"] = guid
	}
	if it.author != "" {
		a.Extra["author"] = it.author
	}
	if len(it.categories) > 0 {
		a.Extra["categories"] = strings.Join(it.categories, "; ")
	}
	var warn error
	if ds := firstNonEmpty(it.pubDate, it.dcDate, it.published, it.updated); ds != "" {
		if t, _, ok := parseWebDate(ds); ok {
			a.Published = t
		} else {
			warn = fmt.Errorf("article %q: unparseable or impossible date %q; kept undated", a.ID, ds)
		}
	}
	if ch.lang != "" {
		a.Extra["feed_lang"] = ch.lang
	}
	Identify(&a)
	if a.Lang == "" {
		a.Lang = baseLang(ch.lang)
	}
	if len(a.Extra) == 0 {
		a.Extra = nil
	}
	return a, warn, nil
}

// decodeItem collects the fields of an item's direct children.
func decodeItem(b []byte) (feedItem, error) {
	var it feedItem
	d := newFeedDecoder(b)
	depth := 0
	field := "" // the direct child being read
	var buf strings.Builder
	var contentStart int64
	for {
		off := d.InputOffset()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return it, fmt.Errorf("malformed XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 2:
				field = fieldName(t.Name)
				buf.Reset()
				switch field {
				case "link":
					rel := attrOf(t, "rel")
					if h := attrOf(t, "href"); h != "" && (rel == "" || rel == "alternate") && it.link == "" {
						it.link = h
					}
				case "category":
					if term := attrOf(t, "term"); term != "" {
						it.categories = append(it.categories, term)
					}
				case "content":
					if attrOf(t, "type") == "xhtml" {
						it.contentRaw = true
						contentStart = d.InputOffset()
					}
				}
			case depth == 3 && field == "author" && t.Name.Local == "name":
				buf.Reset()
			}
		case xml.EndElement:
			if depth == 3 && field == "author" && t.Name.Local == "name" && it.author == "" {
				it.author = strings.TrimSpace(buf.String())
			}
			if depth == 2 {
				v := strings.TrimSpace(buf.String())
				if field == "content" && it.contentRaw {
					v = string(b[contentStart:off])
				}
				it.set(field, v)
				field = ""
			}
			depth--
		case xml.CharData:
			if depth >= 2 && field != "" {
				buf.Write(t)
			}
		}
	}
	return it, nil
}

// fieldName maps an item child element to a field key.
func fieldName(n xml.Name) string {
	switch n.Local {
	case "encoded":
		return "encoded"
	case "creator":
		return "creator"
	case "date":
		return "dcdate"
	case "origLink":
		return "origlink"
	}
	return n.Local
}

func (it *feedItem) set(field, v string) {
	if v == "" {
		return
	}
	switch field {
	case "title":
		it.title = v
	case "link":
		if it.link == "" {
			it.link = v
		}
	case "origlink":
		it.origLink = v
	case "guid", "id":
		it.guid = v
	case "pubDate":
		it.pubDate = v
	case "dcdate":
		it.dcDate = v
	case "published", "issued":
		it.published = v
	case "updated", "modified":
		it.updated = v
	case "encoded":
		it.encoded = v
	case "content":
		it.content = v
	case "description", "summary":
		if it.description == "" {
			it.description = v
		}
	case "creator":
		it.author = v
	case "author":
		if it.author == "" {
			it.author = rssAuthor(v)
		}
	case "category", "subject":
		it.categories = append(it.categories, v)
	}
}

// rssAuthor turns "jane@example.com (Jane Doe)" into "Jane Doe".
func rssAuthor(v string) string {
	if i := strings.IndexByte(v, '('); i >= 0 && strings.HasSuffix(v, ")") {
		return strings.TrimSpace(v[i+1 : len(v)-1])
	}
	return v
}

// textOfMarkup turns feed content into text: HTML when it holds tags,
// else plain text with its line breaks as paragraphs.
func textOfMarkup(s string) string {
	if strings.IndexByte(s, '<') < 0 {
		return NormalizeText(html.UnescapeString(s))
	}
	return htmlFragmentText(s)
}

// htmlFragmentText renders an HTML fragment as paragraphs, dropping
// scripts, images, figures and other non-text elements.
func htmlFragmentText(s string) string {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return ""
	}
	body := findBody(doc)
	if body == nil {
		return ""
	}
	prune(body)
	return renderText(body)
}
