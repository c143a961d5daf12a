package cluster

// memo is a table of values indexed by small non-negative integers that is
// valid until the next reset. Reset costs nothing (a generation stamp
// marks which entries belong to the current round), so tables used once
// per article need no clearing.
type memo[T any] struct {
	v     []T
	stamp []uint32
	gen   uint32
}

// reset forgets every entry.
func (m *memo[T]) reset() {
	if m.gen++; m.gen == 0 {
		clear(m.stamp)
		m.gen = 1
	}
}

// get returns entry i and whether it was set since the last reset.
func (m *memo[T]) get(i int) (T, bool) {
	if i < len(m.v) && m.stamp[i] == m.gen {
		return m.v[i], true
	}
	var zero T
	return zero, false
}

// set sets entry i, growing the table as needed.
func (m *memo[T]) set(i int, x T) {
	if i >= len(m.v) {
		n := max(i+1, 2*len(m.v))
		m.v = append(m.v, make([]T, n-len(m.v))...)
		m.stamp = append(m.stamp, make([]uint32, n-len(m.stamp))...)
	}
	m.v[i], m.stamp[i] = x, m.gen
}

// dense returns a zeroed scratch slice of at least n float64s from buf
// (callers zero what they wrote before the next use).
func dense(buf *[]float64, n int) []float64 {
	if len(*buf) < n {
		*buf = make([]float64, n+n/2)
	}
	return *buf
}
