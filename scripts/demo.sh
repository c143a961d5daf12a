#!/usr/bin/env bash
# Build storyline and run the main job on the bundled demo corpus, on the
# embedded default store (demo.db, recreated each run).
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local CGO_ENABLED=0
mkdir -p bin
go build -o bin/storyline ./cmd/storyline
rm -f demo.db demo.db-wal demo.db-shm
./bin/storyline ingest --db demo.db demo/articles
echo; echo "== storylines"; ./bin/storyline stories --db demo.db
echo; echo "== events"; ./bin/storyline events --db demo.db
story=$(./bin/storyline stories --db demo.db --json | sed -n 's/.*"id": "\(S[0-9a-f]*\)".*/\1/p' | head -1)
echo; echo "== timeline $story"; ./bin/storyline timeline --db demo.db "$story"
