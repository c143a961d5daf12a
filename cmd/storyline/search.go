package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/storyline/storyline/store"
	"github.com/storyline/storyline/summary"
)

// searchLimit is search's default --limit (that of /api/search).
const searchLimit = 50

func init() {
	var asJSON bool
	c := &cobra.Command{
		Use:   "search QUERY...",
		Short: "Find articles whose title or text match a full-text query, best first",
		Long: `search looks the query up in the store's full-text index (the one behind
/api/search): words (all must match), "quoted phrases", OR and NOT between
terms, and prefix* words. Several arguments are joined with spaces, so quote
a phrase for the shell too: storyline search '"Upper Selva" breach'.
Title matches rank above body matches. --from/--to are on the article's
publication date. One line per article: date, id, [source, event], title.`,
		Example: `  storyline search Sorvald
  storyline search --from 2025-03-10 --limit 5 '"Upper Selva" breach'
  storyline search --json 'dam OR reservoir'`,
		Args: cobra.MinimumNArgs(1),
	}
	addDBFlag(c)
	filter := filterFlagsLimit(c, searchLimit, "at most this many (1 or more)")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.RunE = func(cmd *cobra.Command, args []string) error {
		q := strings.TrimSpace(strings.Join(args, " "))
		if q == "" {
			return errors.New("search: give words to search for")
		}
		f, err := filter()
		if err != nil {
			return err
		}
		if f.Limit < 1 {
			return fmt.Errorf("--limit %d: want 1 or more", f.Limit)
		}
		st, err := openExisting(cmd.Context())
		if err != nil {
			return err
		}
		defer st.Close()
		arts, err := st.Search(cmd.Context(), q, f)
		if err != nil || asJSON {
			return orJSON(cmd, arts, err)
		}
		for _, a := range arts {
			printHit(cmd.OutOrStdout(), a)
		}
		if len(arts) == 0 {
			fmt.Fprintf(cmd.ErrOrStderr(), "no article matches %q\n", q)
		}
		return nil
	}
	rootCmd.AddCommand(c)
}

// printHit writes one search result: date, id, [source, event], title (or
// the start of the text when the article has no title).
func printHit(w io.Writer, a store.Article) {
	date := "undated"
	if !a.Published.IsZero() {
		date = a.Published.Format("2006-01-02")
	}
	var where []string
	if a.Source != "" {
		where = append(where, a.Source)
	}
	if a.Event != "" {
		where = append(where, "event "+a.Event)
	}
	title := a.Title
	if title == "" {
		title = startOf(a.Text, 80)
	}
	fmt.Fprintf(w, "%s  %s  [%s]  %s\n", date, a.ID, strings.Join(where, ", "), title)
}

// startOf returns text's first line, cut at a word boundary to about n
// bytes, with an ellipsis when cut.
func startOf(text string, n int) string {
	s, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	return summary.Clip(s, n)
}
