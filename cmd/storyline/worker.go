package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/storyline/storyline/pipeline"
	"github.com/storyline/storyline/queue"
	"github.com/storyline/storyline/store/postgres"
)

func init() {
	var (
		q        queue.Config
		opt      queue.WorkerOptions
		analysis int
		asJSON   bool
	)
	c := &cobra.Command{
		Use:   "worker --nats URL --db DSN",
		Short: "Consume the article stream from NATS JetStream into the store (any number of workers; one leads)",
		Long: `worker pulls the articles that "storyline ingest --publish" put on a JetStream stream and
ingests them into --db (normally a postgres:// URL shared by all workers) in batches, acknowledging
each message only after its batch is committed: delivery is at least once and writes are
idempotent, so a redelivered article is stored once.

Any number of workers may run. With PostgreSQL, the one holding the advisory lock leads: it runs
the analysis (over --analysis-workers goroutines) and the sequential clustering; the others wait
as hot standbys and take over when it dies. With a SQLite --db the same holds on one machine
through a file lock (DB.worker.lock).

With --exit-when-idle the worker exits once the stream is drained and every message acknowledged.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if q.URL == "" {
				return fmt.Errorf("--nats is required")
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			st, err := openStore(ctx)
			if err != nil {
				return err
			}
			if !postgres.IsDSN(dbPath) {
				// One leader per SQLite file, through a file lock beside it.
				st = queue.FileLeased(st, dbPath+".worker.lock")
			}
			defer st.Close()
			conn, err := queue.Connect(ctx, q)
			if err != nil {
				return err
			}
			defer conn.Close()
			cons, err := conn.Consumer(ctx)
			if err != nil {
				return err
			}
			opt.Ingest = pipeline.DefaultOptions()
			opt.Ingest.Workers = analysis
			w := queue.NewWorker(cons, st, opt)
			err = w.Run(ctx)
			if ctx.Err() != nil && cmd.Context().Err() == nil {
				err = nil // stopped by a signal
			}
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), w.Stats)
			}
			s := w.Stats
			role := "leader"
			if !s.Led {
				role = "standby"
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: read %d, new %d, updated %d, unchanged %d, batches %d, redelivered %d\n",
				role, s.Read, s.New, s.Updated, s.Unchanged, s.Batches, s.Redelivered)
			return nil
		},
	}
	addDBFlag(c)
	f := c.Flags()
	f.StringVar(&q.URL, "nats", os.Getenv("STORYLINE_NATS"), "NATS server URL, nats://HOST:PORT (env STORYLINE_NATS)")
	f.StringVar(&q.Stream, "stream", "STORYLINE", "JetStream stream name")
	f.StringVar(&q.Subject, "subject", "storyline.articles", "subject of the articles")
	f.StringVar(&q.Consumer, "consumer", "storyline-worker", "durable consumer shared by the workers")
	f.DurationVar(&q.AckWait, "ack-wait", 30*time.Second, "redeliver an article not acknowledged within this time")
	f.IntVar(&opt.Batch, "batch", ingestBatch, "articles per committed batch (as ingest: the same stream gives the same events)")
	f.DurationVar(&opt.Idle, "idle", time.Second, "commit a partial batch and settle storylines after the stream is quiet this long")
	f.BoolVar(&opt.ExitWhenIdle, "exit-when-idle", false, "exit once the stream is drained and every article acknowledged")
	f.IntVar(&analysis, "analysis-workers", 0, "goroutines analysing articles in the leader (0: one per CPU)")
	f.BoolVar(&asJSON, "json", false, "print the worker's counts as JSON when it exits")
	rootCmd.AddCommand(c)
}
