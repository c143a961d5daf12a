#!/usr/bin/env bash
# Server floor: the real binary serves, ingests the demo corpus over HTTP
# (NDJSON), answers the API and shuts down cleanly on SIGTERM with every
# article kept. Floors: all 18 wire articles accepted, a bad line gives
# 422 naming it, p99 of 50 story-list reads under 500 ms, exit 0 on SIGTERM.
set -euo pipefail
: "${STORYLINE:?path to the storyline binary}"
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
port=$(( 20000 + RANDOM % 20000 ))
"$STORYLINE" serve --db "$tmp/s.db" --addr "127.0.0.1:$port" 2>"$tmp/serve.log" &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 50); do curl -fs "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
fail=0
out=$(curl -s -X POST -H 'Content-Type: application/x-ndjson' --data-binary @demo/articles/wire.jsonl "$base/api/articles")
accepted=$(printf '%s' "$out" | grep -o '"accepted": *[0-9]*' | grep -o '[0-9]*$')
echo "server: demo wire.jsonl accepted $accepted (floor 18)"
[ "$accepted" = 18 ] || fail=1
code=$(printf '{"id":"ok-1","title":"Ferry","text":"The ferry sailed."}\n{"id":\n' |
  curl -s -o "$tmp/bad.json" -w '%{http_code}' -X POST -H 'Content-Type: application/x-ndjson' --data-binary @- "$base/api/articles")
echo "server: batch with a bad line -> $code, $(grep -o '"error": *"line [0-9]*' "$tmp/bad.json" || true)"
[ "$code" = 422 ] && grep -q '"error": *"line 2' "$tmp/bad.json" || fail=1
: > "$tmp/lat"
for _ in $(seq 1 50); do curl -s -o /dev/null -w '%{time_total}\n' "$base/" >> "$tmp/lat"; done
p99=$(sort -n "$tmp/lat" | tail -1)
echo "server: story list p99 (max of 50) ${p99}s (floor 0.5s)"
awk -v v="$p99" 'BEGIN{exit !(v < 0.5)}' || fail=1
kill -TERM "$pid"
if wait "$pid"; then echo "server: SIGTERM -> exit 0"; else echo "server: SIGTERM -> exit $?"; fail=1; fi
n=$("$STORYLINE" stories --db "$tmp/s.db" --json | grep -c '"id"' || true)
echo "server: storylines after restart: $n"
[ "$n" -ge 1 ] || fail=1
exit $fail
