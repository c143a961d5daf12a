package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/cluster"
	"github.com/storyline/storyline/pipeline"
)

// readAll reads articles from paths, reporting rejections on stderr.
// It returns the articles and how many inputs were rejected.
func readAll(cmd *cobra.Command, paths []string) ([]article.Article, int, error) {
	var arts []article.Article
	rejected := 0
	err := article.ReadPaths(cmd.Context(), paths, article.Sink{
		Article: func(a article.Article) error { arts = append(arts, a); return nil },
		Reject: func(r article.Rejection) {
			rejected++
			fmt.Fprintln(cmd.ErrOrStderr(), "rejected:", r.Error())
		},
	})
	return arts, rejected, err
}

func init() {
	c := &cobra.Command{
		Use:   "cluster FILE...",
		Short: "Cluster articles into events and storylines without a store; prints JSON lines {id,event,story}",
		Long: `cluster reads articles (JSONL, text files or directories), runs the same analysis and
online assignment as ingest, and prints one JSON line per article in processing order:
{"id":..., "event":..., "story":...}. Nothing is stored.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			arts, rejected, err := readAll(cmd, args)
			if err != nil {
				return err
			}
			labels, err := pipeline.ClusterAll(cmd.Context(), arts, cluster.DefaultOptions())
			if err != nil {
				return err
			}
			w := bufio.NewWriter(cmd.OutOrStdout())
			enc := json.NewEncoder(w)
			for _, l := range labels {
				if err := enc.Encode(l); err != nil {
					return err
				}
			}
			if err := w.Flush(); err != nil {
				return err
			}
			if rejected > 0 {
				return errRejected
			}
			return nil
		},
	}
	rootCmd.AddCommand(c)
	_ = os.Stdout
}
