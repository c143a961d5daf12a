package dedup

import (
	"testing"
	"time"
)

// FuzzAddEntry checks that arbitrary bytes given as an entry are either
// rejected or indexed without panicking, and that an indexed entry can be
// removed cleanly.
func FuzzAddEntry(f *testing.F) {
	ix := NewIndex(DefaultOptions())
	ix.Add("seed", time.Unix(0, 0), bridge+" "+mayor)
	e, _ := ix.Entry("seed")
	f.Add(e)
	f.Add([]byte{1})
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		ix := NewIndex(DefaultOptions())
		if err := ix.AddEntry("x", time.Unix(1, 0), b); err != nil {
			return
		}
		ix.Query("q", time.Unix(2, 0), bridge+" "+mayor)
		if _, ok := ix.Entry("x"); !ok {
			t.Fatal("indexed entry missing")
		}
		ix.Remove("x")
		if st := ix.Stats(); st.Articles != 0 || st.LSHKeys+st.FingerprintKeys+st.ExactKeys != 0 {
			t.Fatalf("left after removal: %+v", st)
		}
	})
}

// FuzzAdd checks arbitrary texts: offsets and spans must lie inside the text.
func FuzzAdd(f *testing.F) {
	f.Add("Live", bridge+" "+mayor)
	f.Add("", "ÉÉ \xff\xfe ünï cödé")
	f.Fuzz(func(t *testing.T, a, b string) {
		ix := NewIndex(DefaultOptions())
		ix.Add("a", time.Unix(1, 0), a)
		ix.Add("a2", time.Unix(2, 0), a+" "+b)
		r := ix.Add("b", time.Unix(3, 0), b+" "+a)
		if r.Novelty < 0 || r.Novelty > 1 {
			t.Fatalf("novelty %v", r.Novelty)
		}
		text := b + " " + a
		for _, ru := range r.Reuse {
			for _, p := range ru.Passages {
				if p.ToOffset < 0 || p.ToOffset+p.Len > len(text) || text[p.ToOffset:p.ToOffset+p.Len] != p.Text {
					t.Fatalf("bad passage %+v", p)
				}
			}
		}
		for _, s := range r.ReusedSpans {
			if s[0] < 0 || s[1] > len(text) || s[0] >= s[1] {
				t.Fatalf("bad span %v", s)
			}
		}
	})
}
