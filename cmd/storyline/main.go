// Command storyline turns a pile or stream of news articles into events and
// storylines. Each subcommand lives in its own file of this package; the
// logic lives in the library packages.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"runtime/pprof"

	"github.com/spf13/cobra"
)

// rootCmd is the storyline command; subcommand files add themselves to it
// in their init functions.
var rootCmd = &cobra.Command{
	Use:           "storyline",
	Short:         "Turn news articles into events, storylines, timelines and summaries",
	SilenceUsage:  true,
	SilenceErrors: true,
	PersistentPreRun: func(cmd *cobra.Command, args []string) {
		level := slog.LevelWarn
		if verbose {
			level = slog.LevelDebug
		}
		slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})))
		// A soft heap limit: the garbage collector works harder as the heap
		// nears it, instead of letting it grow to twice the live data.
		// GOMEMLIMIT, when set, wins.
		if _, set := os.LookupEnv("GOMEMLIMIT"); !set && memLimitMB > 0 {
			debug.SetMemoryLimit(memLimitMB << 20)
		}
		if cpuProfile != "" {
			f, err := os.Create(cpuProfile)
			if err != nil {
				slog.Error("cpu profile", "err", err)
				return
			}
			profileFile = f
			pprof.StartCPUProfile(f)
		}
	},
}

// stopProfile ends the CPU profile, if one was started, and writes the
// allocation profile, if one was asked for.
func stopProfile() {
	if profileFile != nil {
		pprof.StopCPUProfile()
		profileFile.Close()
	}
	if memProfile != "" {
		f, err := os.Create(memProfile)
		if err != nil {
			slog.Error("memory profile", "err", err)
			return
		}
		defer f.Close()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			slog.Error("memory profile", "err", err)
		}
	}
}

var (
	verbose     bool
	memLimitMB  int64
	cpuProfile  string
	memProfile  string
	profileFile *os.File
)

func init() {
	rootCmd.PersistentFlags().BoolVarP(&verbose, "verbose", "v", false, "log debug messages to stderr")
	rootCmd.PersistentFlags().Int64Var(&memLimitMB, "memory-limit", 1024,
		"soft limit of the Go heap in MiB (0: none; the GOMEMLIMIT environment variable overrides it)")
	rootCmd.PersistentFlags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the command to this file (for go tool pprof)")
	rootCmd.PersistentFlags().StringVar(&memProfile, "memprofile", "", "write the command's allocation profile to this file when it ends (for go tool pprof -sample_index=alloc_space)")
}

// errRejected is returned by commands that finished but rejected some
// input; it makes the exit status 1 without printing more.
var errRejected = errors.New("some input was rejected")

func main() {
	err := rootCmd.Execute()
	stopProfile()
	if err != nil {
		if !errors.Is(err, errRejected) {
			fmt.Fprintln(os.Stderr, "storyline:", err)
		}
		os.Exit(1)
	}
}

// writeJSON writes v as indented JSON followed by a newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
