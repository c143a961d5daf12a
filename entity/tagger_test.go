package entity

import (
	"testing"
)

func mustDefault(t testing.TB) *Tagger {
	t.Helper()
	tg, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func TestTagFindsEntities(t *testing.T) {
	tg := mustDefault(t)
	tests := []struct {
		name string
		text string
		want []Mention // Start/End are checked through Text
	}{
		{"clean news", "Foreign Minister Halvard Brennick met Chancellor Olaf Scholz in Berlin on Tuesday, the Dutch news agency ANP said.",
			[]Mention{{Text: "Halvard Brennick", Type: "PER"}, {Text: "Olaf Scholz", Type: "PER"}, {Text: "Berlin", Type: "LOC"}, {Text: "Dutch", Type: "MISC"}, {Text: "ANP", Type: "ORG"}}},
		{"company", "Shares of General Motors Corp. fell 3 percent in New York.",
			[]Mention{{Text: "General Motors Corp.", Type: "ORG"}, {Text: "New York", Type: "LOC"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tg.Tag(tt.text)
			for _, m := range got {
				if tt.text[m.Start:m.End] != m.Text {
					t.Errorf("mention %+v: offsets do not match text", m)
				}
			}
			for _, w := range tt.want {
				found := false
				for _, m := range got {
					if m.Text == w.Text && m.Type == w.Type {
						found = true
					}
				}
				if !found {
					t.Errorf("missing %s %q in %+v", w.Type, w.Text, got)
				}
			}
		})
	}
}

func TestTagPrint(t *testing.T) {
	tg := mustDefault(t)
	for _, s := range []string{
		"Secretary of State Antony Blinken met French Foreign Minister Jean-Yves Le Drian in Paris on Tuesday, the U.S. State Department said. Blinken later flew to Kyiv to meet Volodymyr Zelensky. Shares of Apple Inc. rose 3% on the Nasdaq.",
		"washington (reuters) - secretary blinken said on monday that the united states would send more aid to ukraine, after talks with nato allies in brussels and with antony blinken's staff.",
		"WASHINGTON -- U.S. SECRETARY OF STATE ANTONY BLINKEN SAYS RUSSIA MUST WITHDRAW",
	} {
		for _, m := range tg.Tag(s) {
			t.Logf("%s %q", m.Type, m.Text)
		}
		t.Log("--")
	}
}
