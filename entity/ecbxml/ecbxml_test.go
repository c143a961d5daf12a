package ecbxml

import (
	"bytes"
	"os"
	"reflect"
	"testing"
)

func TestRead(t *testing.T) {
	b, err := os.ReadFile("testdata/sample.xml")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Read(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "9_1ecb.xml" || len(d.Tokens) != 5 || d.Tokens[4].Sentence != 1 {
		t.Fatalf("doc = %+v", d)
	}
	want := []Markable{{10, "HUMAN_PART_PER", []int{1, 2}}, {11, "LOC_GEO", []int{4}}, {12, "HUMAN_PART_PER", []int{5}}}
	if !reflect.DeepEqual(d.Markables, want) {
		t.Errorf("markables = %+v", d.Markables)
	}
	if got := d.Text(d.Markables[0]); got != "Ada Quill" {
		t.Errorf("text = %q", got)
	}
	if !reflect.DeepEqual(d.Instance, map[int]string{10: "HUM1", 12: "HUM1"}) {
		t.Errorf("instances = %v", d.Instance)
	}
}

func FuzzRead(f *testing.F) {
	b, _ := os.ReadFile("testdata/sample.xml")
	f.Add(b)
	f.Add([]byte(`<Document><Markables><X m_id="1"><token_anchor t_id="9"/></X></Markables></Document>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Read(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, m := range d.Markables {
			_ = d.Text(m)
			if len(m.Tokens) == 0 {
				t.Fatalf("markable without tokens: %+v", m)
			}
		}
	})
}
