package summary

import (
	"strings"
	"testing"
)

func TestSummarize(t *testing.T) {
	arts := []Input{
		{ID: "a", Title: "Dam gives way above Velmora", Source: "Nordwire",
			Text: "Part of the Upper Selva Dam gave way on Tuesday morning, flooding the town of Velmora.\nTwo workers are missing, rescue officials said.\nThe dam was built in 1964 and last inspected in 2019."},
		{ID: "b", Title: "Velmora flooded as dam collapses", Source: "Courier",
			Text: "Part of the Upper Selva Dam gave way on Tuesday morning, flooding the town of Velmora, officials said.\nRescuers searched through the night for the two missing workers.\nShops along the river were destroyed."},
		{ID: "c", Source: "Gazette", Text: "Cheap shoes on sale now."},
	}
	head, sum := Summarize(arts, 3)
	if !strings.Contains(head, "Dam") && !strings.Contains(head, "dam") {
		t.Errorf("headline %q is not about the dam", head)
	}
	if len(sum) == 0 || len(sum) > 3 {
		t.Fatalf("summary has %d sentences", len(sum))
	}
	if !strings.Contains(sum[0].Text, "Upper Selva Dam gave way") {
		t.Errorf("most central sentence first: %q", sum[0].Text)
	}
	for i := range sum {
		if sum[i].Article == "" || sum[i].Source == "" {
			t.Errorf("sentence without attribution: %+v", sum[i])
		}
		for j := i + 1; j < len(sum); j++ {
			if strings.HasPrefix(sum[j].Text, "Part of the Upper Selva Dam") && strings.HasPrefix(sum[i].Text, "Part of the Upper Selva Dam") {
				t.Errorf("near-identical sentences both chosen: %q / %q", sum[i].Text, sum[j].Text)
			}
		}
		if strings.Contains(sum[i].Text, "shoes") {
			t.Errorf("off-topic sentence chosen: %q", sum[i].Text)
		}
	}
	// Without titles the headline is the most central sentence.
	h2, _ := Summarize([]Input{{ID: "x", Text: arts[0].Text}}, 3)
	if !strings.HasPrefix(h2, "Part of the Upper Selva Dam") {
		t.Errorf("untitled headline %q", h2)
	}
	if h, s := Summarize(nil, 3); h != "" || s != nil {
		t.Errorf("empty input: %q %v", h, s)
	}
}

func TestSummarizeIsDeterministic(t *testing.T) {
	arts := []Input{
		{ID: "a", Text: "The dam gave way on Tuesday. Two workers are missing. Rescuers searched the river."},
		{ID: "b", Text: "The dam broke on Tuesday. Two workers were missing. Rescuers searched all night."},
		{ID: "c", Text: "Rescuers searched the river. The dam gave way on Tuesday. Two workers are missing."},
	}
	h0, s0 := Summarize(arts, 3)
	for i := 0; i < 50; i++ {
		h, s := Summarize(arts, 3)
		if h != h0 || len(s) != len(s0) {
			t.Fatalf("run %d differs: %q %v vs %q %v", i, h, s, h0, s0)
		}
		for k := range s {
			if s[k] != s0[k] {
				t.Fatalf("run %d differs at %d: %+v vs %+v", i, k, s[k], s0[k])
			}
		}
	}
}

// TestHeadlineWithoutScorableText checks that an event whose articles give
// no sentence to score still gets a headline: the title, or the text's
// first words.
func TestHeadlineWithoutScorableText(t *testing.T) {
	cases := []struct {
		name string
		arts []Input
		want string
	}{
		{"one-letter title", []Input{{ID: "a", Title: "t"}}, "t"},
		{"short text only", []Input{{ID: "a", Text: "Fire."}}, "Fire."},
		{"long unbroken text", []Input{{ID: "a", Text: strings.Repeat("é", 150)}}, strings.Repeat("é", 100) + "…"},
		{"nothing", []Input{{ID: "a"}}, ""},
	}
	for _, c := range cases {
		if got, _ := Summarize(c.arts, 3); got != c.want {
			t.Errorf("%s: headline %q, want %q", c.name, got, c.want)
		}
	}
}
