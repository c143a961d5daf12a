#!/usr/bin/env bash
# Quality floors for near-duplicates and passage reuse (issue 3): a synthetic
# syndication corpus generated from the ECB+ dev texts, truth by brute force.
# Floors: near-duplicate pair precision >= 0.98, recall >= 0.95; shared-sentence F1 >= 0.95.
set -euo pipefail
: "${STORYLINE:?path to the storyline binary}" "${SHARED:?path to the shared folder}"
corpus="$SHARED/data/ecbplus/ecbplus-dev.jsonl"
for seed in 1 2; do
  echo "dedup-eval seed $seed on $corpus"
  "$STORYLINE" dedup-eval --corpus "$corpus" --seed "$seed" \
    --min-precision 0.98 --min-recall 0.95 --min-f1 0.95
done
