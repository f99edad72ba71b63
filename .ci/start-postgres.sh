#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the test suite and prints the line to export.
#
#   eval "$(.ci/start-postgres.sh)"      # sets MONITOR_TEST_POSTGRES (and MONITOR_TEST_POSTGRES_DIR)
#   dotnet test -c Release
#   .ci/start-postgres.sh --stop          # optional; stops the cluster and deletes its folder
#
# - Installs PostgreSQL from Debian (apt-get) when /usr/lib/postgresql/*/bin/initdb is missing (needs root).
# - Cluster in a mktemp folder, superuser "postgres", trust auth, 127.0.0.1:${PGPORT:-55432}, fsync off.
# - initdb/postgres refuse to run as root: as root they run as the postgres user (runuser); otherwise directly.
# - Only the export lines go to stdout; progress goes to stderr.
# Without this script the tests still work: PostgresFixture falls back to a throwaway cluster of its own.
set -euo pipefail

PORT="${PGPORT:-55432}"
log() { echo "start-postgres: $*" >&2; }

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

find_bin() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
  return 1
}

if [ "${1:-}" = "--stop" ]; then
  dir="${MONITOR_TEST_POSTGRES_DIR:?MONITOR_TEST_POSTGRES_DIR is not set}"
  bin="$(find_bin)"
  as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  rm -rf -- "$dir"
  exit 0
fi

if ! BIN="$(find_bin)"; then
  if [ "$(id -u)" -ne 0 ]; then
    log "PostgreSQL binaries are missing and we are not root: run 'sudo apt-get install -y postgresql'"; exit 1
  fi
  log "installing postgresql from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
  BIN="$(find_bin)" || { log "postgresql installed but no initdb found"; exit 1; }
fi

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  log "port $PORT is already in use (set PGPORT to pick another)"; exit 1
fi

DIR="$(mktemp -d /tmp/monitor-ci-pg.XXXXXX)"
chmod 755 "$DIR"
if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$DIR"; fi

log "initdb in $DIR/data ($BIN)"
as_pg "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 1; }

# Settings go in the config file, not through pg_ctl -o (which is re-parsed by a shell).
cat >>"$DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
CONF

log "starting on 127.0.0.1:$PORT"
as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/data/server.log" -w -t 60 start >&2 \
  || { cat "$DIR/data/server.log" >&2; exit 1; }

echo "export MONITOR_TEST_POSTGRES='Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres'"
echo "export MONITOR_TEST_POSTGRES_DIR='$DIR'"
