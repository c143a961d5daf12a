#!/usr/bin/env bash
# Named entities. Floors: the embedded model reaches entity-level F1 >= 0.90
# (CoNLL-2003 definition) on eng.testa; cross-document resolution of ECB+
# gold name mentions keeps B-cubed F1 >= 0.80 (regression guard).
set -euo pipefail
testa="$SHARED/data/conll2003-en/eng.testa"
"$STORYLINE" ner-eval "$testa"
f1=$("$STORYLINE" ner-eval --json "$testa" | sed -n 's/^  "f1": \([0-9.]*\),*$/\1/p' | head -1)
echo "ner: eng.testa F1 $f1 (floor 0.90)"
ok=0
awk -v f="$f1" 'BEGIN { exit !(f >= 0.90) }' || { echo "ner: F1 below floor"; ok=1; }

ecb="$SHARED/data/ecbplus"
"$STORYLINE" ner-resolve-eval "$ecb"
rf1=$("$STORYLINE" ner-resolve-eval --json "$ecb" | tr -d '\n ' | sed -n 's/.*"resolver":{[^}]*"f1":\([0-9.]*\).*/\1/p')
echo "ner: ECB+ resolution B3 F1 $rf1 (floor 0.80)"
awk -v f="$rf1" 'BEGIN { exit !(f >= 0.80) }' || { echo "ner: resolution below floor"; ok=1; }
exit $ok
