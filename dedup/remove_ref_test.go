package dedup

import (
	"reflect"
	"testing"
)

// removeLockedRef is removeLocked before the band keys and fingerprints
// were touched ahead of their removal. It is the reference for
// removeLocked (the same removals in the same order).
func (ix *Index) removeLockedRef(id string) {
	slot, ok := ix.ids[id]
	if !ok {
		return
	}
	e := ix.arts[slot]
	if e.exact != 0 {
		ix.exact.remove(e.exact, slot)
	}
	if len(e.sig) > 0 {
		for b := 0; b < ix.opt.Bands; b++ {
			ix.lsh.remove(bandKey(e.sig, b, ix.opt.Rows), slot)
		}
	}
	if ix.opt.NoPassages {
		ix.arts[slot] = nil
		ix.free = append(ix.free, slot)
		delete(ix.ids, id)
		return
	}
	for _, k := range e.fps {
		ix.fp.remove(k, slot)
	}
	ix.arts[slot] = nil
	ix.free = append(ix.free, slot)
	delete(ix.ids, id)
}

// TestRemoveLockedRef streams the generated articles through two indexes,
// evicting the oldest with removeLocked in one and removeLockedRef in the
// other, and requires equal results and equal tables.
func TestRemoveLockedRef(t *testing.T) {
	arts := genStream()
	if arts == nil {
		t.Skip("no shared corpora")
	}
	for _, o := range []Options{DefaultOptions(), {NoPassages: true}} {
		a, b := NewIndex(o), NewIndex(o)
		var held []string
		for i, x := range arts[:3000] {
			ra := a.Add(x.id, x.pub, x.text)
			rb := b.Add(x.id, x.pub, x.text)
			if !reflect.DeepEqual(ra, rb) {
				t.Fatalf("%s: results differ", x.id)
			}
			held = append(held, x.id)
			for len(held) > 400+i%97 {
				a.Remove(held[0])
				b.mu.Lock()
				b.removeLockedRef(held[0])
				b.mu.Unlock()
				held = held[1:]
			}
		}
		for _, mm := range [][2]*multimap[uint32]{{a.lsh, b.lsh}, {a.fp, b.fp}} {
			x, y := *mm[0], *mm[1]
			x.sink, y.sink = 0, 0
			if !reflect.DeepEqual(x, y) {
				t.Fatalf("tables differ after removals")
			}
		}
		if !reflect.DeepEqual(a.exact, b.exact) || !reflect.DeepEqual(a.free, b.free) || !reflect.DeepEqual(a.ids, b.ids) {
			t.Fatalf("index state differs after removals")
		}
	}
}
