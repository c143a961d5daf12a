#!/usr/bin/env bash
# Named-entity floor: the embedded model must reach entity-level F1 >= 0.90
# (CoNLL-2003 definition) on eng.testa.
set -euo pipefail
data="$SHARED/data/conll2003-en/eng.testa"
out=$("$STORYLINE" ner-eval --json "$data")
f1=$(printf '%s' "$out" | sed -n 's/^  "f1": \([0-9.]*\),*$/\1/p' | head -1)
"$STORYLINE" ner-eval "$data"
echo "ner: eng.testa F1 $f1 (floor 0.90)"
awk -v f="$f1" 'BEGIN { exit !(f >= 0.90) }'
