package main

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/storyline/storyline/cluster"
	"github.com/storyline/storyline/eval"
	"github.com/storyline/storyline/pipeline"
)

func init() {
	var gold, level, field string
	var asJSON bool
	c := &cobra.Command{
		Use:   "eval --gold FILE.jsonl",
		Short: "Cluster a labelled file with the default settings and score it (pairwise, BCubed, ARI, NMI)",
		Long: `eval clusters the articles of a JSONL file whose "event" field holds gold labels, with
the default settings, and scores the predicted events (--level event) or storylines
(--level story) against those labels: pairwise P/R/F1, BCubed P/R/F1, ARI and NMI.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("eval takes the labelled file as --gold %s", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if level != "event" && level != "story" {
				return fmt.Errorf("--level must be event or story, not %q", level)
			}
			arts, rejected, err := readAll(cmd, []string{gold})
			if err != nil {
				return err
			}
			goldOf := map[string]string{}
			for _, a := range arts {
				g, ok := a.Extra[field]
				if !ok {
					return fmt.Errorf("%s: article %q has no %q label", gold, a.ID, field)
				}
				goldOf[a.ID] = g
			}
			labels, err := pipeline.ClusterAll(cmd.Context(), arts, cluster.DefaultOptions())
			if err != nil {
				return err
			}
			var g, p []string
			for _, l := range labels {
				g = append(g, goldOf[l.ID])
				if level == "story" {
					p = append(p, l.Story)
				} else {
					p = append(p, l.Event)
				}
			}
			s, err := eval.ScoreClusters(g, p)
			if err != nil {
				return err
			}
			if asJSON {
				if err := writeJSON(cmd.OutOrStdout(), s); err != nil {
					return err
				}
			} else {
				w := cmd.OutOrStdout()
				fmt.Fprintf(w, "docs %d, gold clusters %d, predicted clusters %d (level %s)\n", s.Docs, s.GoldClusters, s.PredClusters, level)
				fmt.Fprintf(w, "pairwise  P %.4f  R %.4f  F1 %.4f\n", s.Pairwise.P, s.Pairwise.R, s.Pairwise.F1)
				fmt.Fprintf(w, "BCubed    P %.4f  R %.4f  F1 %.4f\n", s.BCubed.P, s.BCubed.R, s.BCubed.F1)
				fmt.Fprintf(w, "ARI %.4f  NMI %.4f\n", s.ARI, s.NMI)
			}
			if rejected > 0 {
				return errRejected
			}
			return nil
		},
	}
	c.Flags().StringVar(&gold, "gold", "", "JSONL file with gold labels in the \"event\" field (required)")
	c.Flags().StringVar(&level, "level", "event", "what to score against the labels: event or story")
	c.Flags().StringVar(&field, "label", "event", "the JSONL field holding the gold labels")
	c.Flags().BoolVar(&asJSON, "json", false, "print the scores as JSON")
	_ = c.MarkFlagRequired("gold")
	rootCmd.AddCommand(c)
}
