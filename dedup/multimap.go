package dedup

// multimap maps a key to a small list of article slots. Most keys hold one
// slot, stored inline in the map value; keys with more slots point to a
// list. Lists stop growing at max slots (the earliest holders are kept).
type multimap[K comparable] struct {
	m     map[K]uint32
	lists [][]uint32
	free  []uint32
	max   int
}

const listFlag = 1 << 31

func newMultimap[K comparable](max int) *multimap[K] {
	return &multimap[K]{m: map[K]uint32{}, max: max}
}

// add records slot under key.
func (mm *multimap[K]) add(key K, slot uint32) {
	v, ok := mm.m[key]
	if !ok {
		mm.m[key] = slot
		return
	}
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
		mm.m[key] = li | listFlag
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
	v, ok := mm.m[key]
	if !ok {
		return
	}
	if v&listFlag == 0 {
		if v == slot {
			delete(mm.m, key)
		}
		return
	}
	li := v &^ listFlag
	l := mm.lists[li]
	for i, s := range l {
		if s == slot {
			l = append(l[:i], l[i+1:]...)
			break
		}
	}
	switch len(l) {
	case 0:
		delete(mm.m, key)
		mm.lists[li] = nil
		mm.free = append(mm.free, li)
	case 1:
		mm.m[key] = l[0]
		mm.lists[li] = nil
		mm.free = append(mm.free, li)
	default:
		mm.lists[li] = l
	}
}

// each calls fn for every slot under key.
func (mm *multimap[K]) each(key K, fn func(slot uint32)) {
	v, ok := mm.m[key]
	if !ok {
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

// len is the number of keys.
func (mm *multimap[K]) len() int { return len(mm.m) }

// listBytes estimates the memory of the overflow lists.
func (mm *multimap[K]) listBytes() int64 {
	n := int64(24 * len(mm.lists))
	for _, l := range mm.lists {
		n += 4 * int64(cap(l))
	}
	return n
}
