#!/usr/bin/env bash
# Floor (issue 7): the demo corpus through `ingest --publish` + `storyline worker` on a real
# Debian nats-server (installed by scripts/nats.sh when missing) gives the same events and
# storylines (ids, dates, articles) as the embedded `storyline ingest`; a second publish of the
# same files is de-duplicated by the server. Uses PostgreSQL when STORYLINE_TEST_PG is set
# (scripts/pg.sh), else a SQLite file.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NATS_PORT="${NATS_PORT:-54298}"
eval "$(bash scripts/nats.sh start)"
tmp=$(mktemp -d)
trap 'bash scripts/nats.sh stop; rm -rf "$tmp"' EXIT
db="$tmp/w.db"
if [ -n "${STORYLINE_TEST_PG:-}" ]; then
  schema="floor_$$"
  PGOPTIONS="-c client_min_messages=warning" psql "$STORYLINE_TEST_PG" -qc "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema"
  sep='?'; case "$STORYLINE_TEST_PG" in *\?*) sep='&';; esac
  db="$STORYLINE_TEST_PG${sep}search_path=$schema"
fi
"$STORYLINE" ingest --db "$tmp/ref.db" demo/articles >/dev/null
"$STORYLINE" ingest --publish "$STORYLINE_TEST_NATS" demo/articles
again=$("$STORYLINE" ingest --publish "$STORYLINE_TEST_NATS" demo/articles)
echo "$again"
start=$(date +%s.%N)
"$STORYLINE" worker --nats "$STORYLINE_TEST_NATS" --db "$db" --exit-when-idle --idle 300ms
end=$(date +%s.%N)
# Clustering only: ids, storylines, dates and article lists (summaries may break ties differently).
shape() { "$STORYLINE" events --db "$1" --json | grep -vE '"(headline|text|source|article)":' | grep -vE '^\s*"summary"' ; "$STORYLINE" stories --db "$1" --json | grep -v '"title":'; }
if [ -n "${STORYLINE_TEST_PG:-}" ]; then trap 'PGOPTIONS="-c client_min_messages=warning" psql "$STORYLINE_TEST_PG" -qc "DROP SCHEMA IF EXISTS $schema CASCADE"; bash scripts/nats.sh stop; rm -rf "$tmp"' EXIT; fi
if ! diff <(shape "$tmp/ref.db") <(shape "$db") >"$tmp/diff"; then
  head -20 "$tmp/diff"; echo "scale-out: events through NATS + worker differ from the embedded ingest (floor: identical)"; exit 1
fi
n=$("$STORYLINE" events --db "$db" --json | grep -c '"story":' || true)
echo "scale-out: $n events identical to the embedded ingest; worker $(echo "$end - $start" | bc 2>/dev/null || echo '?') s"
case "$again" in "published 0, duplicates 27,"*) ;; *) echo "scale-out: republish not de-duplicated (floor: 0 published)"; exit 1;; esac
