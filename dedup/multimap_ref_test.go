package dedup

// The multimap as it was before its lists moved into one arena: the
// reference for multimap (TestMultimapRef). Only the names changed.

import (
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"
)

// multimapRef maps a key to a small list of article slots. Most keys hold one
// slot, stored inline in the table cellRef; keys with more slots point to a
// list. Lists stop growing at max slots (the earliest holders are kept).
//
// The table is open addressing with linear probing over one array of
// (key, value) cells, so a lookup costs one cache miss, and lookups of
// many keys can be overlapped (prefetch) before they are resolved.
type multimapRef[K ~uint32 | ~uint64] struct {
	cells []cellRef[K]
	shift uint // 64 - log2(len(cells))
	n     int  // keys
	lists [][]uint32
	free  []uint32
	max   int
	sink  uint32 // keeps prefetch loads alive
}

type cellRef[K ~uint32 | ~uint64] struct {
	key K
	val uint32 // emptyCell, a slot, or a list index | listFlag
}

func newMultimapRef[K ~uint32 | ~uint64](max int) *multimapRef[K] {
	mm := &multimapRef[K]{max: max}
	mm.resize(minCells)
	return mm
}

func (mm *multimapRef[K]) resize(size int) {
	old := mm.cells
	mm.cells = make([]cellRef[K], size)
	for i := range mm.cells {
		mm.cells[i].val = emptyCell
	}
	mm.shift = 64
	for s := size; s > 1; s >>= 1 {
		mm.shift--
	}
	for _, c := range old {
		if c.val != emptyCell {
			i := mm.home(c.key)
			for mm.cells[i].val != emptyCell {
				i = (i + 1) & (len(mm.cells) - 1)
			}
			mm.cells[i] = c
		}
	}
}

// home is the first cellRef probed for key (Fibonacci hashing).
func (mm *multimapRef[K]) home(key K) int {
	return int((uint64(key) * 0x9e3779b97f4a7c15) >> mm.shift)
}

// find returns the cellRef holding key, or the empty cellRef ending its probe.
func (mm *multimapRef[K]) find(key K) int {
	mask := len(mm.cells) - 1
	i := mm.home(key)
	for {
		c := &mm.cells[i]
		if c.val == emptyCell || c.key == key {
			return i
		}
		i = (i + 1) & mask
	}
}

// add records slot under key.
func (mm *multimapRef[K]) add(key K, slot uint32) {
	i := mm.find(key)
	c := &mm.cells[i]
	if c.val == emptyCell {
		c.key, c.val = key, slot
		mm.n++
		if 4*mm.n > 3*len(mm.cells) {
			mm.resize(2 * len(mm.cells))
		}
		return
	}
	v := c.val
	if v&listFlag == 0 {
		if v == slot {
			return
		}
		var li uint32
		if n := len(mm.free); n > 0 {
			li = mm.free[n-1]
			mm.free = mm.free[:n-1]
			mm.lists[li] = append(mm.lists[li][:0], v, slot)
		} else {
			li = uint32(len(mm.lists))
			mm.lists = append(mm.lists, []uint32{v, slot})
		}
		c.val = li | listFlag
		return
	}
	l := mm.lists[v&^listFlag]
	if len(l) >= mm.max {
		return
	}
	for _, s := range l {
		if s == slot {
			return
		}
	}
	mm.lists[v&^listFlag] = append(l, slot)
}

// remove deletes slot from key's list.
func (mm *multimapRef[K]) remove(key K, slot uint32) {
	i := mm.find(key)
	c := &mm.cells[i]
	v := c.val
	if v == emptyCell {
		return
	}
	if v&listFlag == 0 {
		if v == slot {
			mm.deleteCell(i)
		}
		return
	}
	li := v &^ listFlag
	l := mm.lists[li]
	for k, s := range l {
		if s == slot {
			l = append(l[:k], l[k+1:]...)
			break
		}
	}
	switch len(l) {
	case 0:
		mm.deleteCell(i)
		mm.lists[li] = nil
		mm.free = append(mm.free, li)
	case 1:
		c.val = l[0]
		mm.lists[li] = nil
		mm.free = append(mm.free, li)
	default:
		mm.lists[li] = l
	}
}

// deleteCell empties cellRef i and shifts later cells of its probe run back,
// so that no lookup stops early (no tombstones).
func (mm *multimapRef[K]) deleteCell(i int) {
	mask := len(mm.cells) - 1
	j := i
	for {
		j = (j + 1) & mask
		c := mm.cells[j]
		if c.val == emptyCell {
			break
		}
		// c may move to i if its home is not cyclically in (i, j].
		h := mm.home(c.key)
		if (j > i && (h <= i || h > j)) || (j < i && h <= i && h > j) {
			mm.cells[i] = c
			i = j
		}
	}
	mm.cells[i].val = emptyCell
	mm.n--
}

// each calls fn for every slot under key.
func (mm *multimapRef[K]) each(key K, fn func(slot uint32)) {
	v := mm.cells[mm.find(key)].val
	if v == emptyCell {
		return
	}
	if v&listFlag == 0 {
		fn(v)
		return
	}
	for _, s := range mm.lists[v&^listFlag] {
		fn(s)
	}
}

// prefetch touches the cells (and the lists) of keys with independent
// loads, so their cache misses overlap instead of coming one by one in
// the lookups that follow.
func (mm *multimapRef[K]) prefetch(keys []K) {
	var x uint32
	for _, k := range keys {
		x ^= mm.cells[mm.home(k)].val
	}
	for _, k := range keys {
		if v := mm.cells[mm.find(k)].val; v != emptyCell && v&listFlag != 0 {
			x ^= uint32(len(mm.lists[v&^listFlag]))
		}
	}
	for _, k := range keys {
		if v := mm.cells[mm.find(k)].val; v != emptyCell && v&listFlag != 0 {
			x ^= mm.lists[v&^listFlag][0]
		}
	}
	mm.sink = x
}

// len is the number of keys.
func (mm *multimapRef[K]) len() int { return mm.n }

// tableBytes is the memory of the hash table.
func (mm *multimapRef[K]) tableBytes() int64 {
	return int64(len(mm.cells)) * int64(unsafe.Sizeof(cellRef[K]{}))
}

// listBytes estimates the memory of the overflow lists.
func (mm *multimapRef[K]) listBytes() int64 {
	n := int64(24 * len(mm.lists))
	for _, l := range mm.lists {
		n += 4 * int64(cap(l))
	}
	return n
}

// TestMultimapRef runs the same adds and removes on a multimap and on
// multimapRef and requires the same slots in the same order, the same
// length and the same size estimates, for several list bounds (beyond
// 256 too, where append grows by less than double).
func TestMultimapRef(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, max := range []int{2, 3, 4, 16, 256, 300, 1000} {
		mm, ref := newMultimap[uint32](max), newMultimapRef[uint32](max)
		keys := 50 + r.IntN(2000)
		slots := 2 + r.IntN(2*max)
		for i := 0; i < 60000; i++ {
			k, s := uint32(r.IntN(keys))*64, uint32(r.IntN(slots))
			if r.IntN(5) < 3 {
				mm.add(k, s)
				ref.add(k, s)
			} else {
				mm.remove(k, s)
				ref.remove(k, s)
			}
			if i%5000 == 0 || i == 59999 {
				for k := uint32(0); k < uint32(keys); k++ {
					var got, want []uint32
					mm.each(k*64, func(s uint32) { got = append(got, s) })
					ref.each(k*64, func(s uint32) { want = append(want, s) })
					if !slices.Equal(got, want) {
						t.Fatalf("max %d key %d: %v, want %v", max, k*64, got, want)
					}
				}
				if mm.len() != ref.len() || mm.listBytes() != ref.listBytes() || mm.tableBytes() != ref.tableBytes() {
					t.Fatalf("max %d: len %d/%d, listBytes %d/%d, tableBytes %d/%d", max, mm.len(), ref.len(),
						mm.listBytes(), ref.listBytes(), mm.tableBytes(), ref.tableBytes())
				}
				var a, b []uint32 // keys in cell order (what probing depends on)
				for _, c := range mm.cells {
					if c.val != emptyCell {
						a = append(a, c.key)
					}
				}
				for _, c := range ref.cells {
					if c.val != emptyCell {
						b = append(b, c.key)
					}
				}
				if !slices.Equal(a, b) {
					t.Fatalf("max %d: key layout differs", max)
				}
			}
		}
	}
}
