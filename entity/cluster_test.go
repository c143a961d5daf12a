package entity

import (
	"context"
	"testing"
)

func TestBuildClustersGroupsByContext(t *testing.T) {
	c := NewClusterCorpus()
	cities := []string{"Brindleford", "Kelder", "Marrow", "Elsin"}
	names := []string{"Ada", "Tomas", "Mira", "Lena"}
	fillers := []string{"rain", "snow", "wind", "fog"}
	for i := 0; i < 40; i++ {
		for _, city := range cities {
			c.AddSentence([]string{"flights", "to", city, "resumed", "today"})
		}
		for _, n := range names {
			c.AddSentence([]string{"minister", n, "said", "yesterday"})
		}
		for _, f := range fillers {
			c.AddSentence([]string{"heavy", f, "fell", "overnight"})
		}
	}
	c.AddText("Flights to Brindleford resumed today.\n\nMinister Ada said yesterday.")
	cl, err := BuildClusters(context.Background(), c, ClusterOptions{Fine: 3, Coarse: 2, MinCount: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	id := func(w string) uint32 { return cl[hashLower(w)] & 0xfff }
	for _, group := range [][]string{cities, names, fillers} {
		for _, w := range group[1:] {
			if id(w) == 0 || id(w) != id(group[0]) {
				t.Errorf("%s in cluster %d, %s in %d", w, id(w), group[0], id(group[0]))
			}
		}
	}
	if id(cities[0]) == id(names[0]) {
		t.Errorf("cities and names share cluster %d", id(cities[0]))
	}
}
