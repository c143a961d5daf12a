package timex

import (
	"sort"
	"strings"
	"time"
)

// Candidate is one piece of evidence for the date of an event: a day
// named or implied by an article, with a weight.
type Candidate struct {
	Day    time.Time // day precision (UTC midnight)
	Weight float64   // > 0; larger is stronger evidence
	Source string    // who says so (outlet, article id); agreement across distinct sources counts more
}

// DayScore is the tallied support of one day.
type DayScore struct {
	Day     time.Time
	Score   float64
	Sources int // distinct sources naming this day
}

// Tally combines candidates: weights of the same day add up, each extra
// distinct source multiplies the day's score by 1.5 (agreement across
// outlets), and a day passes a quarter of its weight to its neighbours
// (time zones, "late Sunday" vs "early Monday"). Best first; ties go to
// the earlier day.
func Tally(cands []Candidate) []DayScore {
	type acc struct {
		w    float64
		near float64
		srcs map[string]bool
	}
	days := map[time.Time]*acc{}
	get := func(d time.Time) *acc {
		a := days[d]
		if a == nil {
			a = &acc{srcs: map[string]bool{}}
			days[d] = a
		}
		return a
	}
	for _, c := range cands {
		if c.Weight <= 0 || c.Day.IsZero() {
			continue
		}
		d := date(c.Day.Year(), int(c.Day.Month()), c.Day.Day())
		a := get(d)
		a.w += c.Weight
		a.srcs[c.Source] = true
	}
	for d, a := range days {
		for _, nd := range [2]time.Time{d.AddDate(0, 0, -1), d.AddDate(0, 0, 1)} {
			if b, ok := days[nd]; ok {
				b.near += a.w / 4
			}
		}
	}
	out := make([]DayScore, 0, len(days))
	for d, a := range days {
		mult := 1.0
		for k := 1; k < len(a.srcs); k++ {
			mult *= 1.5
		}
		out = append(out, DayScore{Day: d, Score: (a.w + a.near) * mult, Sources: len(a.srcs)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Day.Before(out[j].Day)
	})
	return out
}

// Vote returns the best-supported day among candidates from the articles
// of one event; ok is false when there is no usable candidate.
func Vote(cands []Candidate) (time.Time, bool) {
	t := Tally(cands)
	if len(t) == 0 {
		return time.Time{}, false
	}
	return t[0].Day, true
}

// EventCandidates returns the dated evidence of one article for the
// day of the happening it reports: day-precision expressions of the
// title and the lead sentences, weighted by position (the first sentence
// counts most), tense (past clauses report the event; future ones
// announce a later one) and kind (an explicit date or weekday beats a
// vague "today"). Expressions after the first five sentences are ignored.
// source labels the candidates for Vote.
func EventCandidates(title, text string, dct time.Time, source string) []Candidate {
	var out []Candidate
	add := func(xs []Timex, sent []int, tenses []int8, titleBoost float64) {
		for k, x := range xs {
			if x.Type != TypeDate && x.Type != TypeTime {
				continue
			}
			day, ok := dayOf(x.Value)
			if !ok {
				continue
			}
			s := sent[k]
			if s >= 5 {
				continue
			}
			w := [5]float64{1, 0.6, 0.4, 0.3, 0.2}[s] * titleBoost
			switch {
			case tenses[k] < 0:
				w *= 1.3
			case tenses[k] > 0:
				w *= 0.5
			}
			if isDeicticDay(x.Text) {
				w *= 0.7 // "today" often means only "as of publication"
			}
			if !dct.IsZero() && day.After(dct.AddDate(0, 0, 1)) {
				w *= 0.3 // announced, not happened
			}
			out = append(out, Candidate{Day: day, Weight: w, Source: source})
		}
	}
	if strings.TrimSpace(title) != "" {
		xs, sent, tenses := tagDetail(title, dct)
		add(xs, sent, tenses, 1.2)
	}
	xs, sent, tenses := tagLead(text, dct, leadSentences)
	add(xs, sent, tenses, 1)
	return out
}

// leadSentences is how many sentences of the body EventCandidates reads.
const leadSentences = 5

// leadBytes is the prefix of a body tagged first for its lead sentences.
const leadBytes = 2048

// tagLead is tagDetail for the expressions of the first n sentences only:
// it tags a prefix of the text and stops at sentence n, and tags the whole
// text when the prefix turns out to end before sentence n. The result is
// what tagDetail gives for those sentences.
func tagLead(text string, dct time.Time, n int) ([]Timex, []int, []int8) {
	cut := len(text)
	if cut > leadBytes {
		cut = leadBytes
		for cut < len(text) && text[cut] != ' ' && text[cut] != '\n' {
			cut++
		}
	}
	for {
		p := tokPool.Get().(*[]token)
		toks := tokenize(text[:cut], (*p)[:0])
		t := newTagger(text[:cut], toks, dct)
		t.detail, t.maxSent = true, n
		t.run()
		*p = toks[:0]
		tokPool.Put(p)
		if t.reached || cut == len(text) {
			return t.out, t.sent, t.tenses
		}
		cut = len(text)
	}
}

// EventDate returns the best-supported date (day precision) of the
// happening reported by an article with the given title, text and dct,
// with a confidence in [0,1]; ok=false when nothing supports a date. It
// weighs the first sentences, past tense and explicit days (see
// EventCandidates).
func EventDate(title, text string, dct time.Time) (day time.Time, confidence float64, ok bool) {
	t := Tally(EventCandidates(title, text, dct, ""))
	if len(t) == 0 {
		return time.Time{}, 0, false
	}
	total := 0.0
	for _, d := range t {
		total += d.Score
	}
	// share of the evidence, damped when the evidence is thin
	conf := t[0].Score / total * (t[0].Score / (t[0].Score + 0.5))
	return t[0].Day, conf, true
}

// InferDCT guesses a publication date for an undated article from the
// dates its text mentions: the latest fully specified date (year, month
// and day written out) not after today, preferring one in a dateline or
// the first lines, where agencies print the date of writing. ok=false
// when the text names no full date.
func InferDCT(title, text string) (time.Time, bool) {
	now := time.Now().UTC()
	limit := date(now.Year(), int(now.Month()), now.Day())
	var best time.Time
	found := false
	for _, part := range [2]string{title, text} {
		xs, sent, _ := tagDetail(part, time.Time{})
		for k, x := range xs {
			if x.Type != TypeDate && x.Type != TypeTime || strings.HasPrefix(x.Value, "XXXX") {
				continue
			}
			d, ok := dayOf(x.Value)
			if !ok || d.After(limit) || d.Year() < 1900 {
				continue
			}
			if sent[k] == 0 && part == text && x.Start < 200 {
				return d, true // dateline: "WASHINGTON, Nov. 11, 2021 (AP) --"
			}
			if !found || d.After(best) {
				best, found = d, true
			}
		}
	}
	return best, found
}

// tagDetail tags text and also returns, per expression, the index of its
// sentence and the tense of its clause.
func tagDetail(text string, dct time.Time) ([]Timex, []int, []int8) {
	p := tokPool.Get().(*[]token)
	toks := tokenize(text, (*p)[:0])
	t := newTagger(text, toks, dct)
	t.detail = true
	t.run()
	*p = toks[:0]
	tokPool.Put(p)
	return t.out, t.sent, t.tenses
}

// dayOf parses the day of a value like 2022-02-06 or 2022-02-06TNI.
func dayOf(v string) (time.Time, bool) {
	if len(v) < 10 || v[4] != '-' || v[7] != '-' || len(v) > 10 && v[10] != 'T' {
		return time.Time{}, false
	}
	d, err := time.Parse("2006-01-02", v[:10])
	if err != nil {
		return time.Time{}, false
	}
	return d, true
}

func isDeicticDay(s string) bool {
	s = strings.ToLower(s)
	return strings.HasPrefix(s, "today") || strings.HasPrefix(s, "tonight") || strings.HasPrefix(s, "this ")
}
