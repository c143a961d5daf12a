package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/storyline/storyline/internal/gen"
)

// TestRunBench runs the bench's ingest on a few hundred generated articles
// and checks what it reports.
func TestRunBench(t *testing.T) {
	arts, err := gen.SharedArticles(300, 1)
	if err != nil {
		t.Fatal(err)
	}
	r, err := runBench(context.Background(), filepath.Join(t.TempDir(), "b.db"), arts)
	if err != nil {
		t.Fatal(err)
	}
	if r.Articles != 300 || r.Seconds <= 0 || r.CPUSeconds <= 0 || r.PeakRSSMB <= 0 {
		t.Fatalf("bench result %+v", r)
	}
	if d := r.PerSec - 300/r.Seconds; d > 1e-6 || d < -1e-6 {
		t.Errorf("articles/s %v, want %v", r.PerSec, 300/r.Seconds)
	}
	if r.CPUSeconds > 10*r.Seconds {
		t.Errorf("%.2f s of CPU in %.2f s on this machine: not the ingest's alone", r.CPUSeconds, r.Seconds)
	}
}
