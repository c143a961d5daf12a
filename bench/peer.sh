#!/usr/bin/env bash
# Run the sklearn TF-IDF + agglomerative peer on FILE.jsonl with Debian's python3.
# Usage: bench/peer.sh FILE.jsonl [--threshold T] [--gold --sweep 0.6,0.7,...]
# Installs python3-sklearn via apt-get only if /usr/bin/python3 cannot import sklearn.
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: $0 FILE.jsonl [args...]" >&2
  exit 2
fi
PY=/usr/bin/python3
if ! "$PY" -c "import sklearn" 2>/dev/null; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  if ! $SUDO apt-get install -y python3-sklearn >&2; then
    $SUDO apt-get update >&2
    $SUDO apt-get install -y python3-sklearn >&2
  fi
fi
exec "$PY" "$(dirname "$0")/sklearn_peer.py" "$@"
