#!/usr/bin/env bash
# storyline cluster vs the scikit-learn peer on the same generated file, in
# the same run: best wall time of 3 for `storyline cluster` (whole process:
# reading, cleaning, dates, entities, dedup, clustering, output), the peer's
# own fit time (TF-IDF + average-linkage; process start-up and imports not
# counted), and the ratio.
# Usage: bench/side_by_side.sh [N] (default 2000; needs ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
export GOTOOLCHAIN=local CGO_ENABLED=0
bin=$(mktemp -d)/storyline
go build -o "$bin" ./cmd/storyline
file=$(mktemp --suffix=.jsonl)
"$bin" bench --articles "$n" --emit "$file" --json > /dev/null
best=""
for _ in 1 2 3; do
  s=$( { /usr/bin/time -f %e "$bin" cluster "$file" > /dev/null; } 2>&1 | tail -1)
  if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN{exit !(a<b)}'; then best=$s; fi
done
peer=$(bash bench/peer.sh "$file" 2>&1 >/dev/null | tail -1)
psec=$(echo "$peer" | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])')
echo "storyline cluster: $n articles in $best s (best of 3)"
echo "scikit-learn peer: $psec s ($peer)"
awk -v a="$psec" -v b="$best" 'BEGIN{printf "ratio: %.1fx\n", a/b}'
rm -f "$file"
