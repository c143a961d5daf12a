#!/usr/bin/env bash
# A private NATS server with JetStream (file storage) for tests and
# benchmarks: its own port and store directory.
#
#   eval "$(bash scripts/nats.sh start)"   # installs Debian nats-server when missing, starts,
#                                          # prints: export STORYLINE_TEST_NATS=nats://...
#   bash scripts/nats.sh restart           # kill -9 and start again on the same store (fault drills)
#   bash scripts/nats.sh stop              # stops it and removes the store directory
#
# Env: NATS_PORT (default 54222), NATS_DIR (default ${TMPDIR:-/tmp}/storyline-nats-$NATS_PORT).
# The port is a first choice: it lies in Linux's ephemeral range, where any
# client socket may hold it for a while, so a port in use is skipped for
# the next free one (the one taken is kept in $NATS_DIR/port).
set -euo pipefail
PORT="${NATS_PORT:-54222}"
DIR="${NATS_DIR:-${TMPDIR:-/tmp}/storyline-nats-$PORT}"
if [ -f "$DIR/port" ]; then PORT=$(cat "$DIR/port"); fi
URL="nats://127.0.0.1:$PORT"

log() { echo "nats.sh: $*" >&2; }

install() {
  if command -v nats-server >/dev/null; then return 0; fi
  log "installing Debian nats-server"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || true
  apt-get install -y -qq nats-server >&2
}

running() { [ -f "$DIR/pid" ] && kill -0 "$(cat "$DIR/pid")" 2>/dev/null; }

launch() {
  mkdir -p "$DIR/store"
  local first=$PORT
  for _ in $(seq 1 20); do
    : >"$DIR/server.log"
    nohup nats-server -a 127.0.0.1 -p "$PORT" -js -sd "$DIR/store" -l "$DIR/server.log" >/dev/null 2>&1 &
    echo $! >"$DIR/pid"
    for _ in $(seq 1 100); do
      if ! running; then break; fi
      if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && running; then
        echo "$PORT" >"$DIR/port"
        URL="nats://127.0.0.1:$PORT"
        log "started on $URL (store $DIR/store)"
        return 0
      fi
      sleep 0.1
    done
    if running || ! grep -q "address already in use" "$DIR/server.log"; then break; fi
    log "port $PORT in use, trying $((PORT + 1))"
    PORT=$((PORT + 1))
  done
  log "did not start (first port $first)"; cat "$DIR/server.log" >&2 || true; exit 1
}

start() {
  install
  if running; then log "already running on $URL"; else rm -rf "$DIR"; PORT="${NATS_PORT:-54222}"; launch; fi
  echo "export STORYLINE_TEST_NATS='$URL'"
}

stop() {
  if running; then
    kill "$(cat "$DIR/pid")" 2>/dev/null || true
    for _ in $(seq 1 50); do running || break; sleep 0.1; done
  fi
  rm -rf "$DIR"
}

restart() {
  if running; then kill -9 "$(cat "$DIR/pid")"; sleep 0.2; fi
  launch
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) restart ;;
  env) echo "export STORYLINE_TEST_NATS='$URL'" ;;
  install) install ;;
  *) echo "usage: $0 start|stop|restart|env|install" >&2; exit 2 ;;
esac
