#!/usr/bin/env bash
# Floor (issue 2): event clustering on ECB+ with the default settings.
set -euo pipefail
out=$("$STORYLINE" eval --gold "$SHARED/data/ecbplus/ecbplus-dev.jsonl" --json)
echo "$out" | tr -d '\n '; echo
f1=$(echo "$out" | sed -n 's/.*"bcubed": *{[^}]*"f1": *\([0-9.]*\).*/\1/p' | head -1)
[ -n "$f1" ] || f1=$(echo "$out" | tr -d '\n ' | sed -n 's/.*"bcubed":{[^}]*"f1":\([0-9.]*\).*/\1/p')
echo "ECB+ event BCubed F1 = $f1 (floor 0.90)"
awk -v f="$f1" 'BEGIN { exit !(f >= 0.90) }'
# The demo corpus: events and storylines against its own gold labels.
"$STORYLINE" eval --gold demo/gold.jsonl --json | tr -d '\n '; echo
story=$("$STORYLINE" eval --gold demo/gold.jsonl --level story --label story --json | tr -d '\n ' | sed -n 's/.*"bcubed":{[^}]*"f1":\([0-9.]*\).*/\1/p')
echo "demo storyline BCubed F1 = $story (floor 0.95)"
awk -v f="$story" 'BEGIN { exit !(f >= 0.95) }'
