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
		// Reuters writes "Corp" without a period, so the model may leave a
		// trailing "Corp." out of the span; the name itself must be found.
		{"company", "Shares of General Motors fell 3 percent in New York after Ford Motor Co said sales rose.",
			[]Mention{{Text: "General Motors", Type: "ORG"}, {Text: "New York", Type: "LOC"}, {Text: "Ford Motor Co", Type: "ORG"}}},
		// a given name the training data never saw, before a surname: the
		// beam lets "Lohan" revise the choice made at "Lindsay"
		{"sentence-initial name", "Lindsay Lohan has left the Betty Ford Center and is moving to Malibu.",
			[]Mention{{Text: "Lindsay Lohan", Type: "PER"}, {Text: "Betty Ford Center", Type: "ORG"}, {Text: "Malibu", Type: "LOC"}}},
		{"lower-cased scrape", "officials in washington said the united states and nato would meet in brussels on friday.",
			[]Mention{{Text: "washington", Type: "LOC"}, {Text: "united states", Type: "LOC"}, {Text: "nato", Type: "ORG"}, {Text: "brussels", Type: "LOC"}}},
		// the document memory carries names from cased sentences into an
		// uncased stretch of the same article
		{"memory into lower case", "Antony Blinken met Sergei Lavrov in Geneva.\n\nlater, secretary blinken said lavrov had agreed.",
			[]Mention{{Text: "Antony Blinken", Type: "PER"}, {Text: "blinken", Type: "PER"}, {Text: "lavrov", Type: "PER"}}},
		{"dirty scrape", "Home | World | Business\nShare this article\u00a0\u2022 Tweet\n\nBERLIN (Reuters) \u2014 German Chancellor Olaf Scholz said on Friday that Volkswagen AG &amp; Siemens would invest in the port of Hamburg.\u00a0\u201cWe will not back down,\u201d Scholz told reporters.\n<p>Read more: https://example.com/news/123</p>",
			[]Mention{{Text: "BERLIN", Type: "LOC"}, {Text: "Olaf Scholz", Type: "PER"}, {Text: "Volkswagen AG", Type: "ORG"}, {Text: "Siemens", Type: "ORG"}, {Text: "Hamburg", Type: "LOC"}, {Text: "Scholz", Type: "PER"}}},
		{"headline caps", "RUSSIA AND UKRAINE AGREE TO TALKS IN GENEVA",
			[]Mention{{Text: "RUSSIA", Type: "LOC"}, {Text: "UKRAINE", Type: "LOC"}, {Text: "GENEVA", Type: "LOC"}}},
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

func TestTagEmptyAndJunk(t *testing.T) {
	tg := mustDefault(t)
	for _, s := range []string{"", "   \n\n ", "\xff\xfe<<>>", "1996-08-30 12:00 GMT"} {
		for _, m := range tg.Tag(s) {
			if m.Start < 0 || m.End > len(s) || s[m.Start:m.End] != m.Text {
				t.Errorf("Tag(%q): bad mention %+v", s, m)
			}
		}
	}
}
