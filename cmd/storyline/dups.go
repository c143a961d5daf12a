package main

import (
	"context"
	"fmt"
	"os"
	"sort"

	"github.com/spf13/cobra"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/dedup"
	"github.com/storyline/storyline/store"
)

func init() {
	var asJSON bool
	var threshold float64
	cmd := &cobra.Command{
		Use:   "dups [--json] [FILE...]",
		Short: "List near-duplicate groups and reused passages (from the store, or offline from files)",
		Long: `Without files, dups lists what ingest found in the store (--db): the groups of exact
or near-duplicate articles and, for every article, the passages it shares with earlier
ones (origin = earliest published holder). With files, it reads and indexes them offline
in order of publication (undated last), without a store.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				s, err := dupsFromStore(cmd.Context())
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(cmd.OutOrStdout(), s)
				}
				return dedup.WriteSummary(cmd.OutOrStdout(), s)
			}
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
	addDBFlag(cmd)
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

// dupsFromStore rebuilds the dups summary from the stored pairs and reuse
// records, in ingest order.
func dupsFromStore(ctx context.Context) (dedup.Summary, error) {
	st, err := openExisting(ctx)
	if err != nil {
		return dedup.Summary{}, err
	}
	defer st.Close()
	dups, err := st.Duplicates(ctx, store.Filter{})
	if err != nil {
		return dedup.Summary{}, err
	}
	reuse, err := st.ReuseAll(ctx, store.Filter{})
	if err != nil {
		return dedup.Summary{}, err
	}
	c := dedup.NewCollector()
	for _, d := range dups {
		c.Observe(d.B, dedup.Result{Near: []dedup.Match{{ID: d.A, Similarity: d.Similarity}}})
	}
	for _, r := range reuse {
		c.Observe(r.To, dedup.Result{Reuse: []dedup.Reuse{toDedupReuse(r)}, Novelty: novelty(ctx, st, r.To)})
	}
	return c.Summary(), nil
}

func novelty(ctx context.Context, st store.Store, id string) float64 {
	a, err := st.Article(ctx, id)
	if err != nil {
		return 1
	}
	return a.Novelty
}

func toDedupReuse(r store.Reuse) dedup.Reuse {
	out := dedup.Reuse{From: r.From, SharedRatio: r.SharedRatio}
	for _, p := range r.Passages {
		out.Passages = append(out.Passages, dedup.Passage{Text: p.Text, FromOffset: p.FromOffset, ToOffset: p.ToOffset, Len: p.Len})
	}
	return out
}

func init() {
	var asJSON bool
	c := &cobra.Command{
		Use:   "reuse ID",
		Short: "Show an article with the passages it copied marked «like this»[from ORIGIN]",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := openExisting(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			a, err := st.Article(ctx, args[0])
			if err != nil {
				return err
			}
			rs, err := st.ReuseOf(ctx, a.ID)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), map[string]any{"id": a.ID, "novelty": a.Novelty, "reuse": rs})
			}
			var r dedup.Result
			for _, x := range rs {
				r.Reuse = append(r.Reuse, toDedupReuse(x))
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "article %s: %.0f%% new text", a.ID, 100*a.Novelty)
			for _, x := range rs {
				fmt.Fprintf(w, "; %.0f%% from %s", 100*x.SharedRatio, x.From)
			}
			fmt.Fprintf(w, "\n\n%s\n", dedup.Mark(a.Text, r))
			return nil
		},
	}
	addDBFlag(c)
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	rootCmd.AddCommand(c)
}
