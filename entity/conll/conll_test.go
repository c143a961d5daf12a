package conll

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestChunks(t *testing.T) {
	tests := []struct {
		name string
		tags string
		want []Chunk
	}{
		{"iob1 single", "I-PER I-PER O I-LOC", []Chunk{{0, 2, "PER"}, {3, 4, "LOC"}}},
		{"iob1 adjacent same type", "I-PER B-PER O", []Chunk{{0, 1, "PER"}, {1, 2, "PER"}}},
		{"type change splits", "I-ORG I-LOC", []Chunk{{0, 1, "ORG"}, {1, 2, "LOC"}}},
		{"iob2", "B-MISC I-MISC B-MISC", []Chunk{{0, 2, "MISC"}, {2, 3, "MISC"}}},
		{"bilou", "B-ORG L-ORG U-LOC O U-PER", []Chunk{{0, 2, "ORG"}, {2, 3, "LOC"}, {4, 5, "PER"}}},
		{"ends at sentence end", "O I-LOC I-LOC", []Chunk{{1, 3, "LOC"}}},
		{"none", "O O", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Chunks(strings.Fields(tt.tags))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Chunks(%q) = %v, want %v", tt.tags, got, tt.want)
			}
		})
	}
}

func TestScorer(t *testing.T) {
	s := NewScorer()
	// gold: PER(0,2) LOC(3,4); guess: PER(0,1) wrong span, LOC right, extra ORG.
	if err := s.Add(strings.Fields("I-PER I-PER O I-LOC O"), strings.Fields("I-PER O O I-LOC I-ORG")); err != nil {
		t.Fatal(err)
	}
	r := s.Result()
	if r.Correct != 1 || r.Guessed != 3 || r.Gold != 2 {
		t.Fatalf("counts = %d/%d/%d, want 1/3/2", r.Correct, r.Guessed, r.Gold)
	}
	if got, want := r.F1, 2*(1.0/3)*(0.5)/(1.0/3+0.5); abs(got-want) > 1e-9 {
		t.Errorf("F1 = %v, want %v", got, want)
	}
	if r.PerType["LOC"].F1 != 1 || r.PerType["PER"].F1 != 0 || r.PerType["ORG"].Precision != 0 {
		t.Errorf("per type = %+v", r.PerType)
	}
	if err := s.Add([]string{"O"}, nil); err == nil {
		t.Error("length mismatch accepted")
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestRead(t *testing.T) {
	f, err := os.Open("testdata/sample.conll")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	docs, err := Read(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 {
		t.Fatalf("docs = %d, want 2", len(docs))
	}
	if n := len(docs[0].Sentences); n != 2 {
		t.Fatalf("doc 0 sentences = %d, want 2", n)
	}
	s := docs[0].Sentences[0]
	if s.Words[0] != "Mayor" || s.Tags[1] != "I-PER" || len(s.Words) != 5 {
		t.Errorf("sentence 0 = %+v", s)
	}
	if _, err := Read(strings.NewReader("word POS X-PER\n")); err == nil {
		t.Error("bad tag accepted")
	}
}

func FuzzRead(f *testing.F) {
	seed, _ := os.ReadFile("testdata/sample.conll")
	f.Add(seed)
	f.Add([]byte("-DOCSTART- -X- O O\n\nA B I-PER\n\nC"))
	f.Fuzz(func(t *testing.T, b []byte) {
		docs, err := Read(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, d := range docs {
			for _, s := range d.Sentences {
				if len(s.Words) != len(s.Tags) || len(s.Words) == 0 {
					t.Fatalf("bad sentence %+v", s)
				}
				for _, c := range Chunks(s.Tags) {
					if c.Start < 0 || c.End > len(s.Tags) || c.Start >= c.End {
						t.Fatalf("bad chunk %+v", c)
					}
				}
			}
		}
	})
}
