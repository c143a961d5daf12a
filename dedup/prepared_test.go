package dedup

import (
	"reflect"
	"testing"
	"time"
)

func TestAddPreparedEqualsAdd(t *testing.T) {
	texts := []string{
		"The Upper Selva Dam gave way on Tuesday morning, flooding the evacuated town of Velmora. Two workers are missing.",
		"The Upper Selva Dam gave way on Tuesday morning, flooding the evacuated town of Velmora. Rescuers searched all night.",
		"FC Tarnholm won the Halvland Cup on Saturday, their first trophy in sixteen years.",
	}
	a, b := NewIndex(DefaultOptions()), NewIndex(DefaultOptions())
	day := time.Date(2025, 3, 11, 0, 0, 0, 0, time.UTC)
	for i, tx := range texts {
		id := string(rune('a' + i))
		ra := a.Add(id, day, tx)
		rb := b.AddPrepared(id, day, b.Prepare(tx))
		if !reflect.DeepEqual(ra, rb) {
			t.Errorf("%s: Add %+v, AddPrepared %+v", id, ra, rb)
		}
	}
	if r := b.AddPrepared("d", day, b.Prepare(texts[0])); len(r.Exact) != 1 || r.Exact[0] != "a" {
		t.Errorf("exact copy through AddPrepared: %+v", r)
	}
}
