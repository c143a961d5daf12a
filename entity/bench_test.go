package entity

import (
	"bytes"
	"strings"
	"testing"
)

// benchArticle is a ~3 KB news-like text written for the benchmark.
var benchArticle = func() string {
	para := `BRUSSELS (Wire) - Foreign ministers of the European Union met in Brussels on Monday to discuss sanctions, ` +
		`Dutch Foreign Minister Hanna Verbeek told reporters after talks with her counterpart Jean-Marc Dufresne. ` +
		`The U.S. State Department said Secretary Martin Kell would travel to Warsaw and Vilnius next week. ` +
		`Shares of Norvex Holdings Inc. fell 4.5 percent to $31.20 on the New York Stock Exchange after the company ` +
		`cut its forecast, while the Federal Reserve left rates unchanged. "We are not there yet," Verbeek said.` + "\n\n"
	var b strings.Builder
	for b.Len() < 3000 {
		b.WriteString(para)
	}
	return b.String()
}()

func BenchmarkTag(b *testing.B) {
	tg := mustDefault(b)
	b.SetBytes(int64(len(benchArticle)))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			tg.Tag(benchArticle)
		}
	})
}

func BenchmarkLoadModel(b *testing.B) {
	for b.Loop() {
		if _, err := ReadModel(bytes.NewReader(embeddedModel)); err != nil {
			b.Fatal(err)
		}
	}
}
