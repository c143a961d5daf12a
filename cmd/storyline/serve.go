package main

import (
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/storyline/storyline/pipeline"
	"github.com/storyline/storyline/server"
)

func init() {
	var addr, token string
	var readOnly bool
	var maxBody int64
	c := &cobra.Command{
		Use:   "serve",
		Short: "Serve the JSON API and the web UI (storylines, timelines, events, entities, search)",
		Long: `serve answers the JSON API (/api/...), /healthz, /metrics and the web UI on --addr.
Articles POSTed to /api/articles (one JSON article, a JSON array, or NDJSON with
Content-Type application/x-ndjson) are clustered and committed as they arrive.

The default address is loopback. Listening beyond it needs an API token
(--token or env STORYLINE_TOKEN), which write requests must send as
"Authorization: Bearer TOKEN". SIGINT/SIGTERM shut down gracefully: in-flight
requests finish, queued ingest batches are committed, the engine is settled.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if token == "" {
				token = os.Getenv("STORYLINE_TOKEN")
			}
			if err := server.CheckBind(addr, token); err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			log := slog.Default()
			// Reads and writes go through separate connections (WAL: readers
			// are not blocked by the ingest transaction).
			rd, err := openStore(ctx)
			if err != nil {
				return err
			}
			defer rd.Close()
			opt := server.Options{Store: rd, Token: token, MaxBody: maxBody, Logger: log}
			if !readOnly {
				wr, err := openStore(ctx)
				if err != nil {
					return err
				}
				defer wr.Close()
				in, err := pipeline.NewIngester(ctx, wr, pipeline.DefaultOptions())
				if err != nil {
					return err
				}
				opt.Ingester = in
			}
			srv, err := server.New(opt)
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("listen: %w", err)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "storyline: serving on http://%s/\n", ln.Addr())
			return server.Run(ctx, ln, srv, 30*time.Second)
		},
	}
	addDBFlag(c)
	c.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	c.Flags().StringVar(&token, "token", "", "API token required for writes (env STORYLINE_TOKEN); needed beyond loopback")
	c.Flags().BoolVar(&readOnly, "read-only", false, "refuse ingest (POST answers 503)")
	c.Flags().Int64Var(&maxBody, "max-body", 32<<20, "largest ingest request body in bytes (413 beyond)")
	rootCmd.AddCommand(c)
}
