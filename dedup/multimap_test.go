package dedup

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

func slotsOf[K ~uint32 | ~uint64](mm *multimap[K], key K) []uint32 {
	var out []uint32
	mm.each(key, func(s uint32) { out = append(out, s) })
	return out
}

func TestMultimap(t *testing.T) {
	type op struct {
		add       bool
		key, slot uint32
	}
	tests := []struct {
		name string
		max  int
		ops  []op
		want map[uint32][]uint32
	}{
		{"inline then list", 8, []op{{true, 1, 10}, {true, 1, 11}, {true, 2, 12}}, map[uint32][]uint32{1: {10, 11}, 2: {12}, 3: nil}},
		{"repeat ignored", 8, []op{{true, 1, 10}, {true, 1, 10}, {true, 1, 11}, {true, 1, 11}}, map[uint32][]uint32{1: {10, 11}}},
		{"capped at max, earliest kept", 2, []op{{true, 1, 10}, {true, 1, 11}, {true, 1, 12}}, map[uint32][]uint32{1: {10, 11}}},
		{"list back to inline", 8, []op{{true, 1, 10}, {true, 1, 11}, {false, 1, 10}}, map[uint32][]uint32{1: {11}}},
		{"removed entirely", 8, []op{{true, 1, 10}, {true, 2, 11}, {false, 1, 10}, {false, 2, 11}}, map[uint32][]uint32{1: nil, 2: nil}},
		{"remove unknown", 8, []op{{true, 1, 10}, {false, 1, 99}, {false, 5, 10}}, map[uint32][]uint32{1: {10}, 5: nil}},
		{"key zero", 8, []op{{true, 0, 0}, {true, 0, 3}}, map[uint32][]uint32{0: {0, 3}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mm := newMultimap[uint32](tc.max)
			for _, o := range tc.ops {
				if o.add {
					mm.add(o.key, o.slot)
				} else {
					mm.remove(o.key, o.slot)
				}
			}
			keys := 0
			for k, want := range tc.want {
				if got := slotsOf(mm, k); !reflect.DeepEqual(got, want) {
					t.Errorf("key %d: %v, want %v", k, got, want)
				}
				if want != nil {
					keys++
				}
			}
			if mm.len() != keys {
				t.Errorf("len %d, want %d", mm.len(), keys)
			}
		})
	}
}

// TestMultimapRandom checks adds and removes (growth, probe runs, deletion
// with backward shift) against a reference map, for both key widths.
func TestMultimapRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	mm32, mm64 := newMultimap[uint32](4), newMultimap[uint64](4)
	ref := map[uint32][]uint32{}
	check := func() {
		t.Helper()
		for k, want := range ref {
			if got := slotsOf(mm32, k); !reflect.DeepEqual(got, want) {
				t.Fatalf("uint32 key %d: %v, want %v", k, got, want)
			}
			if got := slotsOf(mm64, uint64(k)<<32|uint64(k)); !reflect.DeepEqual(got, want) {
				t.Fatalf("uint64 key %d: %v, want %v", k, got, want)
			}
		}
		if mm32.len() != len(ref) || mm64.len() != len(ref) {
			t.Fatalf("len %d and %d, want %d", mm32.len(), mm64.len(), len(ref))
		}
	}
	for i := 0; i < 20000; i++ {
		// Keys collide on purpose (few distinct ones, clustered hashes).
		k, s := uint32(r.IntN(600))*64, uint32(r.IntN(6))
		k64 := uint64(k)<<32 | uint64(k)
		if r.IntN(3) > 0 {
			mm32.add(k, s)
			mm64.add(k64, s)
			if l := ref[k]; len(l) < 4 && !slices.Contains(l, s) {
				ref[k] = append(l, s)
			}
		} else {
			mm32.remove(k, s)
			mm64.remove(k64, s)
			if l := ref[k]; slices.Contains(l, s) {
				l = slices.DeleteFunc(slices.Clone(l), func(x uint32) bool { return x == s })
				if len(l) == 0 {
					delete(ref, k)
				} else {
					ref[k] = l
				}
			}
		}
		if i%1000 == 0 {
			check()
		}
	}
	check()
	keys := make([]uint32, 0, len(ref))
	for k := range ref {
		keys = append(keys, k)
	}
	mm32.prefetch(keys) // must not change anything
	check()
}
