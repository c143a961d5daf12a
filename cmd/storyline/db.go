package main

import (
	"context"
	"os"

	"github.com/spf13/cobra"
	"github.com/storyline/storyline/store"
	"github.com/storyline/storyline/store/sqlite"
)

// dbPath is the --db flag shared by the commands that use a store.
var dbPath string

// addDBFlag adds --db to cmd.
func addDBFlag(cmd *cobra.Command) {
	def := os.Getenv("STORYLINE_DB")
	if def == "" {
		def = "storyline.db"
	}
	cmd.Flags().StringVar(&dbPath, "db", def, "database file (env STORYLINE_DB)")
}

// openStore opens the store named by --db.
func openStore(ctx context.Context) (store.Store, error) {
	return sqlite.Open(ctx, dbPath)
}
