package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/internal/gen"
	"github.com/storyline/storyline/pipeline"
	"github.com/storyline/storyline/store/sqlite"
)

func init() {
	var n int
	var corpus, emit string
	var asJSON bool
	c := &cobra.Command{
		Use:   "bench --articles N",
		Short: "Generate N articles from real corpus sentences and ingest them end to end into a fresh embedded store",
		Long: `bench generates N articles by recombining sentences of the JSONL corpora under --corpus
(default ../shared/data), dated over a year, ingests them into a fresh SQLite store in a
temporary directory through the full pipeline, and prints articles, seconds, articles/s
and peak RSS. --emit FILE also writes the generated articles as JSONL (for peers).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			pools, err := gen.LoadJSONL(corpus)
			if err != nil {
				return fmt.Errorf("%w (give the shared corpora's data directory with --corpus)", err)
			}
			arts := gen.Articles(pools, n, 1)
			if emit != "" {
				if err := gen.WriteJSONL(emit, arts); err != nil {
					return err
				}
			}
			dir, err := os.MkdirTemp("", "storyline-bench-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			res, err := runBench(ctx, filepath.Join(dir, "bench.db"), arts)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), res)
			}
			res.write(cmd.OutOrStdout())
			return nil
		},
	}
	c.Flags().IntVar(&n, "articles", 10000, "how many articles to generate")
	c.Flags().StringVar(&corpus, "corpus", "../shared/data", "directory of JSONL corpora to draw sentences from")
	c.Flags().StringVar(&emit, "emit", "", "also write the generated articles to this JSONL file")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	rootCmd.AddCommand(c)
}

type benchResult struct {
	Articles  int     `json:"articles"`
	Seconds   float64 `json:"seconds"`
	PerSec    float64 `json:"articles_per_sec"`
	PeakRSSMB float64 `json:"peak_rss_mb"`
	// CPUSeconds is the user and system CPU time of the ingest: on a VM
	// whose speed varies, the CPU per article compares runs better than
	// the wall time alone.
	CPUSeconds float64 `json:"cpu_seconds"`
}

// write prints the result for people.
func (r benchResult) write(w io.Writer) {
	fmt.Fprintf(w, "%s in %.2f s: %.0f articles/s, peak RSS %.0f MB, %.1f s of CPU\n", plural(r.Articles, "article"), r.Seconds, r.PerSec, r.PeakRSSMB, r.CPUSeconds)
}

func runBench(ctx context.Context, db string, arts []article.Article) (benchResult, error) {
	runtime.GC()
	t0, cpu0 := time.Now(), cpuTime()
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		return benchResult{}, err
	}
	defer st.Close()
	in, err := pipeline.NewIngester(ctx, st, pipeline.DefaultOptions())
	if err != nil {
		return benchResult{}, err
	}
	pipeline.SortForStream(arts)
	batches := batchesOf(arts, ingestBatch)
	done := 0
	release := func(int) { clear(batches[done]); done++ } // memory stays flat
	if err := in.Stream(ctx, batches, release); err != nil {
		return benchResult{}, err
	}
	if err := in.Close(ctx); err != nil {
		return benchResult{}, err
	}
	sec := time.Since(t0).Seconds()
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return benchResult{Articles: len(arts), Seconds: sec, PerSec: float64(len(arts)) / sec, PeakRSSMB: float64(ru.Maxrss) / 1024,
		CPUSeconds: (cpuTime() - cpu0).Seconds()}, nil
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
