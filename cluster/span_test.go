package cluster

import (
	"fmt"
	"math/rand"
	"testing"
	"time"
)

// TestSpanOutsideIsGap: the storyline's span array answers what the
// event itself would, c.dead || c.gap(t) > w, for dated and undated
// events and articles, times far apart or in the same second.
func TestSpanOutsideIsGap(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	base := time.Date(2022, 2, 7, 12, 0, 0, 0, time.UTC)
	w := 4 * 24 * time.Hour
	pick := func() time.Time {
		switch r.Intn(8) {
		case 0:
			return time.Time{}
		case 1:
			return base.Add(time.Duration(r.Int63n(int64(2*w))) - w) // near, nanoseconds
		case 2:
			return base.Add(w + time.Duration(r.Intn(3)-1)) // at the edge
		case 3:
			return time.Date(1, 1, 1+r.Intn(5), 0, 0, 0, 0, time.UTC) // far past
		case 4:
			return time.Date(9999, 12, 1+r.Intn(5), 0, 0, 0, 0, time.UTC)
		default:
			return base.Add(time.Duration(r.Intn(20*24)-10*24) * time.Hour)
		}
	}
	for i := 0; i < 200000; i++ {
		c := &cluster{dead: r.Intn(10) == 0}
		c.addTime(pick())
		c.addTime(pick())
		at := pick()
		if i%3 == 0 {
			at = c.first.Add(-w + time.Duration(r.Intn(3)-1)) // at the edges of the span
		} else if i%3 == 1 {
			at = c.last.Add(w + time.Duration(r.Intn(3)-1))
		}
		want := c.dead || c.gap(at) > w
		s := spanOf(c)
		win := windowOf(at, w)
		if got := s.outside(&win); got != want {
			t.Fatalf("event %v..%v dead=%v, article %v: outside = %v, gap says %v", c.first, c.last, c.dead, at, got, want)
		}
	}
}

// TestSpansFollowEvents: after assignments and settles (which open and
// empty events), every storyline's span array matches its events.
func TestSpansFollowEvents(t *testing.T) {
	e := New(DefaultOptions())
	texts := []string{call + " Sunday first call", dam + " Tuesday morning", cup + " final whistle",
		call + " second call officials", dam + " rescuers search night"}
	for i := 0; i < 90; i++ {
		e.Assign(doc(fmt.Sprintf("a%d", i), 1+i/4, texts[(i*7)%len(texts)]+fmt.Sprintf(" w%d", i%9)))
		if i%20 == 19 {
			e.Settle()
		}
	}
	e.SettleAll()
	checked := 0
	for _, st := range e.stories.all {
		if st == nil {
			continue
		}
		if len(st.spans) != len(st.members) {
			t.Fatalf("storyline %s: %d spans for %d events", st.id, len(st.spans), len(st.members))
		}
		for i, ev := range st.members {
			checked++
			if st.spans[i] != spanOf(ev) || int(ev.pos) != i {
				t.Errorf("storyline %s event %s: span %+v, event says %+v", st.id, ev.id, st.spans[i], spanOf(ev))
			}
		}
	}
	if checked < 3 {
		t.Fatalf("only %d events", checked)
	}
}
