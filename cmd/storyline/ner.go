package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/storyline/storyline/entity"
	"github.com/storyline/storyline/entity/conll"
	"github.com/storyline/storyline/entity/ecbxml"
)

func init() {
	rootCmd.AddCommand(nerTrainCmd(), nerEvalCmd(), nerTagCmd(), nerResolveEvalCmd())
}

func readConllFile(path string) ([]conll.Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	docs, err := conll.Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return docs, nil
}

// loadTagger returns the embedded tagger, or one over the model file path,
// decoding with the given beam width.
func loadTagger(path string, beam int) (*entity.Tagger, error) {
	if path == "" {
		t, err := entity.Default()
		if err != nil || beam == entity.DefaultBeam {
			return t, err
		}
		return entity.NewTaggerBeam(t.Model(), beam), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := entity.ReadModel(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return entity.NewTaggerBeam(m, beam), nil
}

func nerTrainCmd() *cobra.Command {
	var trainPath, devPath, out string
	var opt entity.TrainOptions
	var clusters int
	var textFiles []string
	cmd := &cobra.Command{
		Use:   "ner-train --train FILE --dev FILE -o MODEL",
		Short: "Train the named-entity tagger on CoNLL-format data",
		Long: "Trains the greedy averaged-perceptron BILOU tagger on a CoNLL-2003 column file\n" +
			"(word first, IOB tag last), keeping the epoch with the best entity F1 on --dev,\n" +
			"and writes the compact model file (gzip, hashed weights, no text).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if trainPath == "" || out == "" {
				return fmt.Errorf("--train and -o are required")
			}
			train, err := readConllFile(trainPath)
			if err != nil {
				return err
			}
			var dev []conll.Document
			if devPath != "" {
				if dev, err = readConllFile(devPath); err != nil {
					return err
				}
			}
			opt.Logf = func(format string, args ...any) {
				fmt.Fprintf(cmd.ErrOrStderr(), format+"\n", args...)
			}
			if clusters > 0 {
				corpus := entity.NewClusterCorpus()
				for _, set := range [][]conll.Document{train, dev} {
					for _, d := range set {
						for _, s := range d.Sentences {
							corpus.AddSentence(s.Words)
						}
					}
				}
				for _, p := range textFiles {
					if err := addClusterText(corpus, p); err != nil {
						return err
					}
				}
				cl, err := entity.BuildClusters(cmd.Context(), corpus, entity.ClusterOptions{Fine: clusters, Seed: opt.Seed})
				if err != nil {
					return err
				}
				opt.Logf("clustered %d words into %d clusters", len(cl), clusters)
				opt.Clusters = cl
			}
			m, res, err := entity.Train(cmd.Context(), train, dev, opt)
			if err != nil {
				return err
			}
			f, err := os.Create(out)
			if err != nil {
				return err
			}
			n, err := m.WriteTo(f)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return fmt.Errorf("write %s: %w", out, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (%s): best epoch %d, dev F1 %.4f\n", out, plural(int(n), "byte"), res.BestEpoch, res.DevF1)
			return nil
		},
	}
	cmd.Flags().StringVar(&trainPath, "train", "", "CoNLL training file")
	cmd.Flags().StringVar(&devPath, "dev", "", "CoNLL development file (picks the best epoch)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "model file to write")
	cmd.Flags().IntVar(&opt.Epochs, "epochs", 0, "training epochs (default 10)")
	cmd.Flags().IntVar(&opt.Bits, "bits", 0, "log2 of hashed feature rows (default 20)")
	cmd.Flags().Uint64Var(&opt.Seed, "seed", 1, "shuffling seed")
	cmd.Flags().Float64Var(&opt.LowerFrac, "lower-frac", 0.3, "share of training documents also added lower-cased (robustness to uncased text)")
	cmd.Flags().IntVar(&clusters, "clusters", 0, "train this many word clusters on the words of --train, --dev and --text (0 = none)")
	cmd.Flags().StringSliceVar(&textFiles, "text", nil, "unlabelled text for word clusters: plain text, or JSON Lines with \"title\"/\"text\" fields (.jsonl); repeatable")
	return cmd
}

// addClusterText adds a plain-text or JSON Lines file to a cluster corpus.
func addClusterText(c *entity.ClusterCorpus, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if !strings.HasSuffix(path, ".jsonl") {
		b, err := io.ReadAll(f)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		c.AddText(string(b))
		return nil
	}
	dec := json.NewDecoder(f)
	for {
		var rec struct{ Title, Text string }
		if err := dec.Decode(&rec); err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		c.AddText(rec.Title + "\n\n" + rec.Text)
	}
}

func nerEvalCmd() *cobra.Command {
	var asJSON bool
	var recase string
	var modelPath string
	var beam int
	cmd := &cobra.Command{
		Use:   "ner-eval [--json] FILE.conll",
		Short: "Score the named-entity tagger on a CoNLL file (CoNLL-2003 entity-level P/R/F1)",
		Long: "Tags every document of a CoNLL column file (keeping its tokens, sentences and\n" +
			"-DOCSTART- documents) and scores exact span+type matches as conlleval does.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if recase != "" && recase != "lower" && recase != "upper" {
				return fmt.Errorf("--recase must be lower or upper, not %q", recase)
			}
			t, err := loadTagger(modelPath, beam)
			if err != nil {
				return err
			}
			docs, err := readConllFile(args[0])
			if err != nil {
				return err
			}
			sc := conll.NewScorer()
			for _, d := range docs {
				words := make([][]string, len(d.Sentences))
				for i, s := range d.Sentences {
					words[i] = s.Words
					if recase != "" {
						words[i] = make([]string, len(s.Words))
						for k, w := range s.Words {
							if recase == "lower" {
								words[i][k] = strings.ToLower(w)
							} else {
								words[i][k] = strings.ToUpper(w)
							}
						}
					}
				}
				for i, tags := range t.TagWords(words) {
					if err := sc.Add(d.Sentences[i].Tags, tags); err != nil {
						return err
					}
				}
			}
			res := sc.Result()
			slog.Debug("ner-eval", "file", args[0], "docs", len(docs))
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), res)
			}
			return printScore(cmd.OutOrStdout(), res)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON {f1, precision, recall, per_type}")
	cmd.Flags().StringVar(&recase, "recase", "", "lower|upper: change the case of every word first (robustness check)")
	cmd.Flags().StringVar(&modelPath, "model", "", "model file (default: the embedded model)")
	cmd.Flags().IntVar(&beam, "beam", entity.DefaultBeam, "label sequences kept while decoding (1 = greedy)")
	return cmd
}

func printScore(w io.Writer, r conll.Result) error {
	fmt.Fprintf(w, "%-8s %9s %9s %9s %7s %7s %7s\n", "type", "precision", "recall", "f1", "correct", "guessed", "gold")
	fmt.Fprintf(w, "%-8s %9.4f %9.4f %9.4f %7d %7d %7d\n", "ALL", r.Precision, r.Recall, r.F1, r.Correct, r.Guessed, r.Gold)
	types := make([]string, 0, len(r.PerType))
	for k := range r.PerType {
		types = append(types, k)
	}
	slices.Sort(types)
	for _, k := range types {
		v := r.PerType[k]
		fmt.Fprintf(w, "%-8s %9.4f %9.4f %9.4f %7d %7d %7d\n", k, v.Precision, v.Recall, v.F1, v.Correct, v.Guessed, v.Gold)
	}
	return nil
}

func nerTagCmd() *cobra.Command {
	var asJSON bool
	var modelPath string
	var beam int
	cmd := &cobra.Command{
		Use:   "ner-tag [--json] [FILE]",
		Short: "Print the entity mentions found in a text file (or standard input)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := loadTagger(modelPath, beam)
			if err != nil {
				return err
			}
			var b []byte
			if len(args) == 1 {
				b, err = os.ReadFile(args[0])
			} else {
				b, err = io.ReadAll(cmd.InOrStdin())
			}
			if err != nil {
				return err
			}
			ms := t.Tag(string(b))
			if ms == nil {
				ms = []entity.Mention{}
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), ms)
			}
			for _, m := range ms {
				fmt.Fprintf(cmd.OutOrStdout(), "%d\t%d\t%s\t%s\n", m.Start, m.End, m.Type, strings.ReplaceAll(m.Text, "\n", " "))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array of mentions")
	cmd.Flags().StringVar(&modelPath, "model", "", "model file (default: the embedded model)")
	cmd.Flags().IntVar(&beam, "beam", entity.DefaultBeam, "label sequences kept while decoding (1 = greedy)")
	return cmd
}

func nerResolveEvalCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "ner-resolve-eval [--json] ECBPLUS_DIR",
		Short: "Score cross-document entity resolution on ECB+ gold name mentions (B-cubed)",
		Long: "Reads the ECB+ CAT XML files (DIR/<topic>/*.xml), keeps the person, organization and place\n" +
			"mentions that are names and belong to a gold cross-document chain, streams the documents\n" +
			"through the entity resolver and prints B-cubed precision/recall/F1 against the gold chains,\n" +
			"beside an exact-string baseline.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			files, err := filepath.Glob(filepath.Join(args[0], "*", "*.xml"))
			if err != nil {
				return err
			}
			if len(files) == 0 {
				return fmt.Errorf("no ECB+ XML files under %s", args[0])
			}
			slices.Sort(files)
			tg, err := entity.Default()
			if err != nil {
				return err
			}
			var found, goldMs [][]entity.Mention
			var docs []entity.ResolveDoc
			var tagged []entity.TaggedDoc
			for _, p := range files {
				f, err := os.Open(p)
				if err != nil {
					return err
				}
				d, err := ecbxml.Read(f)
				f.Close()
				if err != nil {
					return fmt.Errorf("%s: %w", p, err)
				}
				rd := entity.ResolveDoc{ID: filepath.Base(p)}
				var gm []entity.Mention
				for _, m := range d.Named() {
					mention := entity.Mention{Start: m.Start, End: m.End, Text: m.Text, Type: m.Type}
					rd.Mentions = append(rd.Mentions, entity.GoldMention{Mention: mention, Gold: m.Instance})
					if m.Start >= 0 {
						gm = append(gm, mention)
					}
				}
				text, _ := d.PlainText()
				ms := tg.Tag(text)
				found = append(found, ms)
				goldMs = append(goldMs, gm)
				tagged = append(tagged, entity.TaggedDoc{ID: rd.ID, Found: ms, Gold: rd.Mentions})
				docs = append(docs, rd)
			}
			res, base := entity.EvaluateResolution(docs)
			rec := entity.TaggerRecall(found, goldMs)
			end := entity.EvaluateTaggedResolution(tagged)
			out := map[string]any{"docs": len(docs), "resolver": res, "exact_match": base, "tagger_recall": rec, "tagged_resolver": end}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), out)
			}
			writeResolveEval(cmd.OutOrStdout(), len(docs), res, base, rec, end)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// writeResolveEval prints ner-resolve-eval's scores for people.
func writeResolveEval(w io.Writer, docs int, res, base entity.ResolveScore, rec entity.RecallScore, end entity.ResolveScore) {
	fmt.Fprintf(w, "%s, %s, %s\n", plural(docs, "doc"), plural(res.Mentions, "name mention"), plural(res.GoldEntities, "gold entity"))
	for _, r := range []struct {
		name string
		s    entity.ResolveScore
	}{{"resolver", res}, {"exact match", base}} {
		fmt.Fprintf(w, "%-12s B3 P %.4f R %.4f F1 %.4f (%s)\n", r.name, r.s.Precision, r.s.Recall, r.s.F1, plural(r.s.Entities, "entity"))
	}
	fmt.Fprintf(w, "tagger recall of the %s: exact span+type %.4f, exact span %.4f, overlapping span+type %.4f\n",
		plural(rec.Gold, "gold name"), rec.Exact, rec.ExactSpan, rec.OverlapType)
	fmt.Fprintf(w, "tagger + resolver, on the %s matching a gold span: B3 P %.4f R %.4f F1 %.4f\n",
		plural(end.Mentions, "tagged mention"), end.Precision, end.Recall, end.F1)
}
