package tml

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// Span is one system annotation to be scored: byte offsets into Doc.Text
// and the normalized TIMEX3 type and value.
type Span struct {
	Start, End  int
	Type, Value string
}

// Tagger produces system annotations for a document text and its DCT.
type Tagger func(text string, dct time.Time) []Span

// PRF holds precision, recall and F1.
type PRF struct {
	P  float64 `json:"p"`
	R  float64 `json:"r"`
	F1 float64 `json:"f1"`
}

// SpanScores are the TempEval-3 span scores.
type SpanScores struct {
	StrictF1  float64 `json:"strict_f1"`
	RelaxedF1 float64 `json:"relaxed_f1"`
	StrictP   float64 `json:"strict_p"`
	StrictR   float64 `json:"strict_r"`
	RelaxedP  float64 `json:"relaxed_p"`
	RelaxedR  float64 `json:"relaxed_r"`
}

// ValueScores score normalization: a system value counts only when its
// span matches a gold span (relaxed) and the values are equal.
type ValueScores struct {
	P        float64 `json:"p"`
	R        float64 `json:"r"`
	F1       float64 `json:"f1"`
	Accuracy float64 `json:"accuracy"` // correct values among relaxed matches
}

// Report is the result of scoring a tagger on a set of documents.
type Report struct {
	Docs    int         `json:"docs"`
	Gold    int         `json:"gold"`
	System  int         `json:"system"`
	Span    SpanScores  `json:"span"`
	Value   ValueScores `json:"value"`
	TypeAcc float64     `json:"type_accuracy"` // correct types among relaxed matches
	Errors  []Mismatch  `json:"-"`
}

// Mismatch records one disagreement, for error analysis.
type Mismatch struct {
	Doc        string
	Kind       string // "missed", "spurious", "value", "span"
	GoldText   string
	GoldValue  string
	SysText    string
	SysValue   string
	GoldType   string
	SysType    string
	Context    string
	GoldOffset int
}

// Counts accumulates matching counts.
type Counts struct {
	Gold, Sys, Strict, Relaxed, ValueOK, TypeOK int
}

// Score compares system spans with a document's gold annotations.
// Matching is one-to-one: each gold annotation pairs with the first
// overlapping system annotation not yet paired (both in text order).
func Score(d *Doc, sys []Span, c *Counts, errs *[]Mismatch) {
	sort.SliceStable(sys, func(i, j int) bool { return sys[i].Start < sys[j].Start })
	c.Gold += len(d.Gold)
	c.Sys += len(sys)
	used := make([]bool, len(sys))
	for _, g := range d.Gold {
		m := -1
		for k, s := range sys {
			if used[k] || s.End <= g.Start || s.Start >= g.End {
				continue
			}
			m = k
			break
		}
		if m < 0 {
			if errs != nil {
				*errs = append(*errs, Mismatch{Doc: d.ID, Kind: "missed", GoldText: g.Text, GoldValue: g.Value, GoldType: g.Type, Context: context(d.Text, g.Start, g.End), GoldOffset: g.Start})
			}
			continue
		}
		used[m] = true
		s := sys[m]
		c.Relaxed++
		if s.Start == g.Start && s.End == g.End {
			c.Strict++
		} else if errs != nil {
			*errs = append(*errs, Mismatch{Doc: d.ID, Kind: "span", GoldText: g.Text, GoldValue: g.Value, SysText: d.Text[s.Start:s.End], SysValue: s.Value, Context: context(d.Text, g.Start, g.End), GoldOffset: g.Start})
		}
		if s.Type == g.Type {
			c.TypeOK++
		}
		if s.Value == g.Value {
			c.ValueOK++
		} else if errs != nil {
			*errs = append(*errs, Mismatch{Doc: d.ID, Kind: "value", GoldText: g.Text, GoldValue: g.Value, GoldType: g.Type, SysText: d.Text[s.Start:s.End], SysValue: s.Value, SysType: s.Type, Context: context(d.Text, g.Start, g.End), GoldOffset: g.Start})
		}
	}
	if errs != nil {
		for k, s := range sys {
			if !used[k] {
				*errs = append(*errs, Mismatch{Doc: d.ID, Kind: "spurious", SysText: d.Text[s.Start:s.End], SysValue: s.Value, SysType: s.Type, Context: context(d.Text, s.Start, s.End), GoldOffset: s.Start})
			}
		}
	}
}

// Report turns counts into scores.
func (c Counts) Report(docs int) Report {
	r := Report{Docs: docs, Gold: c.Gold, System: c.Sys}
	sp, sr, sf := prf(c.Strict, c.Sys, c.Gold)
	rp, rr, rf := prf(c.Relaxed, c.Sys, c.Gold)
	r.Span = SpanScores{StrictF1: sf, RelaxedF1: rf, StrictP: sp, StrictR: sr, RelaxedP: rp, RelaxedR: rr}
	vp, vr, vf := prf(c.ValueOK, c.Sys, c.Gold)
	r.Value = ValueScores{P: vp, R: vr, F1: vf, Accuracy: ratio(c.ValueOK, c.Relaxed)}
	r.TypeAcc = ratio(c.TypeOK, c.Relaxed)
	return r
}

func prf(ok, sys, gold int) (p, r, f float64) {
	p, r = ratio(ok, sys), ratio(ok, gold)
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func context(text string, start, end int) string {
	a, b := start-60, end+60
	if a < 0 {
		a = 0
	}
	if b > len(text) {
		b = len(text)
	}
	return text[a:start] + "[" + text[start:end] + "]" + text[end:b]
}

// LoadDir reads every .tml file under dir (recursively), in path order.
func LoadDir(dir string) ([]*Doc, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() && filepath.Ext(p) == ".tml" {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("tml: walk %s: %w", dir, err)
	}
	sort.Strings(paths)
	docs := make([]*Doc, 0, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("tml: %w", err)
		}
		d, err := Parse(b)
		if err != nil {
			return nil, fmt.Errorf("tml: %s: %w", p, err)
		}
		if d.ID == "" {
			d.ID = filepath.Base(p)
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// Evaluate tags every document and scores the result. keepErrors asks for
// the per-annotation mismatches in Report.Errors.
func Evaluate(docs []*Doc, tag Tagger, keepErrors bool) Report {
	var c Counts
	var errs []Mismatch
	var pe *[]Mismatch
	if keepErrors {
		pe = &errs
	}
	for _, d := range docs {
		Score(d, tag(d.Text, d.DCT), &c, pe)
	}
	r := c.Report(len(docs))
	r.Errors = errs
	return r
}
