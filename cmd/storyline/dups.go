package main

import (
	"context"
	"fmt"
	"os"
	"sort"

	"github.com/spf13/cobra"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/dedup"
)

func init() {
	var asJSON bool
	var threshold float64
	cmd := &cobra.Command{
		Use:   "dups [--json] FILE...",
		Short: "Find exact and near-duplicate articles and reused passages in files",
		Long: `dups reads articles from files (offline, no store), indexes them in order of
publication (undated last) and lists the groups of exact or near-duplicate
articles and, for every article, the passages it shares with earlier ones
(origin = earliest published holder).`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opt := dedup.DefaultOptions()
			if threshold > 0 {
				opt = dedup.Options{Threshold: threshold}
			}
			if err := opt.Validate(); err != nil {
				return err
			}
			arts, rejected, err := dupsRead(cmd.Context(), args)
			if err != nil {
				return err
			}
			s := dedup.Dups(arts, opt)
			if asJSON {
				err = writeJSON(cmd.OutOrStdout(), s)
			} else {
				err = dedup.WriteSummary(cmd.OutOrStdout(), s)
			}
			if err != nil {
				return err
			}
			if rejected {
				return errRejected
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().Float64Var(&threshold, "threshold", 0, "near-duplicate Jaccard threshold (default 0.6)")
	rootCmd.AddCommand(cmd)
}

// dupsRead reads articles from paths in publication order (undated last,
// input order among equals); rejections are printed to stderr.
func dupsRead(ctx context.Context, paths []string) ([]dedup.Doc, bool, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	var docs []dedup.Doc
	rejected := false
	err := article.ReadPaths(ctx, paths, article.Sink{
		Article: func(a article.Article) error {
			docs = append(docs, dedup.Doc{ID: a.ID, Published: a.Published, Text: a.Text})
			return nil
		},
		Reject: func(r article.Rejection) {
			rejected = true
			fmt.Fprintln(os.Stderr, "storyline: rejected:", r.Error())
		},
	})
	if err != nil {
		return nil, rejected, fmt.Errorf("read articles: %w", err)
	}
	sort.SliceStable(docs, func(i, j int) bool { return dedup.Earlier(docs[i].Published, docs[j].Published) })
	return docs, rejected, nil
}
