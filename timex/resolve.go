package timex

import (
	"strconv"
	"time"
)

// Value formatting and calendar arithmetic for TIMEX3 values.

func itoa(n int) string { return strconv.Itoa(n) }

func pad(n, w int) string {
	s := strconv.Itoa(n)
	for len(s) < w {
		s = "0" + s
	}
	return s
}

func dayValue(t time.Time) string {
	return pad(t.Year(), 4) + "-" + pad(int(t.Month()), 2) + "-" + pad(t.Day(), 2)
}

func monthValue(y, m int) string { return pad(y, 4) + "-" + pad(m, 2) }

func yearValue(y int) string { return pad(y, 4) }

func weekValue(t time.Time) string {
	y, w := t.ISOWeek()
	return pad(y, 4) + "-W" + pad(w, 2)
}

func quarterValue(y, q int) string { return pad(y, 4) + "-Q" + itoa(q) }

func date(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func validDay(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return false
	}
	return date(y, m, d).Day() == d
}

func quarterOf(m int) int { return (m-1)/3 + 1 }

func seasonOf(m int) int {
	switch m {
	case 3, 4, 5:
		return 1
	case 6, 7, 8:
		return 2
	case 9, 10, 11:
		return 3
	}
	return 4
}

// unitCode gives the ISO 8601 duration letter of a unit and whether it is
// a time (after "T") unit.
func unitCode(u int) (string, bool) {
	switch u {
	case uSecond:
		return "S", true
	case uMinute:
		return "M", true
	case uHour:
		return "H", true
	case uDay, uNight:
		return "D", false
	case uWeekend:
		return "WE", false
	case uWeek:
		return "W", false
	case uMonth:
		return "M", false
	case uQuarter:
		return "Q", false
	case uHalf:
		return "H", false
	case uSeason:
		return "S", false
	case uYear:
		return "Y", false
	case uDecade:
		return "DE", false
	case uCentury:
		return "CE", false
	}
	return "", false
}

// durationValue formats n units as a TIMEX3 duration; n < 0 means unknown (X).
func durationValue(n, u int) string {
	switch u {
	case uFortnight:
		if n >= 0 {
			n *= 2
		}
		u = uWeek
	case uDecade:
		if n >= 0 {
			return "P" + itoa(10*n) + "Y"
		}
		return "PXDE"
	case uCentury:
		if n >= 0 {
			return "P" + itoa(100*n) + "Y"
		}
		return "PXCE"
	case uWeekend:
		if n >= 0 {
			return "P" + itoa(2*n) + "D"
		}
		return "PXWE"
	case uHalf:
		if n >= 0 {
			return "P" + itoa(6*n) + "M"
		}
	}
	c, isTime := unitCode(u)
	q := "X"
	if n >= 0 {
		q = itoa(n)
	}
	if isTime {
		return "PT" + q + c
	}
	return "P" + q + c
}

// shift moves the DCT by n units and formats the result at the unit's
// granularity ("two weeks ago" → a week value, "last year" → a year).
func shift(dct time.Time, n, u int) string {
	switch u {
	case uDay, uNight:
		return dayValue(dct.AddDate(0, 0, n))
	case uWeek, uWeekend:
		v := weekValue(dct.AddDate(0, 0, 7*n))
		if u == uWeekend {
			v += "-WE"
		}
		return v
	case uFortnight:
		return weekValue(dct.AddDate(0, 0, 14*n))
	case uMonth:
		t := date(dct.Year(), int(dct.Month())+n, 1)
		return monthValue(t.Year(), int(t.Month()))
	case uQuarter:
		q := dct.Year()*4 + quarterOf(int(dct.Month())) - 1 + n
		return quarterValue(q/4, q%4+1)
	case uHalf:
		h := dct.Year()*2 + (int(dct.Month())-1)/6 + n
		return pad(h/2, 4) + "-H" + itoa(h%2+1)
	case uSeason:
		return seasonValue(dct, n)
	case uYear:
		return yearValue(dct.Year() + n)
	case uDecade:
		return pad(dct.Year()/10+n, 3)
	case uCentury:
		return pad(dct.Year()/100+n, 2)
	case uHour:
		return dayValue(dct) + "T" + pad(dct.Hour()+n, 2)
	}
	return ""
}

func seasonValue(dct time.Time, n int) string {
	m := int(dct.Month())
	y := dct.Year()
	if m <= 2 { // winter belongs to the year it starts in
		y--
	}
	s := y*4 + seasonOf(m) - 1 + n
	return pad(s/4, 4) + "-" + seasonCodes[s%4+1]
}

// unknownShift gives the underspecified value of a relative expression
// when there is no DCT.
func unknownShift(u int) string {
	switch u {
	case uDay, uNight:
		return "XXXX-XX-XX"
	case uWeek, uFortnight:
		return "XXXX-WXX"
	case uWeekend:
		return "XXXX-WXX-WE"
	case uMonth:
		return "XXXX-XX"
	case uQuarter:
		return "XXXX-QX"
	case uYear:
		return "XXXX"
	case uDecade:
		return "XXX"
	case uCentury:
		return "XX"
	}
	return "XXXX-XX-XX"
}

// weekdayFrom resolves a weekday relative to the DCT. dir < 0: the most
// recent one on or before the DCT; dir > 0: the next one on or after it.
// strict excludes the DCT itself.
func weekdayFrom(dct time.Time, wd time.Weekday, dir int, strict bool) time.Time {
	d := int(wd) - int(dct.Weekday())
	if dir < 0 {
		if d > 0 || (strict && d == 0) {
			d -= 7
		}
	} else {
		if d < 0 || (strict && d == 0) {
			d += 7
		}
	}
	return dct.AddDate(0, 0, d)
}

// yearForMonthDay picks the year of a month (and day, 0 when absent)
// given the DCT and a tense: past → on or before the DCT, future → on or
// after, none → the nearest.
func yearForMonthDay(dct time.Time, m, d int, tense int8) int {
	y := dct.Year()
	if d == 0 {
		dm := int(dct.Month())
		// news looks back: a past clause may still name next month, a
		// clause without cue reaches at most two months ahead
		switch {
		case tense < 0:
			if m > dm+1 {
				return y - 1
			}
		case tense > 0:
			if m < dm {
				return y + 1
			}
		default:
			if m-dm > 2 {
				return y - 1
			}
			if dm-m > 8 {
				return y + 1
			}
		}
		return y
	}
	best, bestDist := y, int64(1<<62)
	for _, cy := range [3]int{y - 1, y, y + 1} {
		if !validDay(cy, m, d) {
			continue
		}
		diff := int64(date(cy, m, d).Sub(dct).Hours() / 24)
		if tense < 0 && diff > 31 || tense > 0 && diff < -1 {
			continue
		}
		if diff < 0 {
			diff = -diff
		} else if tense <= 0 {
			diff *= 3 // news looks back
		}
		if diff < bestDist {
			best, bestDist = cy, diff
		}
	}
	return best
}
