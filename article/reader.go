package article

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// MaxTextBytes is the largest article body accepted. Larger articles are
// rejected with a message rather than silently truncated.
var MaxTextBytes = 4 << 20

// MaxLineBytes bounds one record of a line-oriented input (JSONL).
var MaxLineBytes = MaxTextBytes + 1<<20

// Sink receives what a Reader produces. Article is called for each good
// article and Reject for each record that could not be used; returning an
// error from Article stops the reader.
type Sink struct {
	Article func(Article) error
	Reject  func(Rejection)
}

// A Reader turns one named input stream into articles.
type Reader interface {
	// Read reads all articles in r. name is used in messages and, for
	// single-article formats, to derive the article id.
	Read(ctx context.Context, name string, r io.Reader, s Sink) error
}

var (
	regMu   sync.RWMutex
	readers = map[string]Reader{}
)

// Register makes a Reader available for files whose name ends in ext
// (e.g. ".txt", ".warc.gz"). Registering an extension twice replaces it.
func Register(ext string, r Reader) {
	regMu.Lock()
	defer regMu.Unlock()
	readers[strings.ToLower(ext)] = r
}

// ReaderFor returns the Reader registered for path's extension (longest
// matching suffix wins), or nil.
func ReaderFor(path string) Reader {
	regMu.RLock()
	defer regMu.RUnlock()
	lp := strings.ToLower(path)
	var best Reader
	bestLen := 0
	for ext, r := range readers {
		if strings.HasSuffix(lp, ext) && len(ext) > bestLen {
			best, bestLen = r, len(ext)
		}
	}
	return best
}

// Extensions lists the registered extensions, sorted.
func Extensions() []string {
	regMu.RLock()
	defer regMu.RUnlock()
	out := make([]string, 0, len(readers))
	for e := range readers {
		out = append(out, e)
	}
	sort.Strings(out)
	return out
}

func init() {
	Register(".txt", TextReader{})
	Register(".jsonl", JSONLReader{})
	Register(".ndjson", JSONLReader{})
}

// ReadPaths reads files and directories (recursively, in lexical order)
// with the registered readers. Files with no registered reader inside a
// directory are skipped; a file named explicitly with no reader, or a file
// that cannot be opened, is rejected. "-" reads JSONL from stdin.
func ReadPaths(ctx context.Context, paths []string, s Sink) error {
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		if p == "-" {
			if err := (JSONLReader{}).Read(ctx, "<stdin>", os.Stdin, s); err != nil {
				return err
			}
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			s.Reject(Rejection{File: p, Err: err})
			continue
		}
		if !st.IsDir() {
			if err := readFile(ctx, p, true, s); err != nil {
				return err
			}
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				s.Reject(Rejection{File: path, Err: err})
				return nil
			}
			if d.IsDir() {
				if path != p && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			return readFile(ctx, path, false, s)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func readFile(ctx context.Context, path string, explicit bool, s Sink) error {
	rd := ReaderFor(path)
	if rd == nil {
		if explicit {
			s.Reject(Rejection{File: path, Err: fmt.Errorf("unsupported file type (supported: %s)", strings.Join(Extensions(), " "))})
		}
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		s.Reject(Rejection{File: path, Err: err})
		return nil
	}
	defer f.Close()
	if !explicit {
		// Inside a directory, a file that merely shares an extension with
		// a format (a sitemap .xml) is not an input: skip it quietly.
		inner := s.Reject
		s.Reject = func(r Rejection) {
			var nf ErrNotThisFormat
			if errors.As(r.Err, &nf) && r.Line == 0 {
				slog.Debug("skipped", "file", r.File, "reason", r.Err)
				return
			}
			inner(r)
		}
	}
	return rd.Read(ctx, path, f, s)
}

// ErrNotThisFormat is the error of a Rejection for a file whose extension
// names a format its content is not in (an .xml that is not a feed). Such
// files are skipped when found in a directory and rejected when named.
type ErrNotThisFormat struct{ Err error }

func (e ErrNotThisFormat) Error() string { return e.Err.Error() }
func (e ErrNotThisFormat) Unwrap() error { return e.Err }

// errStop marks an error returned by the sink, which must stop reading.
type stopError struct{ err error }

func (e stopError) Error() string { return e.err.Error() }
func (e stopError) Unwrap() error { return e.err }

// IsBinary reports whether b looks like binary data rather than text: it
// holds a NUL byte or many control characters.
func IsBinary(b []byte) bool {
	if len(b) > 8192 {
		b = b[:8192]
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return true
	}
	ctl := 0
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			ctl++
		}
	}
	return len(b) > 0 && ctl*100 > len(b)*5
}

// checkUTF8 returns an error naming the byte offset of the first invalid
// UTF-8 sequence in b.
func checkUTF8(b []byte) error {
	if utf8.Valid(b) {
		return nil
	}
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return fmt.Errorf("invalid UTF-8 at byte %d (convert the input to UTF-8, e.g. with iconv)", i)
		}
		i += n
	}
	return errors.New("invalid UTF-8")
}

// readLimited reads all of r but at most limit bytes; it reports whether
// the input was longer.
func readLimited(r io.Reader, limit int) ([]byte, bool, error) {
	b, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, false, err
	}
	if len(b) > limit {
		return b[:limit], true, nil
	}
	return b, false, nil
}

// lineReader yields lines of at most max bytes; longer lines are
// consumed and reported as too long.
type lineReader struct {
	br  *bufio.Reader
	max int
}

// next returns the next line without its terminator, whether it exceeded
// max (in which case line is nil), and io.EOF at the end.
func (l *lineReader) next() (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, isPrefix, err := l.br.ReadLine()
		if err != nil {
			if err == io.EOF && (len(buf) > 0 || tooLong) {
				return buf, tooLong, nil
			}
			return nil, false, err
		}
		if !tooLong {
			if len(buf)+len(chunk) > l.max {
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if !isPrefix {
			if tooLong {
				return nil, true, nil
			}
			if buf == nil {
				buf = []byte{}
			}
			return buf, false, nil
		}
	}
}
