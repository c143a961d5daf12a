package entity

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// benchResolveDocs returns n tagged news-like articles drawn from fixed
// pools of people, places and organizations, so that later articles
// repeat (and shorten) names met earlier, as a news stream does.
func benchResolveDocs(tb testing.TB, n int) [][]Mention {
	tb.Helper()
	tg := mustDefault(tb)
	given := strings.Fields("Anna Boris Carla Daniel Elena Farid Greta Hiroshi Ines Jonas Karin Luis Maria Nikolai Olga Pavel Rosa Stefan Tomas Ulrike")
	surname := strings.Fields("Verbeek Dufresne Kell Novak Okafor Brennick Lindqvist Moretti Haddad Sato Kowalski Petrov Alvarez Fischer Dubois Jansen Costa Nakamura Weber Horvath")
	places := strings.Fields("Brussels Warsaw Vilnius Berlin Geneva Madrid Kyiv Ankara Cairo Lima Oslo Prague Dublin Nairobi Manila Lisbon Vienna Athens Tunis Quito Hanoi Accra Riga Sofia Zagreb")
	orgs := []string{"European Union", "Federal Reserve", "Norvex Holdings Inc.", "State Department", "World Bank",
		"United Nations", "NATO", "Kestrel Mining", "Red Cross", "International Monetary Fund"}
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	docs := make([][]Mention, n)
	for i := range docs {
		var b strings.Builder
		for range 6 {
			g, s := pick(given), pick(surname)
			fmt.Fprintf(&b, "%s (Wire) - Officials of the %s met in %s on Monday, %s %s told reporters after talks with the %s. ",
				strings.ToUpper(pick(places)), pick(orgs), pick(places), g, s, pick(orgs))
			fmt.Fprintf(&b, "%s said the %s would send a delegation to %s next week, and %s %s agreed.\n\n",
				s, pick(orgs), pick(places), pick(given), pick(surname))
		}
		docs[i] = tg.Tag(b.String())
	}
	return docs
}

func BenchmarkResolverAdd(b *testing.B) {
	docs := benchResolveDocs(b, 256)
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	r := NewResolver()
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b, processCPU())
	i := 0
	for b.Loop() {
		r.Add("doc"+fmt.Sprint(i), day.Add(time.Duration(i)*time.Minute), docs[i%len(docs)])
		i++
	}
}

// BenchmarkResolverAddECB streams the tagged ECB+ articles (real news
// text) through a resolver, cycling with fresh document ids. It is skipped
// without the shared corpora.
func BenchmarkResolverAddECB(b *testing.B) {
	tg := mustDefault(b)
	var docs [][]Mention
	for _, t := range ecbTexts(b) {
		docs = append(docs, tg.Tag(t))
	}
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	r := NewResolver()
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b, processCPU())
	i := 0
	for b.Loop() {
		r.Add("doc"+fmt.Sprint(i), day.Add(time.Duration(i)*time.Minute), docs[i%len(docs)])
		i++
	}
}
