package entity

import (
	"bytes"
	"context"
	"os"
	"reflect"
	"testing"

	"github.com/storyline/storyline/entity/conll"
)

func readFixture(t testing.TB) []conll.Document {
	t.Helper()
	f, err := os.Open("testdata/tiny.conll")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	docs, err := conll.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

func TestTrainLearnsFixture(t *testing.T) {
	docs := readFixture(t)
	train, dev := docs[:4], docs[4:]
	m, res, err := Train(context.Background(), train, dev, TrainOptions{Epochs: 5, Bits: 16})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Epochs) != 5 || res.BestEpoch < 1 {
		t.Fatalf("result = %+v", res)
	}
	if f1 := Evaluate(m, train).F1; f1 < 0.95 {
		t.Errorf("train F1 = %.3f, want >= 0.95", f1)
	}
	if f1 := Evaluate(m, dev).F1; f1 < 0.8 || f1 != res.DevF1 {
		t.Errorf("dev F1 = %.3f (reported %.3f), want >= 0.8 and equal", f1, res.DevF1)
	}
	// The written model reads back to the same tagger.
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := ReadModel(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(m.rows, m2.rows) || !reflect.DeepEqual(m.dense, m2.dense) || !reflect.DeepEqual(m.lex.gaz, m2.lex.gaz) {
		t.Error("model changed in a write/read round trip")
	}
	text := "Mira Okafor of the Kestrel Mining visited Port Elsin."
	if a, b := NewTagger(m).Tag(text), NewTagger(m2).Tag(text); !reflect.DeepEqual(a, b) || len(a) == 0 {
		t.Errorf("tags differ or empty: %v vs %v", a, b)
	}
}

func TestTrainRejectsBadOptions(t *testing.T) {
	if _, _, err := Train(context.Background(), readFixture(t), nil, TrainOptions{Bits: 40}); err == nil {
		t.Error("bits 40 accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := Train(ctx, readFixture(t), nil, TrainOptions{Bits: 12}); err == nil {
		t.Error("cancelled training returned no error")
	}
}

func TestGoldLabels(t *testing.T) {
	got := goldLabels([]string{"I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-MISC", "I-MISC", "I-MISC"})
	want := []uint8{label(0, posB), label(0, posL), 0, label(2, posU), label(2, posU), label(3, posB), label(3, posI), label(3, posL)}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("goldLabels = %v, want %v", got, want)
	}
	for _, l := range want {
		if l != 0 && labelTag(l)[2:] != typeNames[labelType(l)] {
			t.Errorf("labelTag(%d) = %s", l, labelTag(l))
		}
	}
}

func FuzzReadModel(f *testing.F) {
	var buf bytes.Buffer
	m := quantize(10, make([]float32, (1<<10)*nLabels), lexicon{gaz: map[uint64]uint8{1: 2}, tc: map[uint64]uint8{}})
	m.WriteTo(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte("SLNER"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ReadModel(bytes.NewReader(b))
		if err != nil {
			return
		}
		NewTagger(m).Tag("Ada Quill met Tomas Brenner in Kelder.")
	})
}
