#!/usr/bin/env bash
# Quality floors of the timex package (issue 4) on TempEval-3 TBAQ-cleaned:
# value F1 >= 0.80 and relaxed span F1 >= 0.88 (TempEval-3 definitions).
set -euo pipefail
: "${STORYLINE:?path to the storyline binary}" "${SHARED:?path to the shared corpora (holding data/)}"
data="$SHARED/data/tempeval3/TBAQ-cleaned"
[ -d "$data" ] || { echo "timex: missing $data"; exit 1; }
json=$("$STORYLINE" timex-eval --json "$data")
fields=$(printf '%s' "$json" | tr -d ' \n' |
  sed -E 's/.*"docs":([0-9]+).*"gold":([0-9]+).*"strict_f1":([0-9.e-]+).*"relaxed_f1":([0-9.e-]+).*"value":\{"p":[0-9.e-]+,"r":[0-9.e-]+,"f1":([0-9.e-]+),"accuracy":([0-9.e-]+).*/\1 \2 \4 \3 \5 \6/')
read -r docs gold relaxed strict vf1 vacc <<<"$fields"
printf 'timex TBAQ-cleaned: docs %s gold %s  span relaxed F1 %.3f strict F1 %.3f  value F1 %.3f accuracy %.3f\n' \
  "$docs" "$gold" "$relaxed" "$strict" "$vf1" "$vacc"
awk -v v="$vf1" -v r="$relaxed" 'BEGIN {
  bad = 0
  if (v < 0.80) { print "FLOOR: value F1 " v " < 0.80"; bad = 1 }
  if (r < 0.88) { print "FLOOR: relaxed span F1 " r " < 0.88"; bad = 1 }
  exit bad }'
