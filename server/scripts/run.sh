#!/usr/bin/env bash
# `make run`: installs what is missing, builds in release mode and serves the platform.
# Without DATABASE_URL it starts the project's private Postgres and stops it again on exit.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"
ensure_master_key

"$ROOT/server/scripts/setup.sh"

say "building (release)"
cargo leptos build --release --split --precompress

# Demo data goes into the private database only; a database of your own (DATABASE_URL) gets it
# only when asked for (DEMO=1).
demo_flag=""
if [ -z "${DATABASE_URL:-}" ] || [ "${DEMO:-}" = 1 ]; then demo_flag="--demo"; fi
use_private_db unified

cleanup() {
  if [ -n "$started_db" ]; then
    say "stopping the private Postgres cluster"
    "$ROOT/server/scripts/devdb.sh" stop
  fi
}
trap cleanup EXIT

export LEPTOS_OUTPUT_NAME=unified-platform LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_HASH_FILES=true
export APP_SERVER__HOST="${APP_SERVER__HOST:-127.0.0.1}" APP_SERVER__PORT="${APP_SERVER__PORT:-3000}"

# Not exec: the trap must stop Postgres after the server has shut down (Ctrl-C or SIGTERM).
"$ROOT/target/release/server" serve $demo_flag &
server_pid=$!
trap 'kill -TERM "$server_pid" 2>/dev/null || true' INT TERM
wait "$server_pid" || true
wait "$server_pid" 2>/dev/null || true
