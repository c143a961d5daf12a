package eval

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestScoreClusters(t *testing.T) {
	cases := []struct {
		name       string
		gold, pred []string
		b3p, b3r   float64
		pp, pr     float64
		ari        float64
	}{
		{"perfect", []string{"a", "a", "b"}, []string{"x", "x", "y"}, 1, 1, 1, 1, 1},
		{"all in one", []string{"a", "a", "b", "b"}, []string{"x", "x", "x", "x"}, 0.5, 1, 1.0 / 3, 1, 0},
		// gold {1,2,3}{4,5}; pred {1,2}{3,4,5}
		{"mixed", []string{"a", "a", "a", "b", "b"}, []string{"x", "x", "y", "y", "y"},
			(1 + 1 + 1.0/3 + 2.0/3 + 2.0/3) / 5, (2.0/3 + 2.0/3 + 1.0/3 + 1 + 1) / 5, 0.5, 0.5, -0.0 + 1.0/6},
	}
	for _, c := range cases {
		s, err := ScoreClusters(c.gold, c.pred)
		if err != nil {
			t.Fatal(err)
		}
		if !near(s.BCubed.P, c.b3p) || !near(s.BCubed.R, c.b3r) {
			t.Errorf("%s: BCubed %+v, want P %v R %v", c.name, s.BCubed, c.b3p, c.b3r)
		}
		if !near(s.Pairwise.P, c.pp) || !near(s.Pairwise.R, c.pr) {
			t.Errorf("%s: pairwise %+v, want P %v R %v", c.name, s.Pairwise, c.pp, c.pr)
		}
		if c.name != "mixed" && !near(s.ARI, c.ari) {
			t.Errorf("%s: ARI %v, want %v", c.name, s.ARI, c.ari)
		}
	}
	if _, err := ScoreClusters([]string{"a"}, nil); err == nil {
		t.Error("length mismatch accepted")
	}
}

// TestScoresAreExactlyRepeatable: the same labels give bit-identical
// scores on every call (no sum in map order).
func TestScoresAreExactlyRepeatable(t *testing.T) {
	var gold, pred []string
	for i := 0; i < 3000; i++ {
		gold = append(gold, string(rune('a'+i%23)))
		pred = append(pred, string(rune('A'+(i*7)%41)))
	}
	first, err := ScoreClusters(gold, pred)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		if s, _ := ScoreClusters(gold, pred); s != first {
			t.Fatalf("scores differ between calls: %+v vs %+v", s, first)
		}
	}
}
