package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/storyline/storyline/store"
)

// filterFlags adds --from/--to/--source/--entity/--lang/--limit/--offset
// and returns a parser; --limit 0 (the default) means all.
func filterFlags(c *cobra.Command) func() (store.Filter, error) {
	return filterFlagsLimit(c, 0, "at most this many (0: all)")
}

// filterFlagsLimit is filterFlags with --limit's default and help.
func filterFlagsLimit(c *cobra.Command, defLimit int, limitHelp string) func() (store.Filter, error) {
	var from, to, source, ent, lang string
	var limit, offset int
	c.Flags().StringVar(&source, "source", "", "only with an article from this source")
	c.Flags().StringVar(&ent, "entity", "", "only with an article naming this entity id (for entities: co-occurring with it)")
	c.Flags().StringVar(&lang, "lang", "", "only with an article in this language (ISO 639-1)")
	c.Flags().StringVar(&from, "from", "", "only from this date (YYYY-MM-DD)")
	c.Flags().StringVar(&to, "to", "", "only up to this date (YYYY-MM-DD)")
	c.Flags().IntVar(&limit, "limit", defLimit, limitHelp)
	c.Flags().IntVar(&offset, "offset", 0, "skip this many")
	return func() (store.Filter, error) {
		f := store.Filter{Limit: limit, Offset: offset, Source: source, Entity: ent, Lang: lang}
		var err error
		if from != "" {
			if f.From, err = time.Parse("2006-01-02", from); err != nil {
				return f, fmt.Errorf("--from %q: want a date as YYYY-MM-DD", from)
			}
		}
		if to != "" {
			if f.To, err = time.Parse("2006-01-02", to); err != nil {
				return f, fmt.Errorf("--to %q: want a date as YYYY-MM-DD", to)
			}
		}
		return f, nil
	}
}

// noneFound tells a person (on stderr) that a listing is empty.
func noneFound(cmd *cobra.Command, n int, what string) {
	if n == 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "no %s (match filters exactly: sources and entity ids are case-sensitive)\n", what)
	}
}

// plural writes a count with its noun (the last word of word): "1
// article", "2 articles", "0 gold entities" (a consonant then y: ies).
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if l := len(word); l >= 2 && word[l-1] == 'y' && !strings.ContainsRune("aeiou", rune(word[l-2])) {
		return fmt.Sprintf("%d %sies", n, word[:l-1])
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// coNames lists the names of entities once each, in their order. A name
// that several entities share (the tagger typed it differently in
// different articles: the place and the government "Kestria") is followed
// by their types, as "Kestria (LOC, ORG)"; a name seen once stays bare.
func coNames(es []store.Entity) string {
	var names []string
	types := map[string][]string{}
	for _, e := range es {
		if _, seen := types[e.Name]; !seen {
			names = append(names, e.Name)
		}
		if !slices.Contains(types[e.Name], e.Type) {
			types[e.Name] = append(types[e.Name], e.Type)
		}
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n
		if ts := types[n]; len(ts) > 1 {
			slices.Sort(ts)
			out[i] += " (" + strings.Join(ts, ", ") + ")"
		}
	}
	return strings.Join(out, ", ")
}

func orUndated(d string) string {
	if d == "" {
		return "undated"
	}
	return d
}

func printEvent(w io.Writer, e store.Event) {
	fmt.Fprintf(w, "%s  %s  [%s]  %s\n", orUndated(e.Date), e.ID, plural(len(e.Articles), "article"), e.Headline)
}

func init() {
	rootCmd.AddCommand(listCommand("events", "List events (one real happening each) by date",
		func(cmd *cobra.Command, st store.Store, f store.Filter, asJSON bool) error {
			evs, err := st.Events(cmd.Context(), f)
			if err != nil || asJSON {
				return orJSON(cmd, evs, err)
			}
			for _, e := range evs {
				printEvent(cmd.OutOrStdout(), e)
			}
			noneFound(cmd, len(evs), "events")
			return nil
		}))
	rootCmd.AddCommand(listCommand("stories", "List storylines (events of one developing situation), most recently active first",
		func(cmd *cobra.Command, st store.Store, f store.Filter, asJSON bool) error {
			ss, err := st.Stories(cmd.Context(), f)
			if err != nil || asJSON {
				return orJSON(cmd, ss, err)
			}
			for _, s := range ss {
				fmt.Fprintf(cmd.OutOrStdout(), "%s  %s .. %s  [%s, %s]  %s\n", s.ID, orUndated(s.Start), orUndated(s.End), plural(len(s.Events), "event"), plural(len(s.Articles), "article"), s.Title)
			}
			noneFound(cmd, len(ss), "storylines")
			return nil
		}))
	rootCmd.AddCommand(listCommand("entities", "List canonical entities (people, organizations, places, other names), most mentioned first",
		func(cmd *cobra.Command, st store.Store, f store.Filter, asJSON bool) error {
			es, err := st.Entities(cmd.Context(), f)
			if err != nil || asJSON {
				return orJSON(cmd, es, err)
			}
			for _, e := range es {
				fmt.Fprintf(cmd.OutOrStdout(), "%-4s %s  [%s, %s]  %s\n", e.Type, e.ID, plural(len(e.Articles), "article"), plural(len(e.Events), "event"), strings.Join(e.Aliases, " | "))
			}
			noneFound(cmd, len(es), "entities")
			return nil
		}))

	var tlJSON bool
	tl := &cobra.Command{
		Use:   "timeline STORY",
		Short: "Show a storyline's events in time order, with their summaries",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := openExisting(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			s, err := st.Story(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			var evs []store.Event
			for _, id := range s.Events {
				e, err := st.Event(cmd.Context(), id)
				if err != nil {
					return err
				}
				evs = append(evs, e)
			}
			if tlJSON {
				return writeJSON(cmd.OutOrStdout(), map[string]any{"story": s, "events": evs})
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%s\n%s .. %s, %s, %s\n\n", s.Title, orUndated(s.Start), orUndated(s.End), plural(len(s.Events), "event"), plural(len(s.Articles), "article"))
			for _, e := range evs {
				fmt.Fprintf(w, "%s  %s\n", orUndated(e.Date), e.Headline)
				for _, x := range e.Summary {
					fmt.Fprintf(w, "            - %s [%s]\n", x.Text, x.Article)
				}
				fmt.Fprintf(w, "            (%s: %s)\n\n", plural(len(e.Articles), "article"), strings.Join(e.Articles, ", "))
			}
			return nil
		},
	}
	addDBFlag(tl)
	tl.Flags().BoolVar(&tlJSON, "json", false, "print JSON")
	rootCmd.AddCommand(tl)

	var showJSON bool
	sh := &cobra.Command{
		Use:   "show ID",
		Short: "Show an article, event, storyline or entity by id",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := openExisting(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			id := args[0]
			w := cmd.OutOrStdout()
			if e, err := st.Event(ctx, id); err == nil {
				if showJSON {
					return writeJSON(w, e)
				}
				fmt.Fprintf(w, "event %s (storyline %s)\ndate: %s\nheadline: %s\nsources: %s\n", e.ID, e.Story, orUndated(e.Date), e.Headline, strings.Join(e.Sources, ", "))
				for _, x := range e.Summary {
					fmt.Fprintf(w, "  - %s [%s]\n", x.Text, x.Article)
				}
				fmt.Fprintf(w, "articles: %s\n", strings.Join(e.Articles, ", "))
				return nil
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if s, err := st.Story(ctx, id); err == nil {
				if showJSON {
					return writeJSON(w, s)
				}
				fmt.Fprintf(w, "storyline %s\ntitle: %s\n%s .. %s\nevents: %s\narticles: %d\n", s.ID, s.Title, orUndated(s.Start), orUndated(s.End), strings.Join(s.Events, ", "), len(s.Articles))
				return nil
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if e, err := st.Entity(ctx, id); err == nil {
				if showJSON {
					return writeJSON(w, e)
				}
				co, _ := st.Entities(ctx, store.Filter{Entity: id, Limit: 10})
				fmt.Fprintf(w, "entity %s\nname: %s\ntype: %s\naliases: %s\nseen: %s .. %s\narticles: %s\nevents: %s\n",
					e.ID, e.Name, e.Type, strings.Join(e.Aliases, " | "), e.FirstSeen, e.LastSeen, strings.Join(e.Articles, ", "), strings.Join(e.Events, ", "))
				fmt.Fprintf(w, "co-occurring: %s\n", coNames(co))
				return nil
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			a, err := st.Article(ctx, id)
			if err != nil {
				if errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("no article, event, storyline or entity with id %q", id)
				}
				return err
			}
			if showJSON {
				return writeJSON(w, a)
			}
			pub := "undated"
			if !a.Published.IsZero() {
				pub = a.Published.Format("2006-01-02")
				if a.DateInferred {
					pub += " (inferred)"
				}
			}
			fmt.Fprintf(w, "article %s\ntitle: %s\npublished: %s\nsource: %s\nurl: %s\nevent: %s\n\n%s\n", a.ID, a.Title, pub, a.Source, a.URL, a.Event, a.Text)
			return nil
		},
	}
	addDBFlag(sh)
	sh.Flags().BoolVar(&showJSON, "json", false, "print JSON")
	rootCmd.AddCommand(sh)
}

// listCommand builds a listing command with the store, filter and --json
// flags; list does the listing.
func listCommand(name, short string, list func(cmd *cobra.Command, st store.Store, f store.Filter, asJSON bool) error) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{Use: name, Short: short, Args: cobra.NoArgs}
	addDBFlag(c)
	filter := filterFlags(c)
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.RunE = func(cmd *cobra.Command, args []string) error {
		f, err := filter()
		if err != nil {
			return err
		}
		st, err := openExisting(cmd.Context())
		if err != nil {
			return err
		}
		defer st.Close()
		return list(cmd, st, f, asJSON)
	}
	return c
}

// orJSON returns err, or else writes v as JSON.
func orJSON(cmd *cobra.Command, v any, err error) error {
	if err != nil {
		return err
	}
	return writeJSON(cmd.OutOrStdout(), v)
}
