package dedup

import "unsafe"

// multimap maps a key to a small list of article slots. Most keys hold one
// slot, stored inline in the table cell; keys with more slots point to a
// list. Lists stop growing at max slots (the earliest holders are kept).
//
// The table is open addressing with linear probing over one array of
// (key, value) cells, so a lookup costs one cache miss, and lookups of
// many keys can be overlapped (prefetch) before they are resolved.
type multimap[K ~uint32 | ~uint64] struct {
	cells []cell[K]
	shift uint // 64 - log2(len(cells))
	n     int  // keys
	lists [][]uint32
	free  []uint32
	max   int
	sink  uint32 // keeps prefetch loads alive
}

type cell[K ~uint32 | ~uint64] struct {
	key K
	val uint32 // emptyCell, a slot, or a list index | listFlag
}

const (
	listFlag  = 1 << 31
	emptyCell = ^uint32(0)
	minCells  = 64
)

func newMultimap[K ~uint32 | ~uint64](max int) *multimap[K] {
	mm := &multimap[K]{max: max}
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
	for _, s := range mm.lists[v&^listFlag] {
		fn(s)
	}
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
func (mm *multimap[K]) len() int { return mm.n }

// tableBytes is the memory of the hash table.
func (mm *multimap[K]) tableBytes() int64 {
	return int64(len(mm.cells)) * int64(unsafe.Sizeof(cell[K]{}))
}

// listBytes estimates the memory of the overflow lists.
func (mm *multimap[K]) listBytes() int64 {
	n := int64(24 * len(mm.lists))
	for _, l := range mm.lists {
		n += 4 * int64(cap(l))
	}
	return n
}
