#!/usr/bin/env bash
# A private PostgreSQL server for tests and benchmarks: its own data
# directory and port, never the system cluster.
#
#   eval "$(bash scripts/pg.sh start)"   # installs Debian postgresql when missing, starts,
#                                        # prints: export STORYLINE_TEST_PG=postgres://...
#   bash scripts/pg.sh stop              # stops it and removes the data directory
#   bash scripts/pg.sh env               # prints the export line of the running server
#
# Env: PG_PORT (default 55432), PG_DIR (default /tmp/storyline-pg-$PG_PORT).
# It is a throw-away test server: fsync and synchronous_commit are off.
set -euo pipefail
PORT="${PG_PORT:-55432}"
DIR="${PG_DIR:-/tmp/storyline-pg-$PORT}"  # /tmp: the postgres user must reach it
DB=storyline_test
DSN="postgres://postgres@127.0.0.1:$PORT/$DB?sslmode=disable"

log() { echo "pg.sh: $*" >&2; }

bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  return 1
}

install() {
  if bindir >/dev/null; then return 0; fi
  log "installing Debian postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || true
  apt-get install -y -qq postgresql >&2
  bindir >/dev/null || { log "no PostgreSQL binaries after install"; exit 1; }
}

# as runs a command as the postgres user when we are root (the server
# refuses to run as root).
as() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  install
  local B; B=$(bindir)
  if [ -f "$DIR/data/postmaster.pid" ] && as "$B/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
    log "already running on port $PORT"
  else
    rm -rf "$DIR"
    mkdir -p "$DIR"
    if [ "$(id -u)" = 0 ]; then chown postgres "$DIR"; fi
    as "$B/initdb" -D "$DIR/data" -U postgres --auth=trust --no-locale -E UTF8 >"$DIR/initdb.log" 2>&1 ||
      { cat "$DIR/initdb.log" >&2; exit 1; }
    as "$B/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
      -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
      start >&2 || { cat "$DIR/server.log" >&2; exit 1; }
    "$B/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qtA -c "CREATE DATABASE $DB" postgres >&2
    log "started on 127.0.0.1:$PORT (data $DIR/data)"
  fi
  echo "export STORYLINE_TEST_PG='$DSN'"
}

stop() {
  local B
  if B=$(bindir) && [ -f "$DIR/data/postmaster.pid" ]; then
    as "$B/pg_ctl" -D "$DIR/data" -m fast -w stop >&2 || true
  fi
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) echo "export STORYLINE_TEST_PG='$DSN'" ;;
  install) install ;;
  *) echo "usage: $0 start|stop|env|install" >&2; exit 2 ;;
esac
