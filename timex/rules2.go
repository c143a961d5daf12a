package timex

import "time"

// ruleQuarter matches fiscal periods: "the third quarter", "third-quarter",
// "the fiscal first quarter", "this year's third quarter", "the third
// quarter of 1990", "the first half", "the latest quarter", "the quarter",
// "the year-earlier quarter", "the year-ago period".
func (t *tagger) ruleQuarter(i int) match {
	j := i
	for t.isAny(j, "the", "its", "a", "fiscal") || t.cls(j, cMod) && t.v(j, cMod) != mLast && t.v(j, cMod) != mNext && t.v(j, cMod) != mPast && t.v(j, cMod) != mPrevious && t.v(j, cMod) != mThis && t.v(j, cMod) != mFollow && t.v(j, cMod) != mComing && t.v(j, cMod) != mEarly && t.v(j, cMod) != mLate && t.v(j, cMod) != mMid {
		j++
	}
	yoff, yset, year := 0, false, 0
	yearAgo := false
	switch {
	case t.isAny(j, "this", "last", "next") && t.is(j+1, "year") && t.p(j+2, '\'') && t.is(j+3, "s"):
		yoff = map[string]int{"this": 0, "last": -1, "next": 1}[lower(t.word(j))]
		j += 4
	case t.isAny(j, "year-earlier", "year-ago"):
		yearAgo = true
		j++
	case t.isAny(j, "year") && t.p(j+1, '-') && t.isAny(j+2, "earlier", "ago") && t.glued(j+1) && t.glued(j+2):
		yearAgo = true
		j += 3
	}
	if y, k := t.year(j); k > j && t.toks[j].kind == kNum {
		year, yset = y, true
		j = k
		if t.isAny(j, "period", "quarter") && !t.cls(j-2, cOrd) && t.is(i, "the") {
			// "the 1988 period": the quarter under discussion, in that year
			q := t.refQ
			if q == 0 {
				return match{i: i, j: j + 1, typ: TypeDate, val: yearValue(y)}
			}
			return match{i: i, j: j + 1, typ: TypeDate, val: quarterValue(y, q)}
		}
	}
	for t.isAny(j, "fiscal") || t.p(j, '-') && t.glued(j) && t.is(j+1, "fiscal") {
		if t.p(j, '-') {
			j++
		}
		j++
	}
	ord := 0
	if t.cls(j, cOrd) && t.v(j, cOrd) <= 4 {
		ord = t.v(j, cOrd)
		j++
		if t.p(j, '-') && t.glued(j) {
			j++
		}
	} else if t.num(j, 1) && t.toks[j].num >= 1 && t.toks[j].num <= 4 {
		if k := t.ordSuffix(j + 1); k > j+1 {
			ord = int(t.toks[j].num)
			j = k
			if t.p(j, '-') && t.glued(j) {
				j++
			}
		}
	}
	if !t.isAny(j, "quarter", "half", "period") {
		if yearAgo && ord == 0 && !t.cls(j, cNum) && !t.cls(j, cUnit) {
			// adjective alone: "year-earlier results" → the reference quarter a year back
			return t.quarterMatch(i, j, 0, yearAgo, false, 0, "quarter")
		}
		return match{}
	}
	kind := lower(t.word(j))
	j++
	if t.is(i, "a") && !yearAgo {
		return match{}
	}
	if kind == "period" && ord > 0 {
		return match{}
	}
	if kind == "period" && !yearAgo && !t.isAny(j-2, "latest", "recent", "year-ago", "year-earlier", "same") {
		return match{}
	}
	if kind == "half" && ord > 2 {
		return match{}
	}
	if ord == 0 && kind == "half" {
		return match{}
	}
	if ord == 0 && kind == "quarter" && j-1 == i {
		return match{} // bare "quarter" is too vague (a quarter of the votes)
	}
	// "of 1990", "of this year", "of next year"
	if t.is(j, "of") {
		if y, k := t.year(j + 1); k > j+1 {
			year, yset = y, true
			j = k
		} else if t.isAny(j+1, "this", "last", "next") && t.is(j+2, "year") {
			yoff = map[string]int{"this": 0, "last": -1, "next": 1}[lower(t.word(j+1))]
			j += 3
		}
	} else if t.p(j, ',') || t.is(j, "fiscal") {
		if y, k := t.year(j + 1); k > j+1 && t.toks[j+1].kind == kNum {
			year, yset = y, true
			j = k
		}
	}
	if yset {
		yoff = 0
	}
	plural := false
	if t.glued(j) && t.is(j, "s") {
		plural = true
	}
	_ = plural
	m := t.quarterMatch(i, j, ord, yearAgo, yset, year, kind)
	if m.ok() && yoff != 0 && len(m.val) >= 4 {
		m.val = pad(atoi4(m.val)+yoff, 4) + m.val[4:]
	}
	return m
}

func atoi4(s string) int {
	n := 0
	for k := 0; k < 4 && k < len(s); k++ {
		if s[k] < '0' || s[k] > '9' {
			return 0
		}
		n = n*10 + int(s[k]-'0')
	}
	return n
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// quarterMatch resolves a quarter or half: explicit ordinal and year, or
// relative to the DCT: a quarter not later than the DCT's, else the
// previous year's; "the quarter" is the last quarter ended before the DCT.
func (t *tagger) quarterMatch(i, j, ord int, yearAgo, yset bool, year int, kind string) match {
	code := "Q"
	if kind == "half" {
		code = "H"
	}
	if !t.hasDCT && !yset {
		if ord == 0 {
			return match{i: i, j: j, typ: TypeDate, val: "XXXX-" + code + "X"}
		}
		return match{i: i, j: j, typ: TypeDate, val: "XXXX-" + code + itoa(ord)}
	}
	var y, q int
	cur := quarterOf(int(t.dct.Month()))
	if code == "H" {
		cur = (int(t.dct.Month())-1)/6 + 1
	}
	switch {
	case yset:
		y = year
		q = ord
		if q == 0 {
			return match{}
		}
	case ord > 0:
		y, q = t.dct.Year(), ord
		if q > cur && (code == "Q" && q-cur >= 2 || t.tense(i, j) < 0) {
			y--
		}
	case yearAgo && t.refQ > 0:
		y, q = t.refQY, t.refQ
	default:
		// the last complete period before the DCT
		y, q = t.dct.Year(), cur-1
		if q == 0 {
			y--
			q = 4
			if code == "H" {
				q = 2
			}
		}
		if t.isAny(j-2, "current") {
			y, q = t.dct.Year(), cur
		}
	}
	if yearAgo {
		y--
	} else if code == "Q" {
		t.refQY, t.refQ = y, q
	}
	return match{i: i, j: j, typ: TypeDate, val: pad(y, 4) + "-" + code + itoa(q)}
}

// ruleDuration matches amounts of time and offsets from the DCT:
// "two days", "a year", "several weeks", "two-year", "the past three
// months", "the next few days", "the first nine months", "two days ago",
// "three years earlier", "two weeks from now".
func (t *tagger) ruleDuration(i int) match {
	j := i
	the := false
	if t.is(j, "the") {
		the = true
		j++
	}
	if the && t.is(j, "year") && t.p(j+1, '-') && t.glued(j+1) && t.isAny(j+2, "earlier", "ago") {
		j += 3 // "the year-earlier nine months"
	}
	span := false
	if t.cls(j, cMod) && (t.v(j, cMod) == mPast || t.v(j, cMod) == mLast || t.v(j, cMod) == mNext || t.v(j, cMod) == mComing || t.v(j, cMod) == mPrevious || t.v(j, cMod) == mFollow || t.v(j, cMod) == mLatest) || t.isAny(j, "first", "final", "over") {
		span = true
		j++
	}
	n, k, ok := t.number(j)
	if !ok {
		return match{}
	}
	if t.is(j, "a") && span {
		return match{}
	}
	// hyphenated adjective: "two-year", "30-day"
	hy := false
	if t.p(k, '-') && t.glued(k) && t.glued(k+1) {
		hy = true
		k++
	}
	// "2 1/2 years"
	half := false
	if n > 0 && t.num(k, 1) && t.toks[k].num == 1 && t.p(k+1, '/') && t.glued(k+1) && t.num(k+2, 1) && t.toks[k+2].num == 2 && t.glued(k+2) {
		half = true
		k += 3
	}
	u, plural, ok := t.unit(k)
	if !ok || u == uHalf {
		return match{}
	}
	if half {
		if v := halfDuration(n, u); v != "" && plural {
			return match{i: i, j: k + 1, typ: TypeDuration, val: v}
		}
		return match{}
	}
	if n > 1 && !plural && !hy && k+1 < len(t.toks) && t.toks[k+1].kind == kWord && !t.toks[k+1].upper && !t.isAny(k+1, "and", "or", "ago", "earlier", "later", "before", "after", "of", "in", "to") {
		hy = true // "a five year low", "a two day rally"
	}
	if n == 1 && plural || n > 1 && !plural && !hy && !t.is(j, "a") || n == 0 {
		return match{}
	}
	if u == uQuarter && (hy || t.glued(k+1) && t.p(k+1, '-')) {
		return match{} // "three-quarters", "quarter-century"
	}

	if u == uQuarter && n > 0 && !plural && !hy {
		return match{} // "one quarter of the votes"
	}
	k++
	if t.p(k, '-') && t.glued(k) && t.is(k+1, "old") || t.is(k, "old") || t.isAny(k, "of") && t.is(k+1, "age") {
		return match{} // ages are not temporal expressions
	}
	if hy && t.p(k, '-') && t.glued(k) && t.isAny(k+1, "long") {
		k += 2
	}
	if t.is(j, "a") && t.isAny(j-1, "times", "twice", "once") {
		return match{i: j, j: k, typ: TypeSet, val: durationValue(1, u)}
	}
	// offsets
	if n < 0 {
		n = 1 << 20 // vague: "several years ago"
	}
	if !hy && !span {
		switch {
		case t.is(k, "ago"):
			if the {
				return match{}
			}
			return t.offset(i, k+1, -n, u, true)
		case t.isAny(k, "earlier", "before", "previously"):
			if the || !t.isAny(k, "earlier") && !t.p(k+1, '.') && !t.p(k+1, ',') {
				break
			}
			return t.offset(i, k+1, -n, u, false)
		case t.is(k, "later") && !the:
			// "three days later": an amount of time from a reference point
			return match{i: i, j: k, typ: TypeDuration, val: durationValue(n, u)}
		case t.is(k, "from") && t.is(k+1, "now") || t.is(k, "hence"):
			e := k + 1
			if t.is(k, "from") {
				e++
			}
			if the {
				return match{}
			}
			return t.offset(i, e, n, u, t.is(k, "from") || t.is(k, "hence"))
		}
	}
	if n == 1<<20 {
		n = -1
	}
	if the && !span && n < 0 {
		return match{}
	}
	if t.isAny(j, "a", "an") && !plural && !span && !the && !t.rateFree(j) {
		return match{} // "700 seats a week": a rate, not an amount of time
	}
	start := i
	if the && !span && !(n > 1) {
		start = j
	}
	return match{i: start, j: k, typ: TypeDuration, val: durationValue(n, u)}
}

// offset resolves "n units ago/earlier/later": a date n units from the DCT
// (or from the quarter last mentioned for "a year earlier" in reports of
// results), at the unit's granularity.
func (t *tagger) offset(i, j, n, u int, fromDCT bool) match {
	if n == -1<<20 || n == 1<<20 {
		if n < 0 {
			return match{i: i, j: j, typ: TypeDate, val: "PAST_REF"}
		}
		return match{i: i, j: j, typ: TypeDate, val: "FUTURE_REF"}
	}
	if !t.hasDCT {
		return match{i: i, j: j, typ: TypeDate, val: unknownShift(u)}
	}
	if n < -90 || n > 90 {
		return match{}
	}
	if u == uYear && n == -1 && t.refQ > 0 {
		return match{i: i, j: j, typ: TypeDate, val: quarterValue(t.refQY-1, t.refQ)}
	}
	if u < uDay {
		return match{i: i, j: j, typ: TypeTime, val: "PRESENT_REF"}
	}
	if u == uWeek {
		return match{i: i, j: j, typ: TypeDate, val: weekValue(t.dct.AddDate(0, 0, 7*n))}
	}
	if n < 0 && -n >= 2 && u == uYear || n > 1 && u == uYear {
		return match{i: i, j: j, typ: TypeDate, val: yearValue(t.dct.Year() + n)}
	}
	return match{i: i, j: j, typ: TypeDate, val: shift(t.dct, n, u)}
}

// ruleRelUnit matches a unit with a deictic modifier: "this week", "last
// year", "next month", "the current quarter", "the past year", "this
// morning", "last night", "the weekend", "the year".
func (t *tagger) ruleRelUnit(i int) match {
	j := i
	the := false
	if t.is(j, "the") {
		the = true
		j++
	}
	rel := mNone
	if t.cls(j, cMod) {
		rel = t.v(j, cMod)
		switch rel {
		case mThis, mLast, mNext, mPast, mComing, mPrevious, mFollow, mCurrent, mLatest, mSame:
			j++
		default:
			return match{}
		}
	} else if t.isAny(j, "that", "these") && !the {
		rel = mSame
		j++
	} else if the && t.isAny(j, "full", "entire", "whole") && t.is(j+1, "year") {
		rel = mThis // "the full year": the DCT's (fiscal) year
		j++
	}
	if rel == mNone && !the {
		return match{}
	}
	if t.cls(j, cPOD) && rel != mNone {
		pod := t.v(j, cPOD)
		var d time.Time
		switch rel {
		case mThis:
			d = t.dct
		case mLast, mPast:
			d = t.dct.AddDate(0, 0, -1)
			if pod != 4 && rel == mLast {
				return match{}
			}
		default:
			return match{}
		}
		if !t.hasDCT {
			return match{i: i, j: j + 1, typ: TypeTime, val: "XXXX-XX-XXT" + podCodes[pod]}
		}
		return match{i: i, j: j + 1, typ: TypeTime, val: dayValue(d) + "T" + podCodes[pod]}
	}
	if t.cls(j, cSeason) && rel != mNone {
		return t.seasonRel(i, j, rel)
	}
	if t.is(j, "fiscal") && t.is(j+1, "year") {
		j++
	}
	if t.refY > 0 && t.is(j, "year") && !t.glued(j+1) {
		// anaphoric: "that year", "the following year", "the same year"
		switch {
		case rel == mSame && t.isAny(i, "that", "same") || rel == mSame && the:
			return match{i: i, j: j + 1, typ: TypeDate, val: yearValue(t.refY)}
		case (rel == mFollow || rel == mNext) && the:
			return match{i: i, j: j + 1, typ: TypeDate, val: yearValue(t.refY + 1)}
		case rel == mPrevious && the:
			return match{i: i, j: j + 1, typ: TypeDate, val: yearValue(t.refY - 1)}
		}
	}
	u, plural, ok := t.unit(j)
	if !ok || u == uHalf || u == uQuarter && rel != mThis && rel != mLast && rel != mNext {
		return match{}
	}
	j++
	if plural {
		if rel == mComing {
			return match{i: i, j: j, typ: TypeDuration, val: durationValue(-1, u)}
		}
		if rel == mLatest && t.isAny(j-2, "recent") {
			return match{i: i, j: j, typ: TypeDuration, val: durationValue(-1, u)}
		}
		if (rel == mPast || rel == mLast) && the || rel == mNext && the {
			return match{i: i, j: j, typ: TypeDuration, val: durationValue(-1, u)}
		}
		return match{}
	}
	if !t.hasDCT {
		return match{i: i, j: j, typ: TypeDate, val: unknownShift(u)}
	}
	switch rel {
	case mThis, mCurrent, mSame:
		if u == uWeekend {
			return match{i: i, j: j, typ: TypeDate, val: t.weekend(i, j, true)}
		}
		return match{i: i, j: j, typ: TypeDate, val: shift(t.dct, 0, u)}
	case mLast, mPrevious, mPast:
		// "last year", and as annotated in TimeBank also "the past year",
		// "the last decade": the unit before the DCT's
		return match{i: i, j: j, typ: TypeDate, val: shift(t.dct, -1, u)}
	case mNext, mComing, mFollow:
		return match{i: i, j: j, typ: TypeDate, val: shift(t.dct, 1, u)}
	case mLatest:
		return match{}
	}
	// "the year", "the week", "the weekend", "the day"
	if t.p(j, '-') && t.glued(j) {
		return match{}
	}
	switch u {
	case uWeekend:
		return match{i: i, j: j, typ: TypeDate, val: t.weekend(i, j, false)}
	case uYear, uMonth, uWeek:
		if t.is(j, "before") || t.is(j, "ago") || t.is(j, "earlier") {
			return match{}
		}
		if u == uYear && t.isAny(j, "ended", "ending", "ends", "through", "to") {
			return match{i: i, j: j, typ: TypeDuration, val: "P1Y"} // a fiscal year
		}
		return match{i: i, j: j, typ: TypeDate, val: shift(t.dct, 0, u)}
	}
	return match{}
}

// weekend resolves "the weekend" / "this weekend": the coming one when the
// clause looks forward or "this" is used before Saturday, else the last.
func (t *tagger) weekend(i, j int, this bool) string {
	wd := t.dct.Weekday()
	if wd == time.Saturday || wd == time.Sunday {
		return weekValue(t.dct.AddDate(0, 0, -1)) + "-WE"
	}
	if this || t.tense(i, j) > 0 {
		return weekValue(t.dct) + "-WE"
	}
	return weekValue(t.dct.AddDate(0, 0, -7)) + "-WE"
}

// ruleSeason matches seasons: "last fall", "this summer", "the summer of
// 1998", "fall 1998", "in the spring".
func (t *tagger) ruleSeason(i int) match {
	j := i
	if t.is(j, "the") {
		j++
	}
	if !t.cls(j, cSeason) {
		return match{}
	}
	s := t.v(j, cSeason)
	k := j + 1
	if t.is(k, "of") {
		k++
	}
	if y, k2 := t.year(k); k2 > k && t.toks[k].kind == kNum {
		return match{i: i, j: k2, typ: TypeDate, val: pad(y, 4) + "-" + seasonCodes[s]}
	}
	if !t.isAny(i-1, "in", "this", "during", "since", "until", "by", "the", "early", "late", "mid", "last", "next", "through", "throughout") && !t.is(i, "the") {
		return match{}
	}
	if t.is(i, "the") && !t.isAny(i-1, "in", "during", "since", "until", "by", "through", "throughout", "over", "for") {
		return match{}
	}
	if !t.hasDCT {
		return match{i: i, j: j + 1, typ: TypeDate, val: "XXXX-" + seasonCodes[s]}
	}
	cur := seasonOf(int(t.dct.Month()))
	y := t.dct.Year()
	if int(t.dct.Month()) <= 2 {
		y--
	}
	tn := t.tense(i, j+1)
	if s > cur && tn < 0 {
		y--
	} else if s < cur && tn > 0 {
		y++
	}
	return match{i: i, j: j + 1, typ: TypeDate, val: pad(y, 4) + "-" + seasonCodes[s]}
}

func (t *tagger) seasonRel(i, j, rel int) match {
	s := t.v(j, cSeason)
	if !t.hasDCT {
		return match{i: i, j: j + 1, typ: TypeDate, val: "XXXX-" + seasonCodes[s]}
	}
	cur := seasonOf(int(t.dct.Month()))
	y := t.dct.Year()
	if int(t.dct.Month()) <= 2 {
		y--
	}
	switch rel {
	case mLast, mPast, mPrevious:
		if s >= cur {
			y--
		}
	case mNext, mComing, mFollow:
		if s <= cur {
			y++
		}
	case mThis, mCurrent:
	default:
		return match{}
	}
	return match{i: i, j: j + 1, typ: TypeDate, val: pad(y, 4) + "-" + seasonCodes[s]}
}

// ruleDeictic matches words that point at the DCT: "today", "yesterday
// morning", "tomorrow", "tonight", "now", "currently", "recently", "soon",
// "the future", "the past", "these days", "recent years".
func (t *tagger) ruleDeictic(i int) match {
	j := i
	the := false
	if t.is(j, "the") {
		the = true
		j++
	}
	if !t.cls(j, cDeictic) {
		if t.is(j, "these") && t.is(j+1, "days") {
			return match{i: i, j: j + 2, typ: TypeDate, val: "PRESENT_REF"}
		}
		return match{}
	}
	kind := t.v(j, cDeictic)
	j++
	day := func(off int) string {
		if !t.hasDCT {
			return "XXXX-XX-XX"
		}
		return dayValue(t.dct.AddDate(0, 0, off))
	}
	switch kind {
	case dToday, dYesterday, dTomorrow:
		if the {
			return match{}
		}
		off := map[int]int{dToday: 0, dYesterday: -1, dTomorrow: 1}[kind]
		if t.cls(j, cPOD) {
			return match{i: i, j: j + 1, typ: TypeTime, val: day(off) + "T" + podCodes[t.v(j, cPOD)]}
		}
		return match{i: i, j: j, typ: TypeDate, val: day(off)}
	case dTonight:
		return match{i: i, j: j, typ: TypeTime, val: day(0) + "TNI"}
	case dNow, dNowadays:
		if the {
			return match{}
		}
		return match{i: i, j: j, typ: TypeDate, val: "PRESENT_REF"}
	case dRecently, dFormerly:
		if the {
			return match{}
		}
		return match{i: i, j: j, typ: TypeDate, val: "PAST_REF"}
	case dSoon:
		if the || t.isAny(j, "after", "before") || t.is(j-1, "shortly") {
			return match{}
		}
		return match{i: i, j: j, typ: TypeDate, val: "FUTURE_REF"}
	case dCurrentAdj:
		if the {
			return match{}
		}
		if t.cls(j, cUnit) {
			u, plural, _ := t.unit(j)
			if !plural && t.hasDCT && u != uHalf {
				return match{i: i, j: j + 1, typ: TypeDate, val: shift(t.dct, 0, u)}
			}
		}
		return match{i: i, j: j, typ: TypeDate, val: "PRESENT_REF"}
	case dRecentAdj:
		if the {
			return match{}
		}
		if u, plural, ok := t.unit(j); ok && plural && u >= uDay {
			if u == uQuarter {
				return match{i: i, j: j + 1, typ: TypeDuration, val: "PXM"}
			}
			if u >= uYear {
				return match{i: i, j: j + 1, typ: TypeDate, val: "PAST_REF"} // "in recent years"
			}
			return match{i: i, j: j + 1, typ: TypeDuration, val: durationValue(-1, u)}
		}
		return match{}
	case dFuture:
		if !the && !t.isAny(i-1, "in", "near", "distant") {
			return match{}
		}
		return match{i: i, j: j, typ: TypeDate, val: "FUTURE_REF"}
	case dPast:
		if !the || t.cls(j, cUnit) || t.cls(j, cNum) || t.cls(j, cFuzzy) || t.toks[min(j, len(t.toks)-1)].kind == kNum && j < len(t.toks) {
			return match{}
		}
		return match{i: i, j: j, typ: TypeDate, val: "PAST_REF"}
	}
	return match{}
}

// ruleSet matches recurrences: "daily", "weekly", "every day", "each
// year", "every Monday", "per year".
func (t *tagger) ruleSet(i int) match {
	if t.cls(i, cSetAdv) {
		return match{i: i, j: i + 1, typ: TypeSet, val: durationValue(1, t.v(i, cSetAdv))}
	}
	if t.isAny(i, "every", "each", "per") {
		j := i + 1
		if t.is(j, "other") {
			j++
		}
		if u, plural, ok := t.unit(j); ok && !plural && u != uHalf {
			n := 1
			if j > i+1 {
				n = 2
			}
			return match{i: i, j: j + 1, typ: TypeSet, val: durationValue(n, u)}
		}
		if t.cls(j, cWeekday) && t.weekdayWord(j) {
			return match{i: i, j: j + 1, typ: TypeSet, val: "XXXX-WXX-" + itoa(isoWeekday(time.Weekday(t.v(j, cWeekday))))}
		}
		if t.cls(j, cMonth) && t.monthWord(j, true) {
			return match{i: i, j: j + 1, typ: TypeSet, val: "XXXX-" + pad(t.v(j, cMonth), 2)}
		}
	}
	return match{}
}

// ruleHoliday matches a few fixed and computed holidays: Christmas (Eve,
// Day), Thanksgiving (Day), Halloween, New Year's Day/Eve.
func (t *tagger) ruleHoliday(i int) match {
	j := i
	var m, d int
	switch {
	case t.is(j, "christmas"):
		m, d = 12, 25
		j++
		if t.is(j, "eve") {
			d = 24
			j++
		} else if t.is(j, "day") {
			j++
		}
	case t.is(j, "thanksgiving"):
		m = 11
		j++
		if t.is(j, "day") {
			j++
		}
	case t.is(j, "halloween"):
		m, d = 10, 31
		j++
	case t.is(j, "new") && t.is(j+1, "year") && t.p(j+2, '\'') && t.is(j+3, "s") && t.isAny(j+4, "day", "eve"):
		m, d = 1, 1
		if t.is(j+4, "eve") {
			m, d = 12, 31
		}
		j += 5
	default:
		return match{}
	}
	if !t.toks[i].upper {
		return match{}
	}
	if !t.hasDCT {
		if d == 0 {
			return match{}
		}
		return match{i: i, j: j, typ: TypeDate, val: "XXXX-" + pad(m, 2) + "-" + pad(d, 2)}
	}
	y := t.dct.Year()
	if y2, k := t.year(j); k > j && t.toks[j].kind == kNum {
		y, j = y2, k
	} else {
		dd := d
		if dd == 0 {
			dd = 25
		}
		y = yearForMonthDay(t.dct, m, dd, t.tense(i, j))
	}
	if d == 0 { // fourth Thursday of November
		first := date(y, 11, 1)
		off := (int(time.Thursday) - int(first.Weekday()) + 7) % 7
		d = 1 + off + 21
	}
	return match{i: i, j: j, typ: TypeDate, val: dayValue(date(y, m, d))}
}

// halfDuration formats n and a half units ("2 1/2 years" → P2Y6M).
func halfDuration(n, u int) string {
	switch u {
	case uYear:
		return "P" + itoa(n) + "Y6M"
	case uHour:
		return "PT" + itoa(n) + "H30M"
	case uMinute:
		return "PT" + itoa(n) + "M30S"
	case uDay:
		return "P" + itoa(n) + "DT12H"
	}
	return ""
}

// rateFree reports whether "a"/"an" at j starts an amount of time rather
// than a rate: it follows a preposition, an adverb of degree or nothing.
func (t *tagger) rateFree(j int) bool {
	if j == 0 || t.toks[j].nl || t.boundary(j-1) || t.p(j-1, ',') || t.p(j-1, '`') || t.p(j-1, '"') {
		return true
	}
	return t.isAny(j-1, "for", "in", "within", "than", "about", "after", "over", "nearly", "almost", "only", "just", "least", "more", "less", "under", "around", "of", "took", "take", "takes", "spent", "spend", "lasted", "last", "lasting", "extra", "additional", "another", "half", "once", "twice", "by", "until", "to", "like", "some", "barely", "roughly", "approximately")
}

// ruleBarePlural matches bare plural units after "for", "within", "over
// the": "for years", "within weeks", "for centuries", "over the years".
func (t *tagger) ruleBarePlural(i int) match {
	j := i
	if t.is(j, "the") && t.isAny(j-1, "over", "through") {
		j++
	}
	u, plural, ok := t.unit(j)
	if !ok || !plural || u < uDay || u == uQuarter || u == uWeekend {
		return match{}
	}
	if j == i && !t.isAny(i-1, "for", "within", "in") || t.is(i-1, "in") && !t.isAny(j+1, "ago") {
		return match{}
	}
	if t.p(j+1, '-') || t.is(j+1, "of") {
		return match{}
	}
	return match{i: i, j: j + 1, typ: TypeDuration, val: durationValue(-1, u)}
}

// ruleYearEnd matches "year-end", "year end", "year's end": the end of the
// DCT's year.
func (t *tagger) ruleYearEnd(i int) match {
	if !t.is(i, "year") || !t.hasDCT {
		return match{}
	}
	switch {
	case t.p(i+1, '-') && t.glued(i+1) && t.is(i+2, "end") && t.glued(i+2):
		return match{i: i, j: i + 3, typ: TypeDate, val: yearValue(t.dct.Year())}
	case t.is(i+1, "end"):
		return match{i: i, j: i + 2, typ: TypeDate, val: yearValue(t.dct.Year())}
	case t.p(i+1, '\'') && t.is(i+2, "s") && t.is(i+3, "end"):
		return match{i: i, j: i + 4, typ: TypeDate, val: yearValue(t.dct.Year())}
	}
	return match{}
}
