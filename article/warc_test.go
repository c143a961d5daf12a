package article

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// warcWriter writes WARC 1.1 records, each its own gzip member when gz.
type warcWriter struct {
	w   io.Writer
	gz  bool
	n   int
	gzw *gzip.Writer
}

func (ww *warcWriter) record(typ, uri string, date time.Time, contentType string, block []byte) error {
	ww.n++
	var hdr bytes.Buffer
	fmt.Fprintf(&hdr, "WARC/1.1\r\nWARC-Type: %s\r\n", typ)
	if uri != "" {
		fmt.Fprintf(&hdr, "WARC-Target-URI: %s\r\n", uri)
	}
	fmt.Fprintf(&hdr, "WARC-Date: %s\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-%012d>\r\n", date.UTC().Format(time.RFC3339), ww.n)
	fmt.Fprintf(&hdr, "Content-Type: %s\r\nContent-Length: %d\r\n\r\n", contentType, len(block))
	var out io.Writer = ww.w
	var gz *gzip.Writer
	if ww.gz {
		if ww.gzw == nil {
			ww.gzw = gzip.NewWriter(ww.w)
		} else {
			ww.gzw.Reset(ww.w)
		}
		gz = ww.gzw
		out = gz
	}
	if _, err := out.Write(hdr.Bytes()); err != nil {
		return err
	}
	if _, err := out.Write(block); err != nil {
		return err
	}
	if _, err := io.WriteString(out, "\r\n\r\n"); err != nil {
		return err
	}
	if gz != nil {
		return gz.Close()
	}
	return nil
}

func (ww *warcWriter) response(uri string, date time.Time, headers string, body []byte) error {
	block := append([]byte("HTTP/1.1 200 OK\r\n"+headers+"Content-Length: "+strconv.Itoa(len(body))+"\r\n\r\n"), body...)
	return ww.record("response", uri, date, "application/http; msgtype=response", block)
}

// newsPage returns a small news page; with dated it carries JSON-LD.
func newsPage(i int, dated bool) []byte {
	ld := ""
	if dated {
		ld = fmt.Sprintf(`<script type="application/ld+json">{"@type":"NewsArticle","headline":"Story %d","datePublished":"2024-03-%02dT09:00:00+01:00"}</script>`, i, i%28+1)
	}
	return []byte(fmt.Sprintf(`<!DOCTYPE html><html lang="en"><head><title>Story %d | Test Times</title>%s
<meta property="og:site_name" content="Test Times"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Story %d</h1><div class="share">Share on Facebook</div>
<p>Officials in the capital said on Monday that the new bridge, number %d on the list, would open next spring after years of delay, cost overruns and disputes between contractors.</p>
<p>The transport minister told reporters that the final inspection, which had been postponed twice, would take place in the coming weeks, and that tolls would be waived for the first month.</p>
<p>Residents of the eastern districts, who currently face long detours, welcomed the news, though several said they would believe it only when the first cars crossed the river.</p>
</article><footer>Copyright Test Times</footer></body></html>`, i, ld, i, i))
}

func writeTestWARC(t testing.TB, w io.Writer, gz bool) {
	ww := &warcWriter{w: w, gz: gz}
	crawl := time.Date(2024, 3, 20, 12, 0, 0, 0, time.UTC)
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(ww.record("warcinfo", "", crawl, "application/warc-fields", []byte("software: storyline-test\r\n")))
	must(ww.record("request", "https://testtimes.example/news/1", crawl, "application/http; msgtype=request", []byte("GET /news/1 HTTP/1.1\r\nHost: testtimes.example\r\n\r\n")))
	must(ww.response("https://testtimes.example/news/1?utm_source=x", crawl, "Content-Type: text/html; charset=utf-8\r\n", newsPage(1, true)))
	// An image, a redirect: skipped silently.
	must(ww.record("response", "https://testtimes.example/logo.png", crawl, "application/http; msgtype=response", []byte("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n")))
	must(ww.record("response", "https://testtimes.example/old", crawl, "application/http; msgtype=response", []byte("HTTP/1.1 301 Moved\r\nLocation: /new\r\nContent-Type: text/html\r\n\r\n<a href=/new>moved</a>")))
	// Undated page: date from WARC-Date.
	must(ww.response("https://testtimes.example/news/2", crawl, "Content-Type: text/html\r\n", newsPage(2, false)))
	// Gzip content-encoding and chunked transfer encoding.
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write(newsPage(3, true))
	zw.Close()
	chunked := fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", zb.Len(), zb.Bytes())
	must(ww.record("response", "https://testtimes.example/news/3", crawl, "application/http; msgtype=response",
		[]byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"+chunked)))
	// HTTP/2 status line, resource record.
	must(ww.record("response", "https://testtimes.example/news/4", crawl, "application/http; msgtype=response",
		append([]byte("HTTP/2 200\r\ncontent-type: text/html\r\n\r\n"), newsPage(4, true)...)))
	must(ww.record("resource", "https://testtimes.example/news/5", crawl, "text/html", newsPage(5, true)))
	// Re-crawl of page 1: same canonical URL, same id.
	must(ww.response("https://testtimes.example/news/1", crawl.Add(24*time.Hour), "Content-Type: text/html\r\n", newsPage(1, true)))
}

func TestWARCReader(t *testing.T) {
	for _, gz := range []bool{false, true} {
		t.Run(fmt.Sprintf("gzip=%v", gz), func(t *testing.T) {
			var buf bytes.Buffer
			writeTestWARC(t, &buf, gz)
			arts, rejs := readAll(t, WARCReader{}, "crawl.warc", buf.Bytes())
			if len(rejs) != 0 {
				t.Fatalf("rejections: %v", rejs)
			}
			want := []struct {
				id, published string
				inferred      bool
			}{
				{"https://testtimes.example/news/1", "2024-03-02T09:00:00+01:00", false},
				{"https://testtimes.example/news/2", "2024-03-20T12:00:00Z", true},
				{"https://testtimes.example/news/3", "2024-03-04T09:00:00+01:00", false},
				{"https://testtimes.example/news/4", "2024-03-05T09:00:00+01:00", false},
				{"https://testtimes.example/news/5", "2024-03-06T09:00:00+01:00", false},
				{"https://testtimes.example/news/1", "2024-03-02T09:00:00+01:00", false},
			}
			if len(arts) != len(want) {
				t.Fatalf("got %d articles, want %d", len(arts), len(want))
			}
			for i, w := range want {
				a := arts[i]
				if a.ID != w.id || a.Published.Format(time.RFC3339) != w.published || a.DateInferred != w.inferred {
					t.Errorf("article %d: id %q published %s inferred %v; want %q %s %v", i, a.ID, a.Published.Format(time.RFC3339), a.DateInferred, w.id, w.published, w.inferred)
				}
				if a.Source != "Test Times" || !strings.Contains(a.Text, "Officials in the capital said on Monday") ||
					strings.Contains(a.Text, "Share on") || strings.Contains(a.Text, "Copyright") {
					t.Errorf("article %d: source %q text %q", i, a.Source, a.Text)
				}
				if a.Extra["warc_record_id"] == "" || a.Extra["warc_date"] == "" {
					t.Errorf("article %d: extra %v", i, a.Extra)
				}
			}
		})
	}
}

func TestWARCReaderBadRecords(t *testing.T) {
	var buf bytes.Buffer
	ww := &warcWriter{w: &buf}
	crawl := time.Date(2024, 3, 20, 12, 0, 0, 0, time.UTC)
	ww.response("https://testtimes.example/news/1", crawl, "Content-Type: text/html\r\n", newsPage(1, true))
	// Record 2: garbage header; record 3: bad Content-Length; record 4: bad HTTP status.
	buf.WriteString("WARC/1.1\r\nthis is not a header\r\n\r\nsome body\r\n\r\n")
	buf.WriteString("WARC/1.1\r\nWARC-Type: response\r\nContent-Length: lots\r\n\r\nbody\r\n\r\n")
	ww.record("response", "https://testtimes.example/bad", crawl, "application/http; msgtype=response", []byte("NOT HTTP\r\n\r\n<p>x</p>"))
	ww.response("https://testtimes.example/news/2", crawl, "Content-Type: text/html\r\n", newsPage(2, true))
	// Record 6: truncated at the end of the file.
	var tail bytes.Buffer
	(&warcWriter{w: &tail}).response("https://testtimes.example/news/3", crawl, "Content-Type: text/html\r\n", newsPage(3, true))
	buf.Write(tail.Bytes()[:tail.Len()/2])

	arts, rejs := readAll(t, WARCReader{}, "bad.warc", buf.Bytes())
	if len(arts) != 2 || arts[0].ID != "https://testtimes.example/news/1" || arts[1].ID != "https://testtimes.example/news/2" {
		t.Fatalf("articles: %d %v", len(arts), arts)
	}
	want := []string{"record 2: bad record header line", "record 3: bad Content-Length", "record 4 (https://testtimes.example/bad): bad HTTP status line", "record 6 (https://testtimes.example/news/3): truncated"}
	if len(rejs) != len(want) {
		t.Fatalf("rejections %v, want %d", rejs, len(want))
	}
	for i, r := range rejs {
		if !strings.Contains(r.Error(), want[i]) || r.File != "bad.warc" {
			t.Errorf("rejection %d = %v, want %q", i, r, want[i])
		}
	}
}

func TestWARCReaderCorruptGzip(t *testing.T) {
	var buf bytes.Buffer
	ww := &warcWriter{w: &buf, gz: true}
	crawl := time.Date(2024, 3, 20, 12, 0, 0, 0, time.UTC)
	var starts []int
	for i := 1; i <= 4; i++ { // four members, one record each
		starts = append(starts, buf.Len())
		ww.response(fmt.Sprintf("https://testtimes.example/news/%d", i), crawl, "Content-Type: text/html\r\n", newsPage(i, true))
	}
	b := bytes.Clone(buf.Bytes())
	b[starts[1]+40] ^= 0xff // corrupt the second member's data
	// Garbage between the first and second members.
	b = append(append(append([]byte{}, b[:starts[1]]...), "garbage between members"...), b[starts[1]:]...)
	arts, rejs := readAll(t, WARCReader{}, "c.warc.gz", b)
	var ids []string
	for _, a := range arts {
		ids = append(ids, a.ID)
	}
	want := []string{"https://testtimes.example/news/1", "https://testtimes.example/news/3", "https://testtimes.example/news/4"}
	if strings.Join(ids, " ") != strings.Join(want, " ") {
		t.Errorf("articles %v, want %v", ids, want)
	}
	if len(rejs) != 2 || !strings.Contains(rejs[0].Error(), "not a gzip member") ||
		!strings.Contains(rejs[1].Error(), "corrupt gzip member") {
		t.Errorf("rejections %v", rejs)
	}
}

func TestWARCReaderTruncatedGzip(t *testing.T) {
	var buf bytes.Buffer
	ww := &warcWriter{w: &buf, gz: true}
	crawl := time.Date(2024, 3, 20, 12, 0, 0, 0, time.UTC)
	ww.response("https://testtimes.example/news/1", crawl, "Content-Type: text/html\r\n", newsPage(1, true))
	n := buf.Len()
	ww.response("https://testtimes.example/news/2", crawl, "Content-Type: text/html\r\n", newsPage(2, true))
	arts, rejs := readAll(t, WARCReader{}, "t.warc.gz", buf.Bytes()[:n+(buf.Len()-n)/2])
	if len(arts) != 1 || len(rejs) != 1 || !strings.Contains(rejs[0].Error(), "record 2") {
		t.Fatalf("arts %d rejs %v", len(arts), rejs)
	}
}

var warcGzip = flag.Bool("warc.gzip", true, "gzip the WARC generated by TestWARCStreamFlatMemory (one member per record)")

var warcSize = flag.String("warc.size", "8MB", "size of the generated WARC streamed by TestWARCStreamFlatMemory (e.g. 500MB)")

// peakRSS returns the process's peak resident set size in bytes (VmHWM).
func peakRSS(t testing.TB) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatalf("peak RSS: %v", err)
	}
	for _, ln := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(ln, "VmHWM:") {
			kb, _ := strconv.ParseInt(strings.Fields(ln)[1], 10, 64)
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc/self/status")
	return 0
}

// TestWARCStreamFlatMemory generates a WARC of -warc.size in a temp dir,
// streams it, and checks that every page became an article while the
// peak RSS grew by less than 64 MB.
func TestWARCStreamFlatMemory(t *testing.T) {
	size, err := parseSize(*warcSize)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "big.warc")
	if *warcGzip {
		path += ".gz"
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	ww := &warcWriter{w: bw, gz: *warcGzip}
	crawl := time.Date(2024, 3, 20, 12, 0, 0, 0, time.UTC)
	pages := 0
	raw := int64(0)
	for raw < size {
		// Mostly full-weight pages (~110 KB), every tenth a small one.
		var p []byte
		if pages%10 == 9 {
			p = newsPage(pages, true)
		} else {
			p = heavyPage(pages)
		}
		if err := ww.response(fmt.Sprintf("https://testtimes.example/news/%d", pages), crawl, "Content-Type: text/html\r\n", p); err != nil {
			t.Fatal(err)
		}
		raw += int64(len(p)) + 300
		pages++
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	st, _ := os.Stat(path)

	runtime.GC()
	// Reset the peak to the current RSS so generation does not count.
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	before := peakRSS(t)
	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	n, rej := 0, 0
	start := time.Now()
	err = WARCReader{}.Read(context.Background(), path, in, Sink{
		Article: func(a Article) error { n++; return nil },
		Reject:  func(r Rejection) { rej++; t.Error(r) },
	})
	el := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	after := peakRSS(t)
	t.Logf("WARC %s uncompressed (%.1f MB on disk): %d pages in %v (%.0f pages/s, %.1f MB/s uncompressed); peak RSS %.1f MB before, %.1f MB after",
		*warcSize, float64(st.Size())/1e6, n, el.Round(time.Millisecond), float64(n)/el.Seconds(), float64(raw)/1e6/el.Seconds(), float64(before)/1e6, float64(after)/1e6)
	if n != pages || rej != 0 {
		t.Errorf("read %d articles, %d rejections; wrote %d pages", n, rej, pages)
	}
	if growth := after - before; growth > 64<<20 {
		t.Errorf("peak RSS grew by %.1f MB while streaming: memory is not flat", float64(growth)/1e6)
	}
}

func parseSize(s string) (int64, error) {
	mult := int64(1)
	u := strings.ToUpper(s)
	switch {
	case strings.HasSuffix(u, "GB"):
		mult, u = 1e9, strings.TrimSuffix(u, "GB")
	case strings.HasSuffix(u, "MB"):
		mult, u = 1e6, strings.TrimSuffix(u, "MB")
	case strings.HasSuffix(u, "KB"):
		mult, u = 1e3, strings.TrimSuffix(u, "KB")
	}
	v, err := strconv.ParseInt(u, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bad -warc.size %q", s)
	}
	return v * mult, nil
}

func FuzzWARCReader(f *testing.F) {
	var plain, gz bytes.Buffer
	writeTestWARC(f, &plain, false)
	writeTestWARC(f, &gz, true)
	f.Add(plain.Bytes())
	f.Add(gz.Bytes())
	f.Add([]byte("WARC/1.0\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		arts, _ := readAll(t, WARCReader{}, "f.warc", data)
		for _, a := range arts {
			if a.ID == "" || strings.TrimSpace(a.Text) == "" {
				t.Fatalf("bad article %+v", a)
			}
		}
	})
}

func TestWARCReaderSinkStops(t *testing.T) {
	var buf bytes.Buffer
	ww := &warcWriter{w: &buf}
	crawl := time.Date(2024, 3, 20, 12, 0, 0, 0, time.UTC)
	for i := 0; i < 50; i++ {
		ww.response(fmt.Sprintf("https://testtimes.example/news/%d", i), crawl, "Content-Type: text/html\r\n", newsPage(i, true))
	}
	stop := fmt.Errorf("store full")
	n := 0
	err := WARCReader{}.Read(context.Background(), "s.warc", bytes.NewReader(buf.Bytes()), Sink{
		Article: func(a Article) error {
			n++
			if want := fmt.Sprintf("https://testtimes.example/news/%d", n-1); a.ID != want {
				t.Errorf("article %d out of order: %s", n, a.ID)
			}
			if n == 3 {
				return stop
			}
			return nil
		},
		Reject: func(r Rejection) { t.Error(r) },
	})
	if !errors.Is(err, stop) || n != 3 {
		t.Fatalf("err %v after %d articles; want the sink's error after 3", err, n)
	}
}
