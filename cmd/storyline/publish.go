package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/storyline/storyline/article"
	"github.com/storyline/storyline/pipeline"
	"github.com/storyline/storyline/queue"
)

// `storyline ingest --publish nats://HOST:PORT PATH...`: the ingest
// command reads and orders the articles as usual, then publishes them to
// JetStream for `storyline worker` instead of writing a store.
func init() {
	var ing *cobra.Command
	for _, c := range rootCmd.Commands() {
		if c.Name() == "ingest" {
			ing = c
		}
	}
	if ing == nil {
		panic("publish.go: the ingest command is not registered yet")
	}
	var q queue.Config
	ing.Flags().StringVar(&q.URL, "publish", os.Getenv("STORYLINE_PUBLISH"), "publish the articles to this NATS JetStream server (nats://HOST:PORT) for the worker command instead of writing --db (env STORYLINE_PUBLISH)")
	ing.Flags().StringVar(&q.Stream, "stream", "STORYLINE", "with --publish: JetStream stream name (created if missing, file storage)")
	ing.Flags().StringVar(&q.Subject, "subject", "storyline.articles", "with --publish: subject the articles are published on")
	publishHook = func(cmd *cobra.Command, arts []article.Article, rejected int) (bool, error) {
		if q.URL == "" {
			return false, nil
		}
		ctx := cmd.Context()
		c, err := queue.Connect(ctx, q)
		if err != nil {
			return true, err
		}
		defer c.Close()
		// The stream order is the ingest order: workers receive articles as
		// `storyline ingest` would process them.
		pipeline.SortForStream(arts)
		st, err := c.Publish(ctx, arts)
		if err != nil {
			return true, err
		}
		asJSON, _ := cmd.Flags().GetBool("json")
		out := struct {
			queue.PublishStats
			Rejected int    `json:"rejected"`
			Stream   string `json:"stream"`
			Subject  string `json:"subject"`
		}{st, rejected, c.Config().Stream, c.Config().Subject}
		if asJSON {
			writeJSON(cmd.OutOrStdout(), out)
		} else {
			fmt.Fprintf(cmd.OutOrStdout(), "published %d, duplicates %d, rejected %d (stream %s, subject %s)\n",
				st.Published, st.Duplicates, rejected, out.Stream, out.Subject)
		}
		if rejected > 0 {
			return true, errRejected
		}
		return true, nil
	}
}
