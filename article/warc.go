package article

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httputil"
	"net/textproto"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MaxWARCHeaderBytes bounds the header block of one WARC record.
const MaxWARCHeaderBytes = 64 << 10

// WARCReader reads WARC 1.0/1.1 files, plain or gzip-compressed (one
// gzip member per record or the whole file). Every HTML response record
// (HTTP 2xx, Content-Type text/html or application/xhtml+xml) and every
// HTML resource record becomes an article, with the URL from
// WARC-Target-URI (unless the page names a canonical URL) and the date
// from the page, or else the WARC-Date (then DateInferred is set, since
// the crawl date only bounds the publication date).
//
// Records are streamed: memory stays flat whatever the file size; pages
// are extracted on GOMAXPROCS goroutines, a few pages in flight, and
// reach the sink in file order. Other records (requests, metadata,
// images, redirects, pages without article text) are skipped, logged at
// debug level. A malformed record is rejected, naming its number, and
// reading resumes at the next "WARC/" header line. A .warc.gz is read
// gzip member by member: a corrupt member is rejected and reading resumes
// at the next one.
type WARCReader struct{}

func init() {
	Register(".warc", WARCReader{})
	Register(".warc.gz", WARCReader{})
}

// warcRecord is one record's header.
type warcRecord struct {
	typ, targetURI, date, id, contentType string
	length                                int64
}

// Read implements Reader.
func (WARCReader) Read(ctx context.Context, name string, r io.Reader, s Sink) error {
	raw := bufio.NewReaderSize(r, 64<<10)
	wr := &warcStream{br: raw, name: name, sink: s}
	if magic, _ := raw.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		wr.raw = raw
		wr.br = bufio.NewReaderSize(nil, 64<<10)
	}
	return wr.run(ctx)
}

type warcStream struct {
	br   *bufio.Reader // the (decompressed) WARC records
	raw  *bufio.Reader // the gzip stream, nil for a plain WARC
	name string
	sink Sink
	http *bufio.Reader // reused for each record's HTTP message
}

func (w *warcStream) reject(n int, uri string, err error) {
	if uri != "" {
		err = fmt.Errorf("record %d (%s): %w", n, uri, err)
	} else {
		err = fmt.Errorf("record %d: %w", n, err)
	}
	w.sink.Reject(Rejection{File: w.name, Err: err})
}

// warcJob is one record on its way to the sink, in file order. Either
// err/rejErr is set at once by the reading goroutine, or a worker fills
// the result from page.
type warcJob struct {
	n           int
	rec         warcRecord
	page        *bytes.Buffer
	contentType string
	rejErr      error // a rejection found while reading
	done        chan warcResult
}

type warcResult struct {
	a   Article
	ok  bool
	err error
}

// run reads records in this goroutine's helper and extracts pages on
// GOMAXPROCS workers; articles and rejections reach the sink in file
// order, from the calling goroutine. At most a few pages are in flight.
func (w *warcStream) run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := runtime.GOMAXPROCS(0)
	order := make(chan *warcJob, 2*workers)
	work := make(chan *warcJob, workers)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				a, ok, err := w.build(j.rec, j.page.Bytes(), j.contentType)
				putPageBuf(j.page)
				j.done <- warcResult{a, ok, err}
			}
		}()
	}
	readErr := make(chan error, 1)
	go func() {
		defer close(order)
		defer close(work)
		readErr <- w.read(ctx, order, work)
	}()
	var sinkErr error
	for j := range order {
		if sinkErr != nil {
			if j.page != nil {
				<-j.done
			}
			continue // drain
		}
		res := warcResult{err: j.rejErr}
		if j.page != nil {
			res = <-j.done
		}
		switch {
		case res.err != nil:
			w.reject(j.n, j.rec.targetURI, res.err)
		case res.ok:
			if err := w.sink.Article(res.a); err != nil {
				sinkErr = stopError{err}
				cancel()
			}
		}
	}
	wg.Wait()
	if sinkErr != nil {
		return sinkErr
	}
	return <-readErr
}

// read walks the records, queueing each page or rejection on order (and
// pages on work too).
func (w *warcStream) read(ctx context.Context, order, work chan<- *warcJob) error {
	send := func(j *warcJob) error {
		select {
		case order <- j:
		case <-ctx.Done():
			if j.page != nil {
				putPageBuf(j.page)
			}
			return ctx.Err()
		}
		if j.page != nil {
			work <- j // never blocks for long: workers drain it
		}
		return nil
	}
	n := 0
	if w.raw == nil {
		err := w.records(ctx, send, &n)
		var se streamError
		if errors.As(err, &se) {
			return send(&warcJob{n: n, rec: warcRecord{targetURI: se.uri}, rejErr: fmt.Errorf("read: %w; rest of the file unread", se.err)})
		}
		return err
	}
	// A .warc.gz is read member by member (normally one record each), so a
	// corrupt member costs only its own records.
	gz := new(gzip.Reader)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := w.raw.Peek(1); err != nil {
			return nil // end of file
		}
		if err := gz.Reset(w.raw); err != nil {
			n++
			if err := send(&warcJob{n: n, rejErr: fmt.Errorf("not a gzip member (%v); skipped to the next member", err)}); err != nil {
				return err
			}
			if !w.skipToMember() {
				return nil
			}
			continue
		}
		gz.Multistream(false)
		w.br.Reset(gz)
		err := w.records(ctx, send, &n)
		var se streamError
		if errors.As(err, &se) {
			if err := send(&warcJob{n: n, rec: warcRecord{targetURI: se.uri}, rejErr: fmt.Errorf("corrupt gzip member (%v); skipped to the next member", se.err)}); err != nil {
				return err
			}
			if !w.skipToMember() {
				return nil
			}
			continue
		}
		if err != nil {
			return err
		}
	}
}

// streamError is a failure of the stream under the records (corrupt gzip,
// file ending inside a record header).
type streamError struct {
	err error
	uri string
}

func (e streamError) Error() string { return e.err.Error() }
func (e streamError) Unwrap() error { return e.err }

// skipToMember advances the raw stream to the next gzip member header; false
// at the end of the file.
func (w *warcStream) skipToMember() bool {
	for {
		b, _ := w.raw.Peek(3)
		if len(b) < 3 {
			return false
		}
		if b[0] == 0x1f && b[1] == 0x8b && b[2] == 8 {
			return true
		}
		if _, err := w.raw.Discard(1); err != nil {
			return false
		}
	}
}

// records reads the records of w.br until its end, counting them in n:
// nil at the end, a streamError when the stream under them fails (the
// caller reports it), or the context's or sink's error.
func (w *warcStream) records(ctx context.Context, send func(*warcJob) error, n *int) error {
	resync := false
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := w.readHeader(resync)
		if err == io.EOF {
			return nil
		}
		*n++
		if err != nil {
			if isStreamError(err) {
				return streamError{err: err}
			}
			resync = true
			if err := send(&warcJob{n: *n, rejErr: err}); err != nil {
				return err
			}
			continue
		}
		resync = false
		block := io.LimitReader(w.br, rec.length)
		page, ct, perr := w.payload(rec, block)
		// Skip what payload did not read.
		if _, derr := io.Copy(io.Discard, block); derr != nil {
			if page != nil {
				putPageBuf(page)
			}
			return streamError{err: derr, uri: rec.targetURI}
		}
		if lr := block.(*io.LimitedReader); lr.N > 0 {
			if page != nil {
				putPageBuf(page)
			}
			return send(&warcJob{n: *n, rec: rec, rejErr: fmt.Errorf("truncated: %d of %d bytes missing", lr.N, rec.length)})
		}
		switch {
		case perr != nil:
			err = send(&warcJob{n: *n, rec: rec, rejErr: perr})
		case page != nil:
			err = send(&warcJob{n: *n, rec: rec, page: page, contentType: ct, done: make(chan warcResult, 1)})
		}
		if err != nil {
			return err
		}
	}
}

// isStreamError reports errors of the underlying stream (gzip, I/O) after
// which no record boundary can be found again.
func isStreamError(err error) bool {
	var ce flate.CorruptInputError
	return errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.As(err, &ce)
}

// readLine reads one line without its terminator, at most max bytes.
func (w *warcStream) readLine(max int) (string, error) {
	var sb []byte
	for {
		chunk, isPrefix, err := w.br.ReadLine()
		if err != nil {
			if err == io.EOF && len(sb) > 0 {
				return string(sb), nil
			}
			return "", err
		}
		if len(sb)+len(chunk) > max {
			// Consume the rest of the over-long line.
			for isPrefix {
				if _, isPrefix, err = w.br.ReadLine(); err != nil {
					return "", err
				}
			}
			return "", errLongLine
		}
		sb = append(sb, chunk...)
		if !isPrefix {
			return string(sb), nil
		}
	}
}

var errLongLine = errors.New("header line too long")

// readHeader reads the version line and named fields of the next record.
// With resync it first skips everything up to a line starting "WARC/".
func (w *warcStream) readHeader(resync bool) (warcRecord, error) {
	var rec warcRecord
	var line string
	var err error
	for {
		line, err = w.readLine(MaxWARCHeaderBytes)
		if err == errLongLine {
			if resync {
				continue
			}
			return rec, fmt.Errorf("bad record header: %w", err)
		}
		if err != nil {
			return rec, err
		}
		if strings.HasPrefix(line, "WARC/") {
			break
		}
		if strings.TrimSpace(line) == "" || resync {
			continue // blank lines between records, or skipping junk
		}
		return rec, fmt.Errorf("bad record header: want a WARC/1.x version line, got %q", truncate(line, 40))
	}
	if v := strings.TrimSpace(line); v != "WARC/1.0" && v != "WARC/1.1" && v != "WARC/0.18" {
		return rec, fmt.Errorf("unsupported WARC version %q", truncate(v, 20))
	}
	size := 0
	rec.length = -1
	for {
		line, err = w.readLine(MaxWARCHeaderBytes)
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return rec, fmt.Errorf("bad record header: %w", err)
		}
		size += len(line)
		if size > MaxWARCHeaderBytes {
			return rec, errors.New("bad record header: larger than 64 KB")
		}
		if line == "" {
			break
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return rec, fmt.Errorf("bad record header line %q", truncate(line, 40))
		}
		v = strings.TrimSpace(v)
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "warc-type":
			rec.typ = strings.ToLower(v)
		case "warc-target-uri":
			rec.targetURI = strings.Trim(v, "<>")
		case "warc-date":
			rec.date = v
		case "warc-record-id":
			rec.id = v
		case "content-type":
			rec.contentType = strings.ToLower(v)
		case "content-length":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return rec, fmt.Errorf("bad Content-Length %q", truncate(v, 20))
			}
			rec.length = n
		}
	}
	if rec.length < 0 {
		return rec, errors.New("record has no Content-Length")
	}
	return rec, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// payload reads the HTML page of a record into a pooled buffer; nil
// (with a nil error) for records that are not HTML pages.
func (w *warcStream) payload(rec warcRecord, block io.Reader) (*bytes.Buffer, string, error) {
	var contentType string
	var body io.Reader
	switch {
	case rec.typ == "response" && strings.HasPrefix(rec.contentType, "application/http"):
		if w.http == nil {
			w.http = bufio.NewReaderSize(block, 8<<10)
		} else {
			w.http.Reset(block)
		}
		tp := textproto.NewReader(w.http)
		status, err := tp.ReadLine()
		if err != nil {
			return nil, "", fmt.Errorf("bad HTTP response: %w", err)
		}
		code, ok := httpStatus(status)
		if !ok {
			return nil, "", fmt.Errorf("bad HTTP status line %q", truncate(status, 40))
		}
		hdr, err := tp.ReadMIMEHeader()
		if err != nil && len(hdr) == 0 {
			return nil, "", fmt.Errorf("bad HTTP headers: %w", err)
		}
		contentType = hdr.Get("Content-Type")
		if code < 200 || code > 299 || !isHTMLType(contentType) {
			slog.Debug("warc: skip record", "file", w.name, "uri", rec.targetURI, "status", code, "type", contentType)
			return nil, "", nil
		}
		body = w.http
		if strings.Contains(strings.ToLower(hdr.Get("Transfer-Encoding")), "chunked") {
			body = httputil.NewChunkedReader(body)
		}
		switch enc := strings.ToLower(strings.TrimSpace(hdr.Get("Content-Encoding"))); enc {
		case "", "identity", "none":
		case "gzip", "x-gzip":
			gz, err := gzip.NewReader(body)
			if err != nil {
				return nil, "", fmt.Errorf("gzip-encoded page: %w", err)
			}
			body = gz
		case "deflate":
			zr, err := zlib.NewReader(body)
			if err != nil {
				return nil, "", fmt.Errorf("deflate-encoded page: %w", err)
			}
			body = zr
		default:
			return nil, "", fmt.Errorf("unsupported Content-Encoding %q", enc)
		}
	case rec.typ == "resource" && isHTMLType(rec.contentType):
		contentType, body = rec.contentType, block
	default:
		return nil, "", nil
	}
	buf := pageBufs.Get().(*bytes.Buffer)
	buf.Reset()
	n, err := buf.ReadFrom(io.LimitReader(body, int64(MaxHTMLBytes)+1))
	if err != nil {
		putPageBuf(buf)
		return nil, "", fmt.Errorf("read page: %w", err)
	}
	if n > int64(MaxHTMLBytes) {
		putPageBuf(buf)
		return nil, "", fmt.Errorf("page larger than %d bytes", MaxHTMLBytes)
	}
	return buf, contentType, nil
}

var pageBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putPageBuf(b *bytes.Buffer) {
	if b.Cap() <= 4<<20 { // do not keep one huge page's buffer
		pageBufs.Put(b)
	}
}

// build extracts the article of one record's page; ok is false for pages
// without article text.
func (w *warcStream) build(rec warcRecord, page []byte, contentType string) (Article, bool, error) {
	a, err := ArticleFromHTML(page, rec.targetURI, contentType)
	if err != nil {
		if strings.HasPrefix(err.Error(), "no main text") {
			slog.Debug("warc: skip page without article text", "file", w.name, "uri", rec.targetURI)
			return a, false, nil
		}
		return a, false, err
	}
	if a.ID == "" {
		a.ID = strings.Trim(rec.id, "<>")
	}
	if a.Extra == nil {
		a.Extra = map[string]string{}
	}
	if rec.id != "" {
		a.Extra["warc_record_id"] = strings.Trim(rec.id, "<>")
	}
	if rec.date != "" {
		a.Extra["warc_date"] = rec.date
	}
	if a.Published.IsZero() && rec.date != "" {
		if t, err := time.Parse(time.RFC3339Nano, rec.date); err == nil {
			a.Published, a.DateInferred = t, true
			a.Extra["date_source"] = "warc-date"
		}
	}
	return a, true, nil
}

// httpStatus parses "HTTP/1.1 200 OK" or "HTTP/2 200".
func httpStatus(line string) (int, bool) {
	if !strings.HasPrefix(line, "HTTP/") {
		return 0, false
	}
	_, rest, ok := strings.Cut(line, " ")
	if !ok {
		return 0, false
	}
	rest = strings.TrimSpace(rest)
	if len(rest) < 3 {
		return 0, false
	}
	code, err := strconv.Atoi(rest[:3])
	if err != nil || code < 100 || code > 999 {
		return 0, false
	}
	return code, true
}

func isHTMLType(ct string) bool {
	ct = strings.ToLower(ct)
	return strings.HasPrefix(ct, "text/html") || strings.HasPrefix(ct, "application/xhtml")
}
