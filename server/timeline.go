package server

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/storyline/storyline/store"
)

// timeline is the laid-out SVG timeline of a storyline: a vertical axis,
// one node per event (radius by number of sources), spacing by the days
// between events. The template draws it; all text goes through
// html/template escaping.
type timeline struct {
	Width, Height int
	AxisX, TextX  int
	Class         string // tl-wide or tl-narrow
	// GapX and GapAnchor place the "N days later" labels.
	GapX       int
	GapAnchor  string
	AxisTop    int
	AxisBottom int
	Items      []timelineItem
	Gaps       []timelineGap
}

type timelineItem struct {
	ID       string
	Href     string
	Y        int // node centre
	R        int
	Date     string // "Mar 9" or "undated"
	Year     string
	Lines    []timelineLine // wrapped headline
	Meta     string         // "3 sources · 4 articles"
	MetaY    int
	Headline string
	Index    int
	// HitY and HitH bound the item's focus and hover area.
	HitY, HitH int
}

type timelineLine struct {
	Y    int
	Text string
}

type timelineGap struct {
	Y     int
	Label string
}

// tlGeom is the geometry of one timeline layout (SVG user units): the
// page carries a wide one and a narrow one (phones) and CSS shows one.
type tlGeom struct {
	class               string
	width, axisX, textX int
	wrap                int // characters per headline line
}

var (
	tlWide   = tlGeom{"tl-wide", 680, 104, 128, 48}
	tlNarrow = tlGeom{"tl-narrow", 380, 72, 92, 26}
)

// Timeline spacing (SVG user units).
const (
	tlLineH     = 22
	tlMaxLines  = 3
	tlItemPad   = 30
	tlMaxGapPad = 90
)

// wrapText breaks s into lines of at most n characters at spaces, at most
// max lines (the last one ends with an ellipsis when cut).
func wrapText(s string, n, maxLines int) []string {
	words := strings.Fields(s)
	var lines []string
	var cur strings.Builder
	for i, w := range words {
		if utf8.RuneCountInString(w) > n {
			w = string([]rune(w)[:n-1]) + "…"
		}
		if cur.Len() > 0 && utf8.RuneCountInString(cur.String())+1+utf8.RuneCountInString(w) > n {
			lines = append(lines, cur.String())
			cur.Reset()
			if len(lines) == maxLines {
				last := lines[maxLines-1]
				if i < len(words) {
					if utf8.RuneCountInString(last) > n-2 {
						last = string([]rune(last)[:n-2])
						if sp := strings.LastIndexByte(last, ' '); sp > 0 {
							last = last[:sp]
						}
					}
					lines[maxLines-1] = strings.TrimRight(last, " ,;:") + " …"
				}
				return lines
			}
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(w)
	}
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + many
}

// layoutTimeline places a storyline's events (in time order, undated last).
func layoutTimeline(evs []store.Event, g tlGeom) timeline {
	t := timeline{Width: g.width, AxisX: g.axisX, TextX: g.textX, Class: g.class, GapX: g.axisX - 12, GapAnchor: "end"}
	if g.width < 500 {
		t.GapX, t.GapAnchor = g.textX, "start"
	}
	y := 34
	var prev time.Time
	for i, e := range evs {
		d, err := time.Parse("2006-01-02", e.Date)
		it := timelineItem{ID: e.ID, Href: "/events/" + e.ID, Headline: e.Headline, Index: i + 1}
		if err == nil {
			it.Date = d.Format("Jan 2")
			it.Year = d.Format("2006")
			if !prev.IsZero() {
				days := int(d.Sub(prev).Hours() / 24)
				if days > 1 {
					pad := min(days*5, tlMaxGapPad)
					t.Gaps = append(t.Gaps, timelineGap{Y: y - tlItemPad/2 + pad/2 - 4, Label: plural(days, "day", "days") + " later"})
					y += pad
				}
			}
			prev = d
		} else {
			it.Date = "undated"
		}
		it.R = 6 + min(len(e.Sources), 6)
		head := e.Headline
		if head == "" {
			head = "(no headline)"
		}
		lines := wrapText(head, g.wrap, tlMaxLines)
		it.Y = y
		for k, l := range lines {
			it.Lines = append(it.Lines, timelineLine{Y: y + 6 + k*tlLineH, Text: l})
		}
		it.MetaY = y + 6 + len(lines)*tlLineH
		it.HitY, it.HitH = y-22, it.MetaY-y+34
		it.Meta = plural(len(e.Articles), "article", "articles")
		if len(e.Sources) > 0 {
			it.Meta = plural(len(e.Sources), "source", "sources") + " · " + it.Meta
		}
		t.Items = append(t.Items, it)
		y = it.MetaY + tlItemPad + 8
	}
	t.AxisTop = 14
	t.AxisBottom = y - tlItemPad
	t.Height = y - 8
	return t
}
