package article

import "bytes"

// Byte-level pre-pass: the contents of elements that never hold article
// text are cut out before parsing, so the HTML5 tree builder (most of the
// extraction time) does not build nodes only to drop them. Raw-text
// elements (script, style) end at their first closing tag; nav, footer,
// svg and the like are matched with nesting. JSON-LD scripts are kept.
// Anything unexpected (no closing tag) leaves the rest of the page as is.

// stripTags are the elements whose contents are cut; raw marks raw-text
// elements that cannot nest.
var stripTags = []struct {
	name string
	raw  bool
}{
	{"script", true}, {"style", true}, {"noscript", false}, {"svg", false},
	{"nav", false}, {"footer", false}, {"template", false}, {"iframe", true},
}

// stripBoilerplate returns b with the contents of stripTags elements
// removed (the empty elements stay, so the tree shape is unchanged).
func stripBoilerplate(b []byte) []byte {
	var out []byte
	last := 0
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			break
		}
		i += j
		if bytes.HasPrefix(b[i:], []byte("<!--")) {
			k := bytes.Index(b[i+4:], []byte("-->"))
			if k < 0 {
				break
			}
			i += 4 + k + 3
			continue
		}
		tag := -1
		for k, t := range stripTags {
			if hasFoldPrefix(b[i+1:], t.name) {
				tag = k
				break
			}
		}
		if tag < 0 {
			i++
			continue
		}
		t := stripTags[tag]
		gt := bytes.IndexByte(b[i:], '>')
		if gt < 0 {
			break
		}
		bodyStart := i + gt + 1
		if b[bodyStart-2] == '/' && !t.raw {
			i = bodyStart // <svg .../>: nothing inside
			continue
		}
		if t.name == "script" && bytes.Contains(bytes.ToLower(b[i:bodyStart]), []byte("ld+json")) {
			end := indexFold(b[bodyStart:], "</script")
			if end < 0 {
				break
			}
			i = bodyStart + end
			continue
		}
		end := closeOf(b[bodyStart:], t.name, t.raw)
		if end < 0 {
			break
		}
		if !t.raw && holdsStory(b[bodyStart:bodyStart+end]) {
			// Sloppy markup (an unclosed <nav> before the story): leave it
			// to the parser.
			i = bodyStart
			continue
		}
		out = append(out, b[last:bodyStart]...)
		last = bodyStart + end
		i = last
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// closeOf finds the closing tag of name in b (which starts just after the
// opening tag), counting nested openings unless raw; -1 when none.
func closeOf(b []byte, name string, raw bool) int {
	depth := 0
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			return -1
		}
		i += j
		switch {
		case i+1 < len(b) && b[i+1] == '/' && hasFoldPrefix(b[i+2:], name):
			if depth == 0 {
				return i
			}
			depth--
		case !raw && hasFoldPrefix(b[i+1:], name):
			depth++
		}
		i++
	}
	return -1
}

// hasFoldPrefix reports whether b starts with the lowercase ASCII word w
// (any case) followed by a space, "/" or ">".
func hasFoldPrefix(b []byte, w string) bool {
	if len(b) <= len(w) {
		return false
	}
	for k := 0; k < len(w); k++ {
		if b[k]|0x20 != w[k] {
			return false
		}
	}
	switch b[len(w)] {
	case ' ', '>', '/', '\t', '\n', '\r', '\f':
		return true
	}
	return false
}

// indexFold finds "</name" (w, lowercase) in b ignoring case; -1 if absent.
func indexFold(b []byte, w string) int {
	for i := 0; i+len(w) <= len(b); {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			return -1
		}
		i += j
		if i+len(w) > len(b) {
			return -1
		}
		k := 1
		for ; k < len(w) && b[i+k]|0x20 == w[k]; k++ {
		}
		if k == len(w) {
			return i
		}
		i++
	}
	return -1
}

// holdsStory reports whether a region to be cut looks like it holds the
// story itself: an <article>, <main> or <h1>, or five or more paragraphs.
func holdsStory(b []byte) bool {
	ps := 0
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			return false
		}
		i += j + 1
		r := b[i:]
		switch {
		case hasFoldPrefix(r, "article"), hasFoldPrefix(r, "main"), hasFoldPrefix(r, "h1"):
			return true
		case hasFoldPrefix(r, "p"):
			if ps++; ps >= 5 {
				return true
			}
		}
	}
	return false
}
