#!/usr/bin/env bash
# The one test command: static checks, unit and integration tests, then the
# quality floors (scripts/floors.d/*.sh) on the real corpora in ../shared.
# Installs what it needs when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local CGO_ENABLED=0
export SHARED="${SHARED:-$(cd .. && pwd)/shared}"

echo "== services for the integration tests (installed when missing)"
bash scripts/install-chromium.sh
eval "$(bash scripts/pg.sh start)"
trap 'bash scripts/pg.sh stop >/dev/null 2>&1 || true' EXIT
export STORYLINE_ARTIFACTS="${STORYLINE_ARTIFACTS:-$PWD/out/artifacts}"
mkdir -p "$STORYLINE_ARTIFACTS"

echo "== gofmt / go vet"
bad=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$bad" ]; then echo "gofmt needed on: $bad"; exit 1; fi
go vet ./...

echo "== build"
mkdir -p bin
go build -o bin/storyline ./cmd/storyline
export STORYLINE="$PWD/bin/storyline"

echo "== go test"
go test -count=1 -timeout 20m ./...

echo "== quality floors (data: $SHARED/data)"
pass=0; fail=0
for f in scripts/floors.d/*.sh; do
  [ -e "$f" ] || continue
  echo "-- $f"
  if bash "$f"; then pass=$((pass+1)); else fail=$((fail+1)); echo "FLOOR FAILED: $f"; fi
done
echo "floors: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
