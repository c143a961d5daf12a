package main

import (
	"fmt"
	"os"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/pipeline"
)

// publishHook, set by publish.go, sends the articles to a queue instead of
// the store when `ingest --publish` is given; done reports that it did.
var publishHook func(cmd *cobra.Command, arts []article.Article, rejected int) (done bool, err error)

// ingestBatch is how many articles are committed per transaction.
const ingestBatch = 1000

func init() {
	var asJSON bool
	c := &cobra.Command{
		Use:   "ingest PATH...",
		Short: "Read articles from files and directories into the store, clustering them into events and storylines",
		Long: `ingest reads .txt files (one article each; optional leading "date YYYY-MM-DD" marker),
.jsonl/.ndjson files (one article per line), .html/.htm pages (main text and metadata),
RSS/Atom feeds (.rss, .atom, .xml: one article per item), WARC archives (.warc, .warc.gz:
one article per HTML response) and directories (recursively). All inputs are read, then
processed in publication order; each article is assigned to an event and a storyline. The same id ingested twice is
one article; changed content updates it. Each batch is committed atomically: an interrupted
ingest can simply be run again.

Exit status is 0 only when every input was accepted; rejected inputs are named on stderr.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			arts, rejected, err := readAll(cmd, args)
			if err != nil {
				return err
			}
			if publishHook != nil {
				if done, err := publishHook(cmd, arts, rejected); done || err != nil {
					return err
				}
			}
			st, err := openStore(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			in, err := pipeline.NewIngester(ctx, st, pipeline.DefaultOptions())
			if err != nil {
				return err
			}
			pipeline.SortForStream(arts)
			var bar *progressbar.ProgressBar
			if isatty.IsTerminal(os.Stderr.Fd()) && !asJSON {
				bar = progressbar.NewOptions(len(arts), progressbar.OptionSetWriter(os.Stderr),
					progressbar.OptionSetDescription("ingest"), progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
			}
			batches := batchesOf(arts, ingestBatch)
			done := 0
			err = in.Stream(ctx, batches, func(n int) {
				// Release ingested articles: memory stays flat.
				clear(batches[done])
				done++
				if bar != nil {
					bar.Add(n)
				}
			})
			if err != nil {
				return err
			}
			if err := in.Close(ctx); err != nil {
				return err
			}
			if bar != nil {
				bar.Finish()
			}
			in.Stats.Rejected = rejected
			in.Stats.Read += rejected
			if asJSON {
				writeJSON(cmd.OutOrStdout(), in.Stats)
			} else {
				s := in.Stats
				fmt.Fprintf(cmd.OutOrStdout(), "read %d, new %d, updated %d, unchanged %d, rejected %d", s.Read, s.New, s.Updated, s.Unchanged, s.Rejected)
				if s.NotEnglish > 0 {
					fmt.Fprintf(cmd.OutOrStdout(), " (%d not in English: stored and listed, not clustered)", s.NotEnglish)
				}
				fmt.Fprintln(cmd.OutOrStdout())
			}
			if rejected > 0 {
				return errRejected
			}
			return nil
		},
	}
	addDBFlag(c)
	c.Flags().BoolVar(&asJSON, "json", false, "print the summary as JSON")
	rootCmd.AddCommand(c)
}

// batchesOf cuts arts into batches of at most n.
func batchesOf(arts []article.Article, n int) [][]article.Article {
	var out [][]article.Article
	for i := 0; i < len(arts); i += n {
		out = append(out, arts[i:min(i+n, len(arts))])
	}
	return out
}
