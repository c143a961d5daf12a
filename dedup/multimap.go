package dedup

import "unsafe"

// multimap maps a key to a small list of article slots. Most keys hold one
// slot, stored inline in the table cell; keys with more slots point to a
// list. Lists stop growing at max slots (the earliest holders are kept).
//
// The table is open addressing with linear probing over one array of
// (key, value) cells, so a lookup costs one cache miss, and lookups of
// many keys can be overlapped (prefetch) before they are resolved. The
// lists live in one arena, each a block of its length, its capacity and
// its slots, so a list's length and first slots share a cache line.
type multimap[K ~uint32 | ~uint64] struct {
	cells []cell[K]
	shift uint // 64 - log2(len(cells))
	n     int  // keys
	arena []uint32
	free  map[uint32][]uint32 // capacity → offsets of free blocks
	max   int
	sink  uint32 // keeps prefetch loads alive
	// lists counts the lists that were ever live at once and caps the
	// sum of their capacities, for listBytes.
	lists, caps int
	live        int
}

type cell[K ~uint32 | ~uint64] struct {
	key K
	val uint32 // emptyCell, a slot, or a list's arena offset | listFlag
}

const (
	listFlag  = 1 << 31
	emptyCell = ^uint32(0)
	minCells  = 64
	blockHead = 2 // a block is length, capacity, then the slots
)

func newMultimap[K ~uint32 | ~uint64](max int) *multimap[K] {
	mm := &multimap[K]{max: max, free: map[uint32][]uint32{}}
	mm.resize(minCells)
	return mm
}

func (mm *multimap[K]) resize(size int) {
	old := mm.cells
	mm.cells = make([]cell[K], size)
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

// home is the first cell probed for key (Fibonacci hashing).
func (mm *multimap[K]) home(key K) int {
	return int((uint64(key) * 0x9e3779b97f4a7c15) >> mm.shift)
}

// find returns the cell holding key, or the empty cell ending its probe.
func (mm *multimap[K]) find(key K) int {
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

// list returns the slots of the list at arena offset o.
func (mm *multimap[K]) list(o uint32) []uint32 {
	return mm.arena[o+blockHead : o+blockHead+mm.arena[o]]
}

// alloc returns a free block of capacity c (length 0).
func (mm *multimap[K]) alloc(c uint32) uint32 {
	if fs := mm.free[c]; len(fs) > 0 {
		o := fs[len(fs)-1]
		mm.free[c] = fs[:len(fs)-1]
		mm.arena[o] = 0
		return o
	}
	o := uint32(len(mm.arena))
	mm.arena = append(mm.arena, make([]uint32, blockHead+int(c))...)
	mm.arena[o+1] = c
	return o
}

// release frees the block at o.
func (mm *multimap[K]) release(o uint32) {
	c := mm.arena[o+1]
	mm.free[c] = append(mm.free[c], o)
}

// newList makes a list of two slots (a list's first capacity).
func (mm *multimap[K]) newList(a, b uint32) uint32 {
	o := mm.alloc(2)
	mm.arena[o] = 2
	mm.arena[o+blockHead], mm.arena[o+blockHead+1] = a, b
	mm.live++
	mm.lists = max(mm.lists, mm.live)
	mm.caps += 2
	return o
}

// dropList frees a list that left its cell.
func (mm *multimap[K]) dropList(o uint32) {
	mm.caps -= int(mm.arena[o+1])
	mm.live--
	mm.release(o)
}

// add records slot under key.
func (mm *multimap[K]) add(key K, slot uint32) {
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
		c.val = mm.newList(v, slot) | listFlag
		return
	}
	o := v &^ listFlag
	l := mm.list(o)
	if len(l) >= mm.max {
		return
	}
	for _, s := range l {
		if s == slot {
			return
		}
	}
	if n := mm.arena[o]; n == mm.arena[o+1] {
		// Full: move to a block of the capacity append would give.
		no := mm.alloc(grownCap(n))
		copy(mm.arena[no+blockHead:], mm.arena[o+blockHead:o+blockHead+n])
		mm.arena[no] = n
		mm.caps += int(mm.arena[no+1]) - int(n)
		mm.release(o)
		o = no
		mm.cells[i].val = o | listFlag // alloc may have moved the arena, not the cells
	}
	n := mm.arena[o]
	mm.arena[o+blockHead+n] = slot
	mm.arena[o] = n + 1
}

// remove deletes slot from key's list.
func (mm *multimap[K]) remove(key K, slot uint32) {
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
	o := v &^ listFlag
	l := mm.list(o)
	for k, s := range l {
		if s == slot {
			copy(l[k:], l[k+1:])
			mm.arena[o]--
			l = l[:len(l)-1]
			break
		}
	}
	switch len(l) {
	case 0:
		mm.deleteCell(i)
		mm.dropList(o)
	case 1:
		c.val = l[0]
		mm.dropList(o)
	}
}

// deleteCell empties cell i and shifts later cells of its probe run back,
// so that no lookup stops early (no tombstones).
func (mm *multimap[K]) deleteCell(i int) {
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
func (mm *multimap[K]) each(key K, fn func(slot uint32)) {
	v := mm.cells[mm.find(key)].val
	if v == emptyCell {
		return
	}
	if v&listFlag == 0 {
		fn(v)
		return
	}
	for _, s := range mm.list(v &^ listFlag) {
		fn(s)
	}
}

// slots returns the slots under key: a list in the arena (valid until
// the next change), or the inline slot in one, or none.
func (mm *multimap[K]) slots(key K, one *[1]uint32) []uint32 {
	v := mm.cells[mm.find(key)].val
	if v == emptyCell {
		return nil
	}
	if v&listFlag == 0 {
		one[0] = v
		return one[:]
	}
	return mm.list(v &^ listFlag)
}

// prefetch touches the cells (and the lists) of keys with independent
// loads, so their cache misses overlap instead of coming one by one in
// the lookups that follow.
func (mm *multimap[K]) prefetch(keys []K) {
	var x uint32
	for _, k := range keys {
		x ^= mm.cells[mm.home(k)].val
	}
	for _, k := range keys {
		if v := mm.cells[mm.find(k)].val; v != emptyCell && v&listFlag != 0 {
			x ^= mm.arena[v&^listFlag]
		}
	}
	mm.sink = x
}

// len is the number of keys.
func (mm *multimap[K]) len() int { return mm.n }

// tableBytes is the memory of the hash table.
func (mm *multimap[K]) tableBytes() int64 {
	return int64(len(mm.cells)) * int64(unsafe.Sizeof(cell[K]{}))
}

// listBytes estimates the memory of the overflow lists as if each were
// its own slice (a 24-byte header per list ever live at once, 4 bytes a
// slot of capacity).
func (mm *multimap[K]) listBytes() int64 {
	return 24*int64(mm.lists) + 4*int64(mm.caps)
}

// grownCaps[c] is the capacity append gives a []uint32 of capacity c
// when it grows by one; lists grow the same way.
var grownCaps [257]uint32

var capSink []uint32 // makes appendCap's slices escape, as lists do

func appendCap(c int) uint32 {
	capSink = append(make([]uint32, c), 0)
	n := cap(capSink)
	capSink = nil
	return uint32(n)
}

func init() {
	for c := range grownCaps {
		grownCaps[c] = appendCap(c)
	}
}

func grownCap(c uint32) uint32 {
	if int(c) < len(grownCaps) {
		return grownCaps[c]
	}
	return appendCap(int(c))
}
