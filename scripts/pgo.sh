#!/usr/bin/env bash
# Regenerate cmd/storyline/default.pgo, the CPU profile that `go build`
# uses for profile-guided optimization of the storyline binary (Go picks
# up default.pgo in the main package's directory by itself; -pgo=off
# builds without it). The profile is of the work the binary is made for:
# the 100,000-article bench (read, analyze, dedup, cluster, store) and
# the ECB+ evaluation. Run it again after large changes to hot code; a
# stale profile still helps what it names, and never changes results.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local CGO_ENABLED=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -pgo=off -o "$tmp/storyline" ./cmd/storyline
data="${SHARED:-$(cd .. && pwd)/shared}/data"
"$tmp/storyline" bench --articles 100000 --corpus "$data" --json --cpuprofile "$tmp/bench.prof" >/dev/null
"$tmp/storyline" eval --gold "$data/ecbplus/ecbplus-dev.jsonl" --cpuprofile "$tmp/eval.prof" >/dev/null
go tool pprof -proto "$tmp/bench.prof" "$tmp/eval.prof" > cmd/storyline/default.pgo
ls -l cmd/storyline/default.pgo
