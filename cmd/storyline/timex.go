package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/storyline/storyline/timex"
	"github.com/storyline/storyline/timex/tml"
)

func init() {
	var dct string
	var asJSON bool
	tagCmd := &cobra.Command{
		Use:   "timex [FILE|-]",
		Short: "Find and normalize temporal expressions (TIMEX3) in a text",
		Long: "Reads a text (a file, or standard input with - or no argument) and prints each temporal\n" +
			"expression with its byte span, TIMEX3 type and value, normalized relative to --dct.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var d time.Time
			if dct != "" {
				var err error
				if d, err = time.Parse("2006-01-02", dct); err != nil {
					return fmt.Errorf("--dct: %w", err)
				}
			}
			var r io.Reader = cmd.InOrStdin()
			if len(args) == 1 && args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return fmt.Errorf("timex: %w", err)
				}
				defer f.Close()
				r = f
			}
			b, err := io.ReadAll(r)
			if err != nil {
				return fmt.Errorf("timex: read: %w", err)
			}
			out := timex.Tag(string(b), d)
			if asJSON {
				if out == nil {
					out = []timex.Timex{}
				}
				return writeJSON(cmd.OutOrStdout(), out)
			}
			w := cmd.OutOrStdout()
			for _, x := range out {
				fmt.Fprintf(w, "%d\t%d\t%s\t%s\t%s\n", x.Start, x.End, x.Type, x.Value, x.Text)
			}
			return nil
		},
	}
	tagCmd.Flags().StringVar(&dct, "dct", "", "document creation (publication) date YYYY-MM-DD; relative expressions resolve against it")
	tagCmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array of {Start,End,Text,Type,Value}")
	rootCmd.AddCommand(tagCmd)

	var evalJSON bool
	var showErrors string
	evalCmd := &cobra.Command{
		Use:   "timex-eval [--json] DIR",
		Short: "Score the timex tagger on TimeML (.tml, TempEval-3) gold files",
		Long: "Reads every .tml file under DIR, tags its TEXT with the DCT as anchor and scores the\n" +
			"result with the TempEval-3 definitions: strict and relaxed span P/R/F1; value P/R/F1 and\n" +
			"accuracy (a value counts when the span matches relaxed and the normalized value is equal).",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			docs, err := tml.LoadDir(args[0])
			if err != nil {
				return err
			}
			if len(docs) == 0 {
				return fmt.Errorf("timex-eval: no .tml files under %s", args[0])
			}
			rep := tml.Evaluate(docs, tagSpans, showErrors != "")
			w := cmd.OutOrStdout()
			for _, e := range rep.Errors {
				if showErrors == "all" || showErrors == e.Kind {
					fmt.Fprintf(w, "%s\t%s\tgold=%s|%s|%s\tsys=%s|%s|%s\t%q\n", e.Kind, e.Doc, e.GoldText, e.GoldType, e.GoldValue, e.SysText, e.SysType, e.SysValue, e.Context)
				}
			}
			if evalJSON {
				return writeJSON(w, rep)
			}
			fmt.Fprintf(w, "docs %d  gold %d  system %d\n", rep.Docs, rep.Gold, rep.System)
			fmt.Fprintf(w, "span strict   P %.3f  R %.3f  F1 %.3f\n", rep.Span.StrictP, rep.Span.StrictR, rep.Span.StrictF1)
			fmt.Fprintf(w, "span relaxed  P %.3f  R %.3f  F1 %.3f\n", rep.Span.RelaxedP, rep.Span.RelaxedR, rep.Span.RelaxedF1)
			fmt.Fprintf(w, "value         P %.3f  R %.3f  F1 %.3f  accuracy %.3f\n", rep.Value.P, rep.Value.R, rep.Value.F1, rep.Value.Accuracy)
			fmt.Fprintf(w, "type accuracy %.3f\n", rep.TypeAcc)
			return nil
		},
	}
	evalCmd.Flags().BoolVar(&evalJSON, "json", false, `print {"docs","gold","span":{...},"value":{...}} as JSON`)
	evalCmd.Flags().StringVar(&showErrors, "errors", "", "also list mismatches for error analysis: missed, spurious, value, span or all")
	rootCmd.AddCommand(evalCmd)
}

// tagSpans adapts timex.Tag to the scorer.
func tagSpans(text string, dct time.Time) []tml.Span {
	xs := timex.Tag(text, dct)
	out := make([]tml.Span, len(xs))
	for i, x := range xs {
		out[i] = tml.Span{Start: x.Start, End: x.End, Type: x.Type, Value: x.Value}
	}
	return out
}
