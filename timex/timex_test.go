package timex

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

// monday is the DCT of most cases: Monday 7 February 2022.
var monday = time.Date(2022, 2, 7, 15, 4, 0, 0, time.UTC)

func TestTag(t *testing.T) {
	cases := []struct {
		text, want string // want: "span=TYPE:value", or "" for no expression
		dct        time.Time
	}{
		// weekdays follow tense and cues
		{"The leaders spoke on Sunday.", "Sunday=DATE:2022-02-06", monday},
		{"They will meet on Monday.", "Monday=DATE:2022-02-07", monday},
		{"They will meet on Wednesday.", "Wednesday=DATE:2022-02-09", monday},
		{"The ministers met on Wednesday.", "Wednesday=DATE:2022-02-02", monday},
		{"Shares fell ahead of Thursday's meeting.", "Thursday=DATE:2022-02-10", monday},
		{"He commented on Thursday's ruling.", "Thursday=DATE:2022-02-03", monday},
		{"The talks are set to resume Friday.", "Friday=DATE:2022-02-11", monday},
		{"Next Monday they vote.", "Next Monday=DATE:2022-02-14", monday},
		{"He arrived last Friday.", "last Friday=DATE:2022-02-04", monday},
		{"Sunday night was calm.", "Sunday night=DATE:2022-02-06", monday},
		// absolute and partial dates
		{"It happened Feb. 6.", "Feb. 6=DATE:2022-02-06", monday},
		{"It happened 6 February.", "6 February=DATE:2022-02-06", monday},
		{"It happened on February 6th.", "February 6th=DATE:2022-02-06", monday},
		{"It happened on 2/6/2022.", "2/6/2022=DATE:2022-02-06", monday},
		{"It happened on 2022-02-06.", "2022-02-06=DATE:2022-02-06", monday},
		{"The caption read November 11, 2021.", "November 11, 2021=DATE:2021-11-11", monday},
		{"Nov. 8 was the deadline.", "Nov. 8=DATE:2021-11-08", monday},
		{"The vote is due by Feb. 20.", "Feb. 20=DATE:2022-02-20", monday},
		{"Prices rose in December.", "December=DATE:2021-12", monday},
		{"The plant will open in December.", "December=DATE:2022-12", monday},
		{"Sales were weak in December 2019.", "December 2019=DATE:2019-12", monday},
		{"He was born in 1984.", "1984=DATE:1984", monday},
		{"Since the 1990s, the industry grew.", "the 1990s=DATE:199", monday},
		{"In the spring of 2019 it began.", "the spring of 2019=DATE:2019-SP", monday},
		{"Oil rose in the third quarter.", "the third quarter=DATE:2021-Q3", monday},
		{"It happened at 10:30 a.m. Friday.", "10:30 a.m. Friday=TIME:2022-02-04T10:30", monday},
		// relative expressions
		{"Sales fell last year.", "last year=DATE:2021", monday},
		{"This week was busy.", "This week=DATE:2022-W06", monday},
		{"Two days ago the vote was held.", "Two days ago=DATE:2022-02-05", monday},
		{"Earlier this month, a strike began.", "Earlier this month=DATE:2022-02", monday},
		{"Yesterday the rain stopped.", "Yesterday=DATE:2022-02-06", monday},
		{"It resumes tomorrow.", "tomorrow=DATE:2022-02-08", monday},
		{"Talks continue over the next few days.", "the next few days=DURATION:PXD", monday},
		{"The talks lasted three days.", "three days=DURATION:P3D", monday},
		{"It was a two-year deal.", "two-year=DURATION:P2Y", monday},
		{"Prices are high now.", "now=DATE:PRESENT_REF", monday},
		{"The firm pays a dividend daily.", "daily=SET:P1D", monday},
		{"He visits every week.", "every week=SET:P1W", monday},
		{"Sales rose from a year ago.", "a year ago=DATE:2021", monday},
		{"He served for 2 1/2 years.", "2 1/2 years=DURATION:P2Y6M", monday},
		{"In nineteen ninety-six a bomb exploded.", "nineteen ninety-six=DATE:1996", monday},
		// what not to tag
		{"The company may report a loss.", "", monday},
		{"It cost $10 and rose 15%.", "", monday},
		{"The 6-year-old boy smiled.", "", monday},
		{"Prices fall when supply grows.", "", monday},
		{"He sold 2000 shares.", "", monday},
		{"They march on the capital.", "", monday},
		{"Iraq imports three-quarters of its food.", "", monday},
		// zero DCT: only absolute values resolve
		{"It happened on Sunday.", "Sunday=DATE:XXXX-WXX-7", time.Time{}},
		{"It happened Feb. 6.", "Feb. 6=DATE:XXXX-02-06", time.Time{}},
		{"It happened Feb. 6, 2022.", "Feb. 6, 2022=DATE:2022-02-06", time.Time{}},
		{"Prices rose last year.", "last year=DATE:XXXX", time.Time{}},
	}
	for _, c := range cases {
		got := Tag(c.text, c.dct)
		var parts []string
		for _, x := range got {
			if x.Text != c.text[x.Start:x.End] {
				t.Errorf("%q: Text %q does not match span %d:%d", c.text, x.Text, x.Start, x.End)
			}
			parts = append(parts, fmt.Sprintf("%s=%s:%s", x.Text, x.Type, x.Value))
		}
		if g := strings.Join(parts, "; "); g != c.want {
			t.Errorf("Tag(%q)\n got %q\nwant %q", c.text, g, c.want)
		}
	}
}

// TestGolden tags a whole news-like text (written for this test) and
// compares with testdata/news.golden; run with -update to rewrite it.
func TestGolden(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "news.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, x := range Tag(string(in), monday) {
		fmt.Fprintf(&b, "%d\t%d\t%s\t%s\t%s\n", x.Start, x.End, x.Type, x.Value, x.Text)
	}
	golden := filepath.Join("testdata", "news.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("golden mismatch:\n got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestEventDate(t *testing.T) {
	cases := []struct {
		title, text string
		dct         time.Time
		want        string
		ok          bool
	}{
		{"Leaders talk by phone", "The two leaders spoke by phone on Sunday, officials said. They will meet on Wednesday in Geneva.", monday, "2022-02-06", true},
		{"Storm hits coast", "A storm hit the coast yesterday. Repairs will start next week.", monday, "2022-02-06", true},
		{"", "A follow-up on the crash of February 1. Investigators said on Friday that the pilot erred.", monday, "2022-02-01", true},
		{"Markets", "Markets were calm.", monday, "", false},
	}
	for _, c := range cases {
		d, conf, ok := EventDate(c.title, c.text, c.dct)
		if ok != c.ok {
			t.Errorf("EventDate(%q) ok=%v, want %v", c.text, ok, c.ok)
			continue
		}
		if !ok {
			continue
		}
		if got := d.Format("2006-01-02"); got != c.want {
			t.Errorf("EventDate(%q) = %s, want %s", c.text, got, c.want)
		}
		if conf <= 0 || conf > 1 {
			t.Errorf("EventDate(%q) confidence %v outside (0,1]", c.text, conf)
		}
	}
}

func TestInferDCT(t *testing.T) {
	cases := []struct {
		title, text, want string
		ok                bool
	}{
		{"", "GENEVA, Nov. 12, 2021 (AP) -- Talks resumed. The treaty of March 3, 1999 was cited.", "2021-11-12", true},
		{"Flood photos", "Rescue teams worked through the night.\n\nCaption: Residents on November 11, 2021, and earlier on Oct. 2, 2021.", "2021-11-11", true},
		{"", "Talks resumed on Sunday.", "", false},
		{"", "A date far ahead: June 5, 2999.", "", false},
	}
	for _, c := range cases {
		d, ok := InferDCT(c.title, c.text)
		if ok != c.ok {
			t.Errorf("InferDCT(%q) ok=%v, want %v", c.text, ok, c.ok)
			continue
		}
		if ok && d.Format("2006-01-02") != c.want {
			t.Errorf("InferDCT(%q) = %s, want %s", c.text, d.Format("2006-01-02"), c.want)
		}
	}
}

func TestVote(t *testing.T) {
	d := func(s string) time.Time { x, _ := time.Parse("2006-01-02", s); return x }
	cases := []struct {
		name  string
		cands []Candidate
		want  string
		ok    bool
	}{
		{"empty", nil, "", false},
		{"agreement beats one heavy source", []Candidate{
			{Day: d("2022-02-06"), Weight: 1, Source: "a"},
			{Day: d("2022-02-06"), Weight: 1, Source: "b"},
			{Day: d("2022-02-07"), Weight: 2.4, Source: "c"},
		}, "2022-02-06", true},
		{"one source repeating itself is not agreement", []Candidate{
			{Day: d("2022-02-06"), Weight: 1, Source: "a"},
			{Day: d("2022-02-06"), Weight: 1, Source: "a"},
			{Day: d("2022-02-09"), Weight: 2.2, Source: "c"},
		}, "2022-02-09", true},
		{"neighbours support each other", []Candidate{
			{Day: d("2022-02-05"), Weight: 1, Source: "a"},
			{Day: d("2022-02-06"), Weight: 1, Source: "b"},
			{Day: d("2022-03-01"), Weight: 1.2, Source: "c"},
		}, "2022-02-05", true},
		{"zero weights ignored", []Candidate{{Day: d("2022-02-05"), Weight: 0, Source: "a"}}, "", false},
	}
	for _, c := range cases {
		got, ok := Vote(c.cands)
		if ok != c.ok || ok && got.Format("2006-01-02") != c.want {
			t.Errorf("%s: Vote = %s %v, want %s %v", c.name, got.Format("2006-01-02"), ok, c.want, c.ok)
		}
	}
}

func FuzzTag(f *testing.F) {
	for _, s := range []string{"Feb. 6, 2022", "on Sunday night", "10:30 a.m. Friday", "two-year", "the 1990s", "'80s", "2/6/22", "nineteen ninety-six", "a year ago", "\xff\xfe May 5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, dct := range []time.Time{{}, monday} {
			prev := 0
			for _, x := range Tag(s, dct) {
				if x.Start < prev || x.End <= x.Start || x.End > len(s) {
					t.Fatalf("bad span %d:%d (prev end %d) in %q", x.Start, x.End, prev, s)
				}
				if x.Value == "" || x.Type == "" {
					t.Fatalf("empty value or type for %q in %q", x.Text, s)
				}
				prev = x.End
			}
		}
	})
}
