package entity

// ctxTable counts, for a person, the documents shared with each other
// entity: a small open-addressing table over entity numbers (ent.num,
// from 1; 0 marks an empty slot) with linear probing and deletion by
// shifting back, 8 bytes a slot, so a lookup reads one cache line.
type ctxTable struct {
	slots []ctxSlot // a power of two long, at most 3/4 full
	shift uint8     // 32 - log2(len(slots))
	n     int
}

type ctxSlot struct {
	key   int32
	count int32
}

const minCtxSlots = 16

func (t *ctxTable) home(key int32) int {
	return int((uint32(key) * 0x9e3779b9) >> t.shift)
}

// len is the number of entities counted.
func (t *ctxTable) len() int { return t.n }

// get returns the count of key (0 when absent).
func (t *ctxTable) get(key int32) int {
	if t.n == 0 {
		return 0
	}
	mask := len(t.slots) - 1
	for i := t.home(key); ; i = (i + 1) & mask {
		s := t.slots[i]
		if s.key == key {
			return int(s.count)
		}
		if s.key == 0 {
			return 0
		}
	}
}

// inc adds one to the count of key and reports whether key is new.
func (t *ctxTable) inc(key int32) bool {
	if 4*(t.n+1) > 3*len(t.slots) {
		t.grow()
	}
	mask := len(t.slots) - 1
	for i := t.home(key); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.key == key {
			s.count++
			return false
		}
		if s.key == 0 {
			s.key, s.count = key, 1
			t.n++
			return true
		}
	}
}

// incIfPresent adds one to the count of key if it is counted.
func (t *ctxTable) incIfPresent(key int32) {
	if t.n == 0 {
		return
	}
	mask := len(t.slots) - 1
	for i := t.home(key); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.key == key {
			s.count++
			return
		}
		if s.key == 0 {
			return
		}
	}
}

func (t *ctxTable) grow() {
	size := minCtxSlots
	for 4*(t.n+1) > 3*size {
		size *= 2
	}
	if size <= len(t.slots) {
		return
	}
	old := t.slots
	t.slots = make([]ctxSlot, size)
	t.shift = 32
	for s := size; s > 1; s >>= 1 {
		t.shift--
	}
	for _, s := range old {
		if s.key != 0 {
			t.put(s)
		}
	}
}

// put inserts a slot whose key is absent (room is left).
func (t *ctxTable) put(s ctxSlot) {
	mask := len(t.slots) - 1
	i := t.home(s.key)
	for t.slots[i].key != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = s
}

// remove drops key.
func (t *ctxTable) remove(key int32) {
	if t.n == 0 {
		return
	}
	mask := len(t.slots) - 1
	i := t.home(key)
	for {
		k := t.slots[i].key
		if k == key {
			break
		}
		if k == 0 {
			return
		}
		i = (i + 1) & mask
	}
	// Shift later slots of the probe run back (no tombstones).
	j := i
	for {
		j = (j + 1) & mask
		s := t.slots[j]
		if s.key == 0 {
			break
		}
		// s may move to i if its home is not cyclically in (i, j].
		h := t.home(s.key)
		if (j > i && (h <= i || h > j)) || (j < i && h <= i && h > j) {
			t.slots[i] = s
			i = j
		}
	}
	t.slots[i] = ctxSlot{}
	t.n--
}

// dropSingletons removes the keys counted once.
func (t *ctxTable) dropSingletons(scratch []ctxSlot) []ctxSlot {
	keep := scratch[:0]
	for _, s := range t.slots {
		if s.key != 0 && s.count > 1 {
			keep = append(keep, s)
		}
	}
	clear(t.slots)
	for _, s := range keep {
		t.put(s)
	}
	t.n = len(keep)
	return keep[:0]
}
