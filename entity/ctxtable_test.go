package entity

import (
	"math/rand/v2"
	"testing"
)

// TestCtxTable runs random operations on a ctxTable and a map.
func TestCtxTable(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for iter := 0; iter < 200; iter++ {
		var c ctxTable
		m := map[int32]int{}
		keys := int32(2 + r.IntN(300))
		var scratch []ctxSlot
		for op := 0; op < 3000; op++ {
			k := 1 + r.Int32N(keys)
			switch x := r.IntN(20); {
			case x < 12:
				_, had := m[k]
				m[k]++
				if c.inc(k) == had {
					t.Fatalf("inc(%d): new %v", k, !had)
				}
			case x < 15:
				if _, ok := m[k]; ok {
					m[k]++
				}
				c.incIfPresent(k)
			case x < 19:
				delete(m, k)
				c.remove(k)
			default:
				for k, v := range m {
					if v <= 1 {
						delete(m, k)
					}
				}
				scratch = c.dropSingletons(scratch)
			}
			if c.len() != len(m) {
				t.Fatalf("len %d, want %d", c.len(), len(m))
			}
			for k := int32(1); k <= keys; k++ {
				if c.get(k) != m[k] {
					t.Fatalf("get(%d) = %d, want %d", k, c.get(k), m[k])
				}
			}
		}
	}
}
