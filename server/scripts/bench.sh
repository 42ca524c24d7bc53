#!/usr/bin/env bash
# `make bench`: the benchmark. Builds in release mode, starts the private Postgres with the large
# demo dataset (loaded once, reused afterwards), serves the platform on a free loopback port and
# hands over to end2end/bench/bench.mjs, which measures (wrk load as three users, Chromium over
# CDP, bundle sizes, memory, database size, sequential scans, `server bills read` on the QR-bill
# and scanned-page fixtures) and writes the report to
# .local/bench/<time>/ (report.json, report.md).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"
ensure_master_key

"$ROOT/server/scripts/setup.sh"
if ! command -v wrk >/dev/null; then
  say "installing wrk (HTTP load generator, Debian package)"
  as_root apt-get install -y -q wrk >/dev/null
fi

say "building (release)"
cargo leptos build --release --split --precompress

use_private_db unified_bench

server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  if [ -n "$started_db" ]; then "$ROOT/server/scripts/devdb.sh" stop >/dev/null; fi
}
trap cleanup EXIT

out="$ROOT/.local/bench/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
say "loading the large demo dataset (once; later runs reuse it)"
load_start=$(date +%s%N)
"$ROOT/target/release/server" demo --scale large 2>&1 | tee "$out/demo.log" >&2
load_ms=$(( ($(date +%s%N) - load_start) / 1000000 ))

say "generating a 10,000-entry camt.053 that pays open invoices (a new one each run)"
"$ROOT/target/release/server" bank sample --company HYPERVISUAL --entries 10000 --seed "$(date +%s)" \
  --out "$out/camt053-10k.xml"

export LEPTOS_OUTPUT_NAME=unified-platform LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_HASH_FILES=true
port="$(free_port)"
# Rate limits off and long-lived access tokens: the load generator replays one cookie.
APP_SERVER__PORT="$port" APP_SERVER__PUBLIC_URL="http://127.0.0.1:$port" \
  APP_SECURITY__RATE_LIMIT_PER_MINUTE=100000000 APP_SECURITY__AUTH_RATE_LIMIT_PER_MINUTE=100000 \
  APP_AUTH__ACCOUNT_ATTEMPTS_PER_MINUTE=100000 APP_AUTH__ACCESS_TTL_SECS=7200 APP_LOG_FILTER=warn \
  "$ROOT/target/release/server" serve >"$out/server.log" 2>&1 &
server_pid=$!
url="$(wait_for_line "$out/server.log" 'running at http://[0-9.:]*' "$server_pid" | cut -d' ' -f3)" || {
  tail -n 30 "$out/server.log" >&2
  die "the server did not start"
}

say "measuring against $url"
(cd "$ROOT/end2end" && BENCH_URL="$url" BENCH_OUT="$out" BENCH_SERVER_PID="$server_pid" \
  BENCH_LOAD_MS="$load_ms" BENCH_SITE="$ROOT/target/site" BENCH_CAMT="$out/camt053-10k.xml" \
  BENCH_SERVER_BIN="$ROOT/target/release/server" node bench/bench.mjs)
