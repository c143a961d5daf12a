package timex

import (
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// lookupMap is lookup over the lexicon map, the reference for lookup.
func lookupMap(word string, buf *[32]byte) entry {
	if len(word) > len(buf) {
		return entry{}
	}
	for i := 0; i < len(word); i++ {
		c := word[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	e, ok := lexicon[string(buf[:len(word)])]
	if !ok && len(word) > 4 && buf[len(word)-1] == 'd' && buf[len(word)-2] == 'e' && buf[len(word)-3] != 'e' {
		// a regular past form ("reported", "announced") is a past-tense cue
		e.tense = tensePast
	}
	return e
}

// TestLookupTable checks lookup against the map lookup it replaced, on
// every lexicon word in three casings, their "-ed" forms and prefixes,
// the words of the test texts, and random words.
func TestLookupTable(t *testing.T) {
	var words []string
	for w := range lexicon {
		words = append(words, w, strings.ToUpper(w), strings.ToUpper(w[:1])+w[1:], w+"ed", w+"d", w[:len(w)-1], w+"s")
	}
	words = append(words, "", "reported", "REPORTED", "agreed", "fled", "bed", "ed", "shed", "announced",
		strings.Repeat("a", 32), strings.Repeat("a", 33), strings.Repeat("x", 31)+"ed", "d\xc3\xa9cembre", "caf\xc3\xa9")
	in, err := os.ReadFile(filepath.Join("testdata", "news.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, txt := range []string{string(in)} {
		for _, tk := range tokenize(txt, nil) {
			if tk.kind == kWord {
				words = append(words, txt[tk.s:tk.e])
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const letters = "abcdefghijklmnopqrstuvwxyzDE"
	for range 200000 {
		b := make([]byte, 1+rng.IntN(10))
		for i := range b {
			b[i] = letters[rng.IntN(len(letters))]
		}
		words = append(words, string(b))
	}
	pieces := []string{"a", "e", "d", "E", "D", "ed", "ED", "x", "Q", "\xc3\xa9", "\xff", "mon", "day", "Year"}
	for range 100000 {
		var b strings.Builder
		for range 1 + rng.IntN(20) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		words = append(words, b.String())
	}
	var b1, b2 [32]byte
	for _, w := range words {
		if got, want := lookup(w, &b1), lookupMap(w, &b2); got != want {
			t.Fatalf("lookup(%q) = %+v, want %+v", w, got, want)
		}
	}
}

// TestIsASCII checks tagger.is and isAny against strings.EqualFold (its reference)
// on words that fold to ASCII from other lengths, and that every word the
// rules pass to is or isAny is ASCII, as is requires.
func TestIsASCII(t *testing.T) {
	text := "K \u212a \u212aelvin \u017fince \u017fAID said SAID Said sai saids caf\u00e9 week weeks \u212aM"
	toks := tokenize(text, nil)
	tg := newTagger(text, toks, time.Time{})
	for _, w := range []string{"k", "kelvin", "since", "said", "sai", "saids", "km", "week", "weeks", "", "cafe"} {
		for i := -1; i <= len(toks); i++ {
			want := i >= 0 && i < len(toks) && toks[i].kind == kWord && strings.EqualFold(tg.word(i), w)
			if got := tg.is(i, w); got != want {
				t.Errorf("is(%d %q, %q) = %v, want %v", i, tg.word(i), w, got, want)
			}
			for _, ws := range [][]string{{w}, {"x", w}, {w, "said"}, {"q", "zz"}, nil} {
				want := false
				for _, x := range ws {
					want = want || i >= 0 && i < len(toks) && toks[i].kind == kWord && strings.EqualFold(tg.word(i), x)
				}
				if got := tg.isAny(i, ws...); got != want {
					t.Errorf("isAny(%d %q, %q) = %v, want %v", i, tg.word(i), ws, got, want)
				}
			}
		}
	}
	fset := gotoken.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(nd ast.Node) bool {
			call, ok := nd.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "is" && sel.Sel.Name != "isAny" || len(call.Args) < 2 {
				return true
			}
			for _, a := range call.Args[1:] {
				lit, ok := a.(*ast.BasicLit)
				if !ok {
					if id, isID := a.(*ast.Ident); isID && id.Name == "w" && sel.Sel.Name == "is" {
						continue // isAny passing its own words on
					}
					t.Errorf("%s: %s called with a non-literal word", fset.Position(a.Pos()), sel.Sel.Name)
					continue
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				for k := 0; k < len(s); k++ {
					if s[k] >= 0x80 {
						t.Errorf("%s: %s called with non-ASCII %q", fset.Position(a.Pos()), sel.Sel.Name, s)
					}
				}
				n++
			}
			return true
		})
	}
	if n < 100 {
		t.Errorf("found %d words passed to is/isAny, want the rules' (> 100)", n)
	}
}

// TestBit checks bit against the shifting loop it replaced.
func TestBit(t *testing.T) {
	ref := func(c uint32) int {
		n := 0
		for c > 1 {
			c >>= 1
			n++
		}
		return n
	}
	cs := []uint32{0, 1, 2, 3, 1 << 31, 1<<32 - 1, cTrigger, cMonth | cTrigger}
	for k := range 32 {
		cs = append(cs, 1<<k, 1<<k|1, 1<<k-1)
	}
	for _, c := range cs {
		if got, want := bit(c), ref(c); got != want {
			t.Errorf("bit(%#x) = %d, want %d", c, got, want)
		}
	}
}
