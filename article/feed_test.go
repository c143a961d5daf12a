package article

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// feedWant is what one feed item must give.
type feedWant struct {
	id, title, published, author, source string
	has, lacks                           []string
}

func TestFeedReader(t *testing.T) {
	tests := []struct {
		file  string
		want  []feedWant
		rejs  []string // substrings of the rejections, in order
		lines []int    // their line numbers
	}{
		{
			file: "wire.rss",
			want: []feedWant{
				{id: "https://coastalwire.example/2024/05/02/port-strike-ends/", title: "Port workers end three-day strike",
					published: "2024-05-02T18:20:00-04:00", author: "Sam Ortiz", source: "Coastal Wire",
					has:   []string{"ending a three-day strike that had left dozens of ships", "It must still be approved by members"},
					lacks: []string{"REUTERS", "Cranes stand idle", "Also read", "appeared first on", "[…]"}},
				{id: "https://coastalwire.example/2024/05/03/storm-power/", title: "Storm knocks out power to 40,000 homes",
					published: "2024-05-03T07:05:00-04:00", author: "Lee Park", source: "Coastal Wire",
					has: []string{"knocked out power to about 40,000 homes"}},
				{id: "https://coastalwire.example/2024/05/04/ferry-summer/", title: "Ferry timetable changes for summer",
					published: "0001-01-01T00:00:00Z", source: "Coastal Wire",
					has: []string{"The ferry company will add four daily crossings"}, lacks: []string{"<p>"}},
				{id: "tag:coastalwire.example,2024:1250", title: "Harbour festival returns after five years",
					published: "2024-05-05T10:00:00+01:00", source: "Coastal Wire",
					has: []string{"with boat races, music and a fish market"}},
			},
			rejs:  []string{"item 3: article \"https://coastalwire.example/2024/05/04/ferry-summer/\": unparseable or impossible date", "item 4: malformed XML", "item 5: item has no title and no text"},
			lines: []int{32, 38, 43},
		},
		{
			file: "valley.atom",
			want: []feedWant{
				{id: "https://valleypost.example/news/dam-spillway-opened", title: "Dam spillway opened as river rises",
					published: "2024-06-11T06:45:00+10:00", author: "Kim Nguyen", source: "Valley Post",
					has:   []string{"Operators opened the dam's spillway early on Tuesday", "expected the river to peak on Wednesday afternoon."},
					lacks: []string{"Share on Facebook", "Operators opened the spillway on Tuesday."}},
				{id: "https://valleypost.example/news/library-hours", title: "Library extends opening hours",
					published: "2024-06-10T17:00:00+10:00", source: "Valley Post",
					has: []string{"The town library will open until 8 p.m. on weekdays from July"}, lacks: []string{"With inputs", "<p>"}},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "feed", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			arts, rejs := readAll(t, FeedReader{}, tc.file, b)
			if len(arts) != len(tc.want) {
				t.Fatalf("got %d articles, want %d (rejections %v)", len(arts), len(tc.want), rejs)
			}
			for i, w := range tc.want {
				a := arts[i]
				if a.ID != w.id || a.Title != w.title || a.Source != w.source || a.Extra["author"] != w.author {
					t.Errorf("item %d: id %q title %q source %q author %q; want %q %q %q %q", i, a.ID, a.Title, a.Source, a.Extra["author"], w.id, w.title, w.source, w.author)
				}
				if got := a.Published.Format(time.RFC3339); got != w.published {
					t.Errorf("item %d: published %s, want %s", i, got, w.published)
				}
				if a.Lang != "en" {
					t.Errorf("item %d: lang %q", i, a.Lang)
				}
				for _, s := range w.has {
					if !strings.Contains(a.Text, s) {
						t.Errorf("item %d: text lacks %q:\n%s", i, s, a.Text)
					}
				}
				for _, s := range w.lacks {
					if strings.Contains(a.Text, s) {
						t.Errorf("item %d: text has %q:\n%s", i, s, a.Text)
					}
				}
			}
			if len(rejs) != len(tc.rejs) {
				t.Fatalf("rejections %v, want %d", rejs, len(tc.rejs))
			}
			for i, r := range rejs {
				if !strings.Contains(r.Error(), tc.rejs[i]) || r.Line != tc.lines[i] || r.File != tc.file {
					t.Errorf("rejection %d = %v (line %d), want %q at line %d", i, r, r.Line, tc.rejs[i], tc.lines[i])
				}
			}
			checkGolden(t, filepath.Join("feed", tc.file+".golden.json"), arts)
		})
	}
}

func TestFeedReaderRejectsFile(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"not a feed", "<?xml version=\"1.0\"?><urlset><url><loc>https://x.example/</loc></url></urlset>", "not an RSS or Atom feed"},
		{"binary", "\x1f\x8b\x08\x00\x00\x00", "binary"},
		{"unclosed last item", "<rss><channel><item><title>A</title><description>Fine text here.</description></item><item><title>B</title>", "item 2: no closing </item>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, rejs := readAll(t, FeedReader{}, "f.xml", []byte(tc.data))
			if len(rejs) != 1 || !strings.Contains(rejs[0].Error(), tc.want) {
				t.Fatalf("rejections %v, want one with %q", rejs, tc.want)
			}
		})
	}
}

func TestFeedCDATAHoldsItemTag(t *testing.T) {
	feed := `<rss><channel><title>T</title><item><title>One</title><description><![CDATA[<p>Text that mentions </item> and <item> tags inside CDATA, which must not cut the item.</p>]]></description></item><item><title>Two</title><description>Second item text.</description></item></channel></rss>`
	arts, rejs := readAll(t, FeedReader{}, "c.rss", []byte(feed))
	if len(arts) != 2 || len(rejs) != 0 {
		t.Fatalf("arts %d rejs %v", len(arts), rejs)
	}
	if !strings.Contains(arts[0].Text, "which must not cut the item") {
		t.Errorf("text %q", arts[0].Text)
	}
}

func FuzzFeedReader(f *testing.F) {
	for _, fn := range []string{"testdata/feed/wire.rss", "testdata/feed/valley.atom"} {
		if b, err := os.ReadFile(fn); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("<rss><channel><item><title>x</title></item></channel></rss>"))
	f.Add([]byte("<feed><entry><content type=\"xhtml\"><div><p>a</p></div></content></entry></feed>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		arts, _ := readAll(t, FeedReader{}, "f.xml", data)
		for _, a := range arts {
			if a.ID == "" || (a.Title == "" && strings.TrimSpace(a.Text) == "") {
				t.Fatalf("bad article %+v", a)
			}
		}
	})
}

// TestSameCanonicalURLSameID: a page read from an .html file, from a WARC
// record fetched with tracking parameters, and from a feed item linking
// to it with a fragment all get one id, so re-crawls are idempotent.
func TestSameCanonicalURLSameID(t *testing.T) {
	page, err := os.ReadFile("testdata/html/herald.html")
	if err != nil {
		t.Fatal(err)
	}
	const want = "https://www.dailyherald.example/news/2024/03/14/senate-flood-relief-bill/"
	fromFile, _ := readAll(t, HTMLReader{}, "herald.html", page)

	var warc strings.Builder
	ww := &warcWriter{w: &warc}
	if err := ww.response("https://dailyherald.example/news/2024/03/14/senate-flood-relief-bill/?utm_campaign=x", time.Now(), "Content-Type: text/html\r\n", page); err != nil {
		t.Fatal(err)
	}
	fromWARC, _ := readAll(t, WARCReader{}, "c.warc", []byte(warc.String()))

	feed := `<rss><channel><title>The Daily Herald</title><item><title>Senate passes flood relief bill after all-night session</title>
<link>https://WWW.dailyherald.example/news/2024/03/14/senate-flood-relief-bill/?utm_source=rss#comments</link>
<description>The Senate passed a $14 billion flood relief package early Friday after an all-night session.</description></item></channel></rss>`
	fromFeed, _ := readAll(t, FeedReader{}, "f.rss", []byte(feed))

	for name, arts := range map[string][]Article{"html": fromFile, "warc": fromWARC, "feed": fromFeed} {
		if len(arts) != 1 || arts[0].ID != want {
			t.Errorf("%s: %d articles, id %v; want %s", name, len(arts), arts, want)
		}
	}
}
