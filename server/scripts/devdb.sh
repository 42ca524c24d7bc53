#!/usr/bin/env bash
# The project's private Postgres cluster, used when DATABASE_URL is not set.
#
#   devdb.sh start          start it (initialising it on first use); prints "started" or "running"
#   devdb.sh stop           stop it (fast shutdown: clients disconnected, data flushed)
#   devdb.sh url [DB]       print the connection URL of database DB (default: unified)
#   devdb.sh create DB      create database DB if missing; --fresh drops it first
#
# It listens on a unix socket only (no TCP port to collide with), lives in the repository's
# ignored .local/ folder and runs as the invoking user, or as `postgres` when invoked as root
# (Postgres refuses to run as root).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PORT=5432   # only names the socket file: nothing listens on TCP
OWNER=unified_owner
PGBIN="$(compgen -G "/usr/lib/postgresql/*/bin" | sort -V | tail -n 1 || true)"
[ -n "$PGBIN" ] || die "Postgres server binaries not found: run the setup (make run) first"

if [ "$(id -u)" -eq 0 ]; then RUN_AS=postgres; else RUN_AS=""; fi
as_pg() { if [ -n "$RUN_AS" ]; then runuser -u "$RUN_AS" -- "$@"; else "$@"; fi; }

# The cluster lives in .local/pg; when the `postgres` user cannot reach the checkout (e.g. a clone
# inside a private temporary folder) it falls back to a folder of its own keyed by the checkout.
PGHOME="$ROOT/.local/pg"
if [ -n "$RUN_AS" ]; then
  mkdir -p "$PGHOME"
  chown "$RUN_AS" "$PGHOME"
  if ! runuser -u "$RUN_AS" -- test -w "$PGHOME"; then
    key="$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
    PGHOME="/tmp/unified-pg-$key"
    mkdir -p "$PGHOME"
    chown "$RUN_AS" "$PGHOME"
    chmod 700 "$PGHOME"
  fi
fi
DATA="$PGHOME/data"
SOCK="$PGHOME/sock"

psql_admin() { as_pg "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U postgres "$@"; }

running() { as_pg "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

start() {
  as_pg mkdir -p "$SOCK"
  if [ ! -f "$DATA/PG_VERSION" ]; then
    say "initialising the private Postgres cluster in $DATA"
    as_pg "$PGBIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if running; then
    echo running
    return
  fi
  as_pg "$PGBIN/pg_ctl" -D "$DATA" -l "$PGHOME/postgres.log" -w -t 60 \
    -o "-k $SOCK -p $PORT -c listen_addresses='' -c max_connections=300 -c shared_buffers=256MB -c synchronous_commit=${DEVDB_SYNCHRONOUS_COMMIT:-on}" \
    start >/dev/null || { tail -n 20 "$PGHOME/postgres.log" >&2; die "Postgres did not start"; }
  # The schema owner runs migrations and may create the runtime role; it is not a superuser.
  psql_admin -d postgres <<SQL
SELECT 'CREATE ROLE $OWNER LOGIN CREATEDB CREATEROLE'
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$OWNER') \gexec
SQL
  create unified
  echo started
}

stop() {
  if running; then as_pg "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; fi
}

create() {
  local db="$1" fresh="${2:-}"
  [[ "$db" =~ ^[a-z_][a-z0-9_]*$ ]] || die "bad database name: $db"
  if [ "$fresh" = "--fresh" ]; then
    psql_admin -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  fi
  psql_admin -d postgres <<SQL
SELECT 'CREATE DATABASE $db OWNER $OWNER' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$db') \gexec
SQL
}

url() {
  echo "postgres://$OWNER@localhost/${1:-unified}?host=$SOCK&port=$PORT"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) url "${2:-}" ;;
  create) create "${2:?database name}" "${3:-}" ;;
  *) die "usage: devdb.sh start|stop|url [DB]|create DB [--fresh]" ;;
esac
