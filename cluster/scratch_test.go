package cluster

import "testing"

func TestMemo(t *testing.T) {
	var m memo[float64]
	m.reset()
	if _, ok := m.get(3); ok {
		t.Fatal("empty memo has entry 3")
	}
	m.set(3, 1.5)
	m.set(100, 2) // grows
	if v, ok := m.get(3); !ok || v != 1.5 {
		t.Fatalf("get(3) = %v, %v", v, ok)
	}
	m.reset()
	if _, ok := m.get(3); ok {
		t.Fatal("entry 3 survived a reset")
	}
	m.gen = ^uint32(0) // the next reset wraps around
	m.set(5, 7)
	m.reset()
	if _, ok := m.get(5); ok {
		t.Fatal("entry 5 survived a wrapping reset")
	}
}
