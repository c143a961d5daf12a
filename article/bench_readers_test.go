package article

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkArticleFromHTML measures extraction on the test pages (all of
// them per iteration; reported per page).
func BenchmarkArticleFromHTML(b *testing.B) {
	files, _ := filepath.Glob("testdata/html/*.html")
	var pages [][]byte
	total := 0
	for _, f := range files {
		p, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, p)
		total += len(p)
	}
	b.SetBytes(int64(total / len(pages)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := pages[i%len(pages)]
		if _, err := ArticleFromHTML(p, "", ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDetectLang(b *testing.B) {
	for _, tc := range []struct{ name, text string }{
		{"en", strings.Repeat("The transport minister told reporters that the final inspection, which had been postponed twice, would take place in the coming weeks. ", 20)},
		{"fr", strings.Repeat("Le ministre des transports a déclaré que l'inspection finale, reportée deux fois, aurait lieu dans les prochaines semaines. ", 20)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				DetectLang(tc.text)
			}
		})
	}
}

// heavyPage builds a page of realistic weight (~150 KB): a long menu,
// inline scripts and styles, a related-stories grid and comments around
// an eight-paragraph story.
func heavyPage(i int) []byte {
	var sb strings.Builder
	sb.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Heavy story | Big Site</title>`)
	sb.WriteString(`<meta property="og:site_name" content="Big Site"><link rel="canonical" href="https://bigsite.example/2024/03/14/heavy-story-`)
	sb.WriteString(strconv.Itoa(i))
	sb.WriteString(`/"><script type="application/ld+json">{"@type":"NewsArticle","headline":"Heavy story","datePublished":"2024-03-14T09:00:00-04:00","author":{"name":"A. Writer"}}</script>`)
	for k := 0; k < 20; k++ {
		sb.WriteString("<script>var config" + strconv.Itoa(k) + " = {a:1,b:[1,2,3],c:'" + strings.Repeat("x", 2000) + "'};</script>")
		sb.WriteString("<style>.c" + strconv.Itoa(k) + "{color:red;margin:0 auto;" + strings.Repeat("padding:1px;", 100) + "}</style>")
	}
	sb.WriteString(`</head><body><header><nav><ul>`)
	for k := 0; k < 300; k++ {
		sb.WriteString(`<li class="menu-item"><a href="/section/` + strconv.Itoa(k) + `">Section ` + strconv.Itoa(k) + `</a></li>`)
	}
	sb.WriteString(`</ul></nav></header><div class="wrap"><div class="grid"><main><article><h1>Heavy story</h1><div class="article-body">`)
	for k := 0; k < 8; k++ {
		sb.WriteString(`<p>Officials in the capital said on Monday that the new bridge would open next spring after years of delay, cost overruns and disputes between contractors, and that tolls would be waived for the first month.</p>`)
		sb.WriteString(`<div class="ad-slot"><span>Advertisement</span></div>`)
	}
	sb.WriteString(`</div></article><section class="related">`)
	for k := 0; k < 60; k++ {
		sb.WriteString(`<div class="card"><a href="/story/` + strconv.Itoa(k) + `"><img src="/i.jpg"><h3>Another story headline that is fairly long ` + strconv.Itoa(k) + `</h3></a><p>A short teaser for the story, one line long.</p></div>`)
	}
	sb.WriteString(`</section><section class="comments">`)
	for k := 0; k < 40; k++ {
		sb.WriteString(`<div class="comment"><b>user` + strconv.Itoa(k) + `</b><p>I think this bridge is a waste of money, and the government should have spent it on schools, hospitals and the railway instead.</p></div>`)
	}
	sb.WriteString(`</section></main></div></div><footer>` + strings.Repeat(`<a href="/x">Footer link</a> `, 100) + `</footer></body></html>`)
	return []byte(sb.String())
}

// BenchmarkArticleFromHTMLHeavy measures extraction on ~150 KB pages.
func BenchmarkArticleFromHTMLHeavy(b *testing.B) {
	p := heavyPage(1)
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ArticleFromHTML(p, "", ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHTMLReaderParallel measures page ingest throughput with all
// cores (GOMAXPROCS) reading heavy pages through HTMLReader.
func BenchmarkHTMLReaderParallel(b *testing.B) {
	p := heavyPage(1)
	b.SetBytes(int64(len(p)))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			err := HTMLReader{}.Read(context.Background(), "p.html", bytes.NewReader(p), Sink{
				Article: func(Article) error { return nil },
				Reject:  func(r Rejection) { b.Error(r) },
			})
			if err != nil {
				b.Error(err)
			}
		}
	})
}

// BenchmarkFeedReader reads an RSS feed of 500 items with 1.5 KB of HTML
// content each; reported per item.
func BenchmarkFeedReader(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Bench Wire</title>`)
	for i := 0; i < 500; i++ {
		sb.WriteString(`<item><title>Story ` + strconv.Itoa(i) + `</title><link>https://bench.example/` + strconv.Itoa(i) + `</link><pubDate>Thu, 02 May 2024 18:20:00 -0400</pubDate><content:encoded><![CDATA[`)
		for k := 0; k < 6; k++ {
			sb.WriteString(`<p>Port workers returned to work on Thursday after union leaders and terminal operators agreed on a new wage deal, ending a three-day strike that had left dozens of ships waiting.</p>`)
		}
		sb.WriteString(`]]></content:encoded></item>`)
	}
	sb.WriteString(`</channel></rss>`)
	feed := []byte(sb.String())
	b.SetBytes(int64(len(feed) / 500))
	b.ResetTimer()
	for i := 0; i < b.N; i += 500 {
		n := 0
		err := FeedReader{}.Read(context.Background(), "b.rss", bytes.NewReader(feed), Sink{
			Article: func(Article) error { n++; return nil },
			Reject:  func(r Rejection) { b.Error(r) },
		})
		if err != nil || n != 500 {
			b.Fatal(err, n)
		}
	}
}
