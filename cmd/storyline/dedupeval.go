package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/dedup"
	"github.com/storyline/storyline/dedup/dedupeval"
)

func init() {
	var (
		corpus, write     string
		asJSON            bool
		seed              uint64
		minP, minR, minF1 float64
		threshold         float64
	)
	cmd := &cobra.Command{
		Use:   "dedup-eval --corpus FILE.jsonl [--json]",
		Short: "Measure duplicate and reuse detection on a synthetic syndication corpus",
		Long: `dedup-eval generates syndicated variants of the articles in --corpus (dropped,
inserted and substituted words and sentences, reordered paragraphs, changed
boilerplate, truncation, partial reuse, exact copies, tiny articles), computes
the truth by brute force (exact shingle Jaccard, sentences seen earlier) and
reports near-duplicate pair precision/recall and shared-sentence F1 at the
default options. With --min-* flags it exits 1 when a floor is missed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if corpus == "" {
				return fmt.Errorf("--corpus is required")
			}
			var docs []dedupeval.Doc
			err := article.ReadPaths(cmd.Context(), []string{corpus}, article.Sink{
				Article: func(a article.Article) error {
					docs = append(docs, dedupeval.Doc{ID: a.ID, Text: a.Text})
					return nil
				},
				Reject: func(article.Rejection) {},
			})
			if err != nil {
				return fmt.Errorf("read corpus: %w", err)
			}
			arts := dedupeval.Generate(docs, seed)
			if len(arts) == 0 {
				return fmt.Errorf("corpus %s: no usable articles", corpus)
			}
			if write != "" {
				if err := writeEvalCorpus(write, arts); err != nil {
					return err
				}
			}
			rep, err := dedupeval.Evaluate(cmd.Context(), arts, dedup.Options{Threshold: threshold})
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				err = writeJSON(out, rep)
			} else {
				err = dedupeval.WriteReport(out, rep)
			}
			if err != nil {
				return err
			}
			if rep.Precision < minP || rep.Recall < minR || rep.SentenceF1 < minF1 {
				fmt.Fprintf(os.Stderr, "dedup-eval: floor missed (precision %.4f >= %.2f, recall %.4f >= %.2f, sentence F1 %.4f >= %.2f)\n",
					rep.Precision, minP, rep.Recall, minR, rep.SentenceF1, minF1)
				return errRejected
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&corpus, "corpus", "", "JSONL file of real articles to derive the corpus from")
	f.StringVar(&write, "write", "", "also write the generated corpus to this JSONL file (for inspection; do not commit)")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	f.Uint64Var(&seed, "seed", 1, "random seed of the generator")
	f.Float64Var(&threshold, "threshold", 0, "near-duplicate threshold (default: the library default)")
	f.Float64Var(&minP, "min-precision", 0, "exit 1 if pair precision is below this")
	f.Float64Var(&minR, "min-recall", 0, "exit 1 if pair recall is below this")
	f.Float64Var(&minF1, "min-f1", 0, "exit 1 if shared-sentence F1 is below this")
	rootCmd.AddCommand(cmd)
}

func writeEvalCorpus(path string, arts []dedupeval.Article) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write corpus: %w", err)
	}
	enc := json.NewEncoder(f)
	for _, a := range arts {
		if err := enc.Encode(a); err != nil {
			f.Close()
			return fmt.Errorf("write corpus: %w", err)
		}
	}
	return f.Close()
}
