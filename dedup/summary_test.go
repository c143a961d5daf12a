package dedup

import (
	"strings"
	"testing"
)

func TestWriteSummaryCounts(t *testing.T) {
	pair := func(to string, n int) ReusePair {
		r := ReusePair{From: "a", To: to, SharedRatio: 0.5}
		for range n {
			r.Passages = append(r.Passages, Passage{Text: "p"})
		}
		return r
	}
	for _, c := range []struct {
		name string
		s    Summary
		want string
	}{
		{"none", Summary{}, "0 duplicate groups\n0 reuse pairs\n"},
		{"one of each", Summary{
			Duplicates: []DupGroup{{Articles: []string{"a", "b"}, Similarity: 0.7}},
			Reuse:      []ReusePair{pair("b", 1)},
		}, "1 duplicate group\n  0.70  a b\n1 reuse pair\n  b <- a  shared 50%, 1 passage\n"},
		{"several", Summary{
			Duplicates: []DupGroup{{Articles: []string{"a", "b"}, Similarity: 0.7}, {Articles: []string{"c", "d"}, Similarity: 0.8}},
			Reuse:      []ReusePair{pair("b", 2), pair("c", 0)},
		}, "2 duplicate groups\n  0.70  a b\n  0.80  c d\n2 reuse pairs\n  b <- a  shared 50%, 2 passages\n  c <- a  shared 50%, 0 passages\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b strings.Builder
			if err := WriteSummary(&b, c.s); err != nil {
				t.Fatal(err)
			}
			if b.String() != c.want {
				t.Errorf("got:\n%s\nwant:\n%s", b.String(), c.want)
			}
		})
	}
}
