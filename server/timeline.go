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
	AxisX         int
	AxisTop       int
	AxisBottom    int
	Items         []timelineItem
	Gaps          []timelineGap
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

// Timeline geometry (SVG user units).
const (
	tlWidth     = 680
	tlAxisX     = 104
	tlTextX     = 128
	tlLineH     = 22
	tlWrap      = 48 // characters per headline line
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
func layoutTimeline(evs []store.Event) timeline {
	t := timeline{Width: tlWidth, AxisX: tlAxisX}
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
		lines := wrapText(head, tlWrap, tlMaxLines)
		it.Y = y
		for k, l := range lines {
			it.Lines = append(it.Lines, timelineLine{Y: y + 6 + k*tlLineH, Text: l})
		}
		it.MetaY = y + 6 + len(lines)*tlLineH
		it.HitY, it.HitH = y-22, it.MetaY-y+34
		it.Meta = plural(len(e.Sources), "source", "sources") + " · " + plural(len(e.Articles), "article", "articles")
		t.Items = append(t.Items, it)
		y = it.MetaY + tlItemPad + 8
	}
	t.AxisTop = 14
	t.AxisBottom = y - tlItemPad
	t.Height = y - 8
	return t
}
