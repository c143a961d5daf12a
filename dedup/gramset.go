package dedup

// gramSet is a reusable open-addressing set of well-mixed 64-bit hashes,
// cleared in O(1) by bumping an epoch.
type gramSet struct {
	keys  []uint64
	mark  []uint32
	epoch uint32
	mask  uint64
	n     int
}

// reset empties the set, sized for up to n keys.
func (s *gramSet) reset(n int) {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	if len(s.keys) < size {
		s.keys = make([]uint64, size)
		s.mark = make([]uint32, size)
		s.epoch = 0
	}
	s.mask = uint64(size - 1)
	s.n = 0
	s.epoch++
	if s.epoch == 0 {
		clear(s.mark)
		s.epoch = 1
	}
}

// insert adds k and reports whether it was new.
func (s *gramSet) insert(k uint64) bool {
	for i := k & s.mask; ; i = (i + 1) & s.mask {
		if s.mark[i] != s.epoch {
			s.mark[i], s.keys[i] = s.epoch, k
			s.n++
			return true
		}
		if s.keys[i] == k {
			return false
		}
	}
}

// has reports whether k is in the set.
func (s *gramSet) has(k uint64) bool {
	for i := k & s.mask; ; i = (i + 1) & s.mask {
		if s.mark[i] != s.epoch {
			return false
		}
		if s.keys[i] == k {
			return true
		}
	}
}
