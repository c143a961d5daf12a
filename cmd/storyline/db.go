package main

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"github.com/storyline/storyline/store"
	"github.com/storyline/storyline/store/postgres"
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
	cmd.Flags().StringVar(&dbPath, "db", def, "database: a SQLite file, or a postgres:// URL for the shared PostgreSQL store (env STORYLINE_DB)")
}

// openStore opens the store named by --db: PostgreSQL for a postgres:// or
// postgresql:// URL, else the SQLite file at that path.
func openStore(ctx context.Context) (store.Store, error) {
	return openStoreAt(ctx, dbPath)
}

// openExisting opens the store named by --db for reading: a SQLite file
// that does not exist is an error (rather than a new empty database).
func openExisting(ctx context.Context) (store.Store, error) {
	if !postgres.IsDSN(dbPath) {
		if _, err := os.Stat(dbPath); err != nil {
			return nil, fmt.Errorf("no database at %s: run 'storyline ingest --db %s PATH...' first, or pass --db (env STORYLINE_DB)", dbPath, dbPath)
		}
	}
	return openStore(ctx)
}

// openStoreAt opens the store named by db (see openStore).
func openStoreAt(ctx context.Context, db string) (store.Store, error) {
	if postgres.IsDSN(db) {
		return postgres.Open(ctx, db)
	}
	return sqlite.Open(ctx, db)
}
