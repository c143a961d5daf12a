#!/usr/bin/env bash
# Floors for the real-world readers (issue 8): HTML main-text extraction
# throughput on ~110 KB news pages with all cores, and flat memory while a
# generated 100 MB WARC is streamed. Extraction quality is asserted by the
# reader tests (go test ./article/) on hand-written pages.
# Floors: >= 600 pages/s extraction on 2 cores; peak RSS growth < 64 MB.
set -euo pipefail
cd "$(dirname "$0")/../.."
export GOTOOLCHAIN=local CGO_ENABLED=0
min_pages=600
out=$(go test -run '^$' -bench 'BenchmarkHTMLReaderParallel$' -benchtime 400x -count 3 ./article/ | grep '^BenchmarkHTMLReaderParallel')
echo "$out"
best=$(echo "$out" | awk '{print $3}' | sort -n | head -1)
rate=$(awk -v ns="$best" 'BEGIN{printf "%.0f", 1e9/ns}')
echo "HTML extraction: $rate pages/s on $(nproc) cores (best of 3; floor $min_pages)"
go test -count=1 -run 'TestWARCStreamFlatMemory$' -v ./article/ -args -warc.size=100MB -warc.gzip=false | grep -E 'WARC|^(---|ok|FAIL)'
if [ "$rate" -lt "$min_pages" ]; then
  echo "FLOOR MISSED: HTML extraction $rate pages/s < $min_pages"
  exit 1
fi
