package store

import (
	"testing"
	"testing/fstest"
)

func TestMigrations(t *testing.T) {
	fsys := fstest.MapFS{
		"m/0010_later.sql": {Data: []byte("B")},
		"m/0002_first.sql": {Data: []byte("A")},
	}
	ms, err := Migrations(fsys, "m")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Version != 2 || ms[0].SQL != "A" || ms[1].Version != 10 || ms[1].Name != "0010_later.sql" {
		t.Errorf("migrations = %+v", ms)
	}
	fsys["m/notes.sql"] = &fstest.MapFile{Data: []byte("x")}
	if _, err := Migrations(fsys, "m"); err == nil {
		t.Error("a file without a version number was accepted")
	}
}
