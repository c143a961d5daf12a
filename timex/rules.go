package timex

import (
	"time"
)

// edge handles modifiers that keep the value of what they modify:
// "early", "late", "mid-", "earlier", "later", "the end of",
// "the beginning of", "the middle of", "the turn of".
func (t *tagger) edge(i int) match {
	j := i
	if t.is(j, "the") && t.isAny(j+1, "end", "beginning", "start", "middle", "turn", "close", "rest", "remainder") && t.is(j+2, "of") {
		j += 3
	} else if t.isAny(j, "end", "beginning", "start", "middle") && t.is(j+1, "of") && !t.is(j-1, "the") {
		j += 2
	} else if t.cls(j, cMod) && (t.v(j, cMod) == mEarly || t.v(j, cMod) == mLate || t.v(j, cMod) == mMid || t.v(j, cMod) == mEarlier || t.v(j, cMod) == mLater) {
		later := t.v(j, cMod) == mEarlier || t.v(j, cMod) == mLater
		j++
		if t.p(j, '-') && t.glued(j) {
			j++
		}
		if later && t.is(j, "in") && t.is(j+1, "the") && t.cls(j+2, cUnit) {
			// "earlier in the year": the DCT's year
			u, plural, _ := t.unit(j + 2)
			if plural || !t.hasDCT {
				return match{}
			}
			return match{i: i, j: j + 3, typ: TypeDate, val: shift(t.dct, 0, u)}
		}
		if later && !t.isAny(j, "this", "that", "next", "last") {
			return match{} // "two days later" is a different rule
		}
		if t.v(i, cMod) == mEarly && t.is(j, "on") {
			return match{}
		}
	} else {
		return match{}
	}
	m := t.matchAt(j)
	if !m.ok() || m.i != j {
		return match{}
	}
	m.i = i
	return m
}

// ruleDate matches calendar dates with a month name: "Feb. 6",
// "February 6th, 2022", "6 February 2022", "the 6th of February",
// "Sunday, Feb. 6", "December 2021", "in December", "last December".
func (t *tagger) ruleDate(i int) match {
	j := i
	wd := -1
	if t.cls(j, cWeekday) && t.weekdayWord(j) {
		wd = t.v(j, cWeekday)
		j++
		if t.p(j, '.') && t.glued(j) {
			j++
		}
		if t.p(j, ',') {
			j++
		}
	}
	rel := mNone
	if wd < 0 && t.cls(j, cMod) && (t.v(j, cMod) == mLast || t.v(j, cMod) == mNext || t.v(j, cMod) == mThis || t.v(j, cMod) == mComing || t.v(j, cMod) == mPast) {
		rel = t.v(j, cMod)
		j++
	}
	// day first: "6 February", "the 6th of February"
	if rel == mNone {
		k := j
		if t.is(k, "the") {
			k++
		}
		if t.num(k, 2) && t.toks[k].num >= 1 && t.toks[k].num <= 31 && !t.money(k) {
			d := int(t.toks[k].num)
			k2 := t.ordSuffix(k + 1)
			if t.is(k2, "of") {
				k2++
			}
			if t.cls(k2, cMonth) && t.monthWord(k2, true) && (k2 > k+1 || !t.is(j, "the")) {
				m := t.v(k2, cMonth)
				k3 := k2 + 1
				if t.p(k3, '.') && t.glued(k3) && len(t.word(k2)) <= 4 {
					k3++
				}
				return t.finishDay(i, k3, m, d)
			}
		}
	}
	if !t.cls(j, cMonth) {
		if wd >= 0 {
			return match{}
		}
		return match{}
	}
	m := t.v(j, cMonth)
	k := j + 1
	abbrevDot := false
	if t.p(k, '.') && t.glued(k) {
		k++
		abbrevDot = true
	}
	// month day
	if rel == mNone && t.num(k, 2) && t.toks[k].num >= 1 && t.toks[k].num <= 31 && !t.money(k) && !t.partOfBiggerNumber(k) && t.monthWord(j, true) {
		d := int(t.toks[k].num)
		k2 := t.ordSuffix(k + 1)
		return t.finishDay(i, k2, m, d)
	}
	if wd >= 0 {
		return match{}
	}
	// month year: "December 2021", "Dec. 2021", "December of 2021"
	k2 := k
	if t.p(k2, ',') || t.is(k2, "of") {
		k2++
	}
	if y, k3 := t.year(k2); k3 > k2 && t.monthWord(j, true) {
		return match{i: i, j: k3, typ: TypeDate, val: monthValue(y, m)}
	}
	// bare month, with or without a modifier
	if !t.monthWord(j, rel != mNone) {
		return match{}
	}
	if rel == mNone && t.isAny(k, "this", "last", "next") && t.is(k+1, "year") && t.hasDCT {
		// "July last year", "in January this year"
		y := t.dct.Year() + map[string]int{"this": 0, "last": -1, "next": 1}[lower(t.word(k))]
		return match{i: i, j: k + 2, typ: TypeDate, val: monthValue(y, m)}
	}
	if abbrevDot && rel == mNone && !t.monthCue(i) {
		return match{}
	}
	if !t.hasDCT {
		return match{i: i, j: j + 1, typ: TypeDate, val: "XXXX-" + pad(m, 2)}
	}
	dm := int(t.dct.Month())
	y := t.dct.Year()
	switch rel {
	case mLast, mPast:
		if m >= dm {
			y--
		}
	case mNext, mComing:
		if m <= dm {
			y++
		}
	case mThis:
	default:
		y = yearForMonthDay(t.dct, m, 0, t.tense(i, j+1))
	}
	return match{i: i, j: j + 1, typ: TypeDate, val: monthValue(y, m)}
}

// finishDay completes a month-day date at token k: an optional year
// (", 2022"), else the year is inferred from the DCT and the tense.
func (t *tagger) finishDay(i, k, m, d int) match {
	k2 := k
	if t.p(k2, ',') {
		k2++
	}
	if y, k3 := t.year(k2); k3 > k2 {
		if !validDay(y, m, d) {
			return match{}
		}
		return match{i: i, j: k3, typ: TypeDate, val: dayValue(date(y, m, d))}
	}
	if !t.hasDCT {
		return match{i: i, j: k, typ: TypeDate, val: "XXXX-" + pad(m, 2) + "-" + pad(d, 2)}
	}
	y := yearForMonthDay(t.dct, m, d, t.tense(i, k))
	if !validDay(y, m, d) {
		return match{}
	}
	return match{i: i, j: k, typ: TypeDate, val: dayValue(date(y, m, d))}
}

// monthWord reports whether the month-class word at i is really a month
// here: ambiguous words ("may", "march") and abbreviations need a capital
// and, when alone, a temporal cue; lower-case month names are refused.
func (t *tagger) monthWord(i int, strongContext bool) bool {
	tk := &t.toks[i]
	if !tk.upper {
		return false
	}
	w := t.word(i)
	full := len(w) > 3 || w == "May" || w == "MAY"
	if !full {
		// "Jan", "Feb", "Sept": need a dot or a number after
		if !(t.p(i+1, '.') && t.glued(i+1)) && !t.num(i+1, 4) {
			return false
		}
	}
	if t.isAny(i, "may", "march", "mar") && !strongContext {
		return t.monthCue(i)
	}
	if t.isAny(i, "may", "march") && strongContext {
		return true
	}
	return true
}

// monthCue reports whether the word before token i introduces a month
// ("in", "since", "until", "early", ...).
func (t *tagger) monthCue(i int) bool {
	return t.isAny(i-1, "in", "since", "until", "till", "by", "of", "during", "from", "through", "before", "after", "early", "late", "mid", "last", "next", "this", "and", "or", "to", "between", "throughout", "end", "beginning", "middle") || t.p(i-1, '-')
}

// weekdayWord reports whether the weekday-class word at i is a weekday:
// a full name, or an abbreviation followed by a dot.
func (t *tagger) weekdayWord(i int) bool {
	w := t.word(i)
	if len(w) >= 6 {
		return t.toks[i].upper || true
	}
	return t.toks[i].upper && t.p(i+1, '.') && t.glued(i+1)
}

// ruleWeekday matches "Sunday", "on Sunday night", "last Friday",
// "next Monday", "this Tuesday", "Friday morning".
func (t *tagger) ruleWeekday(i int) match {
	j := i
	rel := mNone
	if t.cls(j, cMod) {
		switch t.v(j, cMod) {
		case mLast, mNext, mThis, mComing, mPast, mPrevious, mFollow:
			rel = t.v(j, cMod)
			j++
		}
	}
	if !t.cls(j, cWeekday) || !t.weekdayWord(j) {
		return match{}
	}
	wd := time.Weekday(t.v(j, cWeekday))
	j++
	if t.p(j, '.') && t.glued(j) && len(t.word(j-1)) < 6 {
		j++
	}
	pod := 0
	if t.cls(j, cPOD) {
		pod = t.v(j, cPOD)
		j++
	}
	if !t.hasDCT {
		return match{i: i, j: j, typ: TypeDate, val: "XXXX-WXX-" + itoa(isoWeekday(wd))}
	}
	var d time.Time
	switch rel {
	case mLast, mPast, mPrevious:
		d = weekdayFrom(t.dct, wd, -1, true)
	case mNext, mComing, mFollow:
		d = weekdayFrom(t.dct, wd, 1, true)
	case mThis:
		if t.tense(i, j) < 0 {
			d = weekdayFrom(t.dct, wd, -1, false)
		} else {
			d = weekdayFrom(t.dct, wd, 1, false)
		}
	default:
		if t.weekdayFuture(i, j) {
			d = weekdayFrom(t.dct, wd, 1, false)
		} else {
			d = weekdayFrom(t.dct, wd, -1, false)
		}
	}
	// "Sunday night", "Friday morning" keep day precision, as TimeBank
	// mostly annotates them (the night may run past midnight); afternoon
	// and evening are precise enough to keep.
	if pod == 2 || pod == 3 {
		return match{i: i, j: j, typ: TypeTime, val: dayValue(d) + "T" + podCodes[pod]}
	}
	return match{i: i, j: j, typ: TypeDate, val: dayValue(d)}
}

// weekdayFuture decides the direction of a bare weekday: "ahead of
// Monday's meeting", "will meet on Monday" look forward; otherwise news
// reports what happened, so the weekday looks back.
func (t *tagger) weekdayFuture(i, j int) bool {
	k := i - 1
	if t.is(k, "on") {
		k--
	}
	if t.isAny(k, "before", "from") {
		return true
	}
	if t.p(j, '\'') && t.is(j+1, "s") {
		// "Wednesday's ruling" names a known event: past unless announced
		return t.is(k, "of") && t.is(k-1, "ahead") || t.isAny(k, "upcoming", "until", "by")
	}
	if k >= 0 && t.toks[k].kind == kWord && t.is(k-1, "to") && !t.toks[k].upper && t.toks[k].e2.tense == 0 && t.toks[k].e2.cls == 0 {
		return true // "set to resume Monday", "is to meet on Friday"
	}
	return t.tense(i, j) > 0
}

func isoWeekday(wd time.Weekday) int {
	if wd == time.Sunday {
		return 7
	}
	return int(wd)
}

// ruleNumeric matches dates and times written with digits: 2022-02-06,
// 2/6/2022, 10:30 a.m., 3 p.m., years (1998, fiscal 1989), decades
// (1990s, '80s), and centuries ("the 20th century").
func (t *tagger) ruleNumeric(i int) match {
	j := i
	fiscal := false
	the := false
	if t.is(j, "fiscal") {
		fiscal = true
		j++
	}
	if t.is(j, "the") {
		the = true
		j++
	}
	if j >= len(t.toks) {
		return match{}
	}
	// ISO date
	if t.num(j, 4) && t.toks[j].ndig == 4 && t.p(j+1, '-') && t.glued(j+1) && t.num(j+2, 2) && t.glued(j+2) && t.p(j+3, '-') && t.glued(j+3) && t.num(j+4, 2) && t.glued(j+4) {
		y, m, d := int(t.toks[j].num), int(t.toks[j+2].num), int(t.toks[j+4].num)
		if validDay(y, m, d) {
			return match{i: j, j: j + 5, typ: TypeDate, val: dayValue(date(y, m, d))}
		}
	}
	// US date m/d/yyyy or m/d/yy
	if t.num(j, 2) && t.p(j+1, '/') && t.glued(j+1) && t.num(j+2, 2) && t.glued(j+2) && t.p(j+3, '/') && t.glued(j+3) && t.num(j+4, 4) && t.glued(j+4) && (t.toks[j+4].ndig == 4 || t.toks[j+4].ndig == 2) {
		m, d, y := int(t.toks[j].num), int(t.toks[j+2].num), int(t.toks[j+4].num)
		if t.toks[j+4].ndig == 2 {
			y += t.century()
			if t.hasDCT && y > t.dct.Year()+10 {
				y -= 100
			}
		}
		if validDay(y, m, d) {
			return match{i: j, j: j + 5, typ: TypeDate, val: dayValue(date(y, m, d))}
		}
		return match{}
	}
	// clock time
	if mt := t.clock(j); mt.ok() {
		if the {
			return match{}
		}
		return mt
	}
	// "the 20th century", "the 1990s", "the '80s"
	if t.num(j, 2) && t.toks[j].num >= 1 && t.toks[j].num <= 21 {
		k := t.ordSuffix(j + 1)
		if k > j+1 && t.isAny(k, "century") {
			start := j
			if the {
				start = i
			}
			return match{i: start, j: k + 1, typ: TypeDate, val: pad(int(t.toks[j].num)-1, 2)}
		}
	}
	if t.num(j, 4) && t.toks[j].ndig == 4 && t.glued(j+1) && t.is(j+1, "s") && !t.money(j) {
		y := int(t.toks[j].num)
		if y >= 1000 && y < 2100 && y%10 == 0 {
			start := j
			if the {
				start = i
			}
			return match{i: start, j: j + 2, typ: TypeDate, val: pad(y/10, 3)}
		}
	}
	if t.p(j, '\'') && t.num(j+1, 2) && t.toks[j+1].ndig == 2 && t.glued(j+1) && t.glued(j+2) && t.is(j+2, "s") {
		start := j
		if the {
			start = i
		}
		return match{i: start, j: j + 3, typ: TypeDate, val: pad((t.century()+int(t.toks[j+1].num))/10, 3)}
	}
	// a plain year ("the 1996 Olympics": the article stays outside)
	if y, k := t.year(j); k > j && t.plausibleYear(j, k, fiscal) {
		start := i
		if the {
			start = j
			if t.isAny(k, "period", "quarter") {
				return match{} // "the 1988 period": see ruleQuarter
			}
		}
		return match{i: start, j: k, typ: TypeDate, val: yearValue(y)}
	}
	if y, k := t.spokenYear(j); k > j {
		start := i
		if the && !t.is(j, "year") {
			start = j
		}
		return match{i: start, j: k, typ: TypeDate, val: yearValue(y)}
	}
	if d, k := t.decadeWord(j); k > j && the {
		return match{i: i, j: k, typ: TypeDate, val: pad(d, 3)}
	}
	return match{}
}

// plausibleYear decides whether a four-digit number at [j, k) is a year.
func (t *tagger) plausibleYear(j, k int, fiscal bool) bool {
	if t.toks[j].kind != kNum {
		return t.isAny(j-1, "in", "since", "of", "by", "until", "from", "to", "through", "during", "before", "after", "early", "late", "mid", "fiscal", "class") // "'98"
	}
	y := int(t.toks[j].num)
	if fiscal {
		return true
	}
	if t.p(j-1, '-') && t.glued(j) && t.isAny(j-2, "mid", "pre", "post") {
		return true
	}
	if t.p(j-1, '-') && t.glued(j) || t.p(k, '-') && t.glued(k) && t.num(k+1, 4) {
		// part of a range like 1990-91 or a code: accept only year ranges
		if !(t.p(k, '-') && t.num(k+1, 4)) && !(t.p(j-1, '-') && t.num(j-2, 4)) {
			return false
		}
	}
	if t.p(j-1, '#') || t.is(j-1, "no") {
		return false
	}
	if k < len(t.toks) && t.toks[k].kind == kWord && !t.toks[k].upper {
		w := t.word(k)
		if len(w) > 2 && w[len(w)-1] == 's' && !t.isAny(k, "was", "is", "as", "has", "this", "its", "his", "levels", "levels", "results", "figures", "earnings", "sales") {
			return false // "2000 troops"
		}
	}
	if y >= 1900 && y < 2100 {
		return true
	}
	return t.isAny(j-1, "in", "since", "of", "by", "until", "from", "to", "through", "during", "before", "after", "year")
}

// clock matches "10:30 a.m.", "3 p.m.", "15:00", "noon", "midnight".
func (t *tagger) clock(j int) match {
	if t.isAny(j, "noon", "midday", "midnight") {
		hm := "T12:00"
		if t.is(j, "midnight") {
			hm = "T24:00"
		}
		day, k := t.dayAfterClock(j + 1)
		return match{i: j, j: k, typ: TypeTime, val: day + hm}
	}
	if !t.num(j, 2) || t.money(j) || t.partOfBiggerNumber(j) && !(t.p(j+1, ':')) {
		return match{}
	}
	h, mi := int(t.toks[j].num), 0
	k := j + 1
	hasMin := false
	if t.p(k, ':') && t.glued(k) && t.num(k+1, 2) && t.toks[k+1].ndig == 2 && t.glued(k+1) {
		mi = int(t.toks[k+1].num)
		k += 2
		hasMin = true
	}
	ampm := 0
	switch {
	case t.isAny(k, "am", "pm"):
		ampm = 1
		if t.is(k, "pm") {
			ampm = 2
		}
		k++
	case t.isAny(k, "a", "p") && t.p(k+1, '.') && t.glued(k+1) && t.is(k+2, "m") && t.glued(k+2):
		ampm = 1
		if t.is(k, "p") {
			ampm = 2
		}
		k += 3
		if t.p(k, '.') && t.glued(k) {
			k++
		}
	}
	if ampm == 0 && !hasMin {
		return match{}
	}
	if ampm == 0 && !t.isAny(k, "GMT", "EST", "EDT", "PST", "PDT", "CST", "CDT", "UTC", "local", "hours") && !t.isAny(j-1, "at", "by", "until", "from", "before", "after", "around", "about") {
		return match{} // 3:2 scores, ratios
	}
	if h > 24 || mi > 59 || ampm > 0 && (h == 0 || h > 12) {
		return match{}
	}
	if ampm == 2 && h < 12 {
		h += 12
	} else if ampm == 1 && h == 12 {
		h = 0
	}
	if t.isAny(k, "GMT", "EST", "EDT", "PST", "PDT", "CST", "CDT", "UTC") {
		k++
	}
	day, k := t.dayAfterClock(k)
	return match{i: j, j: k, typ: TypeTime, val: day + "T" + pad(h, 2) + ":" + pad(mi, 2)}
}

// dayAfterClock reads the day that may follow a clock time: "5 p.m. EST,
// Nov. 6", "noon Saturday", "10 a.m. yesterday"; else the DCT.
func (t *tagger) dayAfterClock(k int) (string, int) {
	day := "XXXX-XX-XX"
	if t.hasDCT {
		day = dayValue(t.dct)
	}
	k2 := k
	if t.p(k2, ',') || t.is(k2, "on") {
		k2++
	}
	var m match
	switch {
	case t.cls(k2, cWeekday) && t.weekdayWord(k2):
		m = t.ruleDate(k2)
		if !m.ok() {
			m = t.ruleWeekday(k2)
		}
	case t.cls(k2, cMonth):
		m = t.ruleDate(k2)
	case t.isAny(k2, "today", "yesterday", "tomorrow"):
		m = t.ruleDeictic(k2)
	}
	if m.ok() && len(m.val) == 10 {
		return m.val, m.j
	}
	return day, k
}

// spokenYear reads a year in words, as in broadcast transcripts:
// "nineteen ninety-six", "two thousand", "the year two thousand".
func (t *tagger) spokenYear(j int) (int, int) {
	k := j
	if t.is(k, "year") {
		k++
	}
	if t.is(k, "nineteen") || t.is(k, "eighteen") {
		base := 1900
		if t.is(k, "eighteen") {
			base = 1800
		}
		if n, k2, ok := t.number(k + 1); ok && n >= 10 && n < 100 && t.toks[k+1].kind == kWord {
			return base + n, k2
		}
		return 0, j
	}
	if t.is(k, "two") && t.is(k+1, "thousand") {
		if t.is(k+2, "and") {
			if n, k2, ok := t.number(k + 3); ok && n > 0 && n < 100 && t.toks[k+3].kind == kWord {
				return 2000 + n, k2
			}
		}
		if k > j || t.isAny(j-1, "in", "by", "since", "until", "of") {
			return 2000, k + 2
		}
	}
	return 0, j
}

var decadeWords = map[string]int{"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7, "eighties": 8, "nineties": 9}

// decadeWord reads "nineties", "eighties" as a decade of the DCT's century.
func (t *tagger) decadeWord(j int) (int, int) {
	if j >= len(t.toks) || t.toks[j].kind != kWord {
		return 0, j
	}
	d, ok := decadeWords[lower(t.word(j))]
	if !ok {
		return 0, j
	}
	return t.century()/10 + d, j + 1
}
