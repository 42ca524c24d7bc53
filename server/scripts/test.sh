#!/usr/bin/env bash
# `make test`: every check, in order, with a pass/fail summary at the end.
#   format · clippy (ssr) · clippy (hydrate, wasm32) · unit + integration tests (real Postgres)
#   · release build · browser tests (Playwright + Debian Chromium) against the release server
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"
ensure_master_key

"$ROOT/server/scripts/setup.sh" || die "setup failed"

results=()
failed=0
step() {
  local name="$1"; shift
  say "$name"
  local start=$SECONDS
  if "$@"; then
    results+=("PASS  $name ($((SECONDS - start)) s)")
  else
    results+=("FAIL  $name ($((SECONDS - start)) s)")
    failed=1
  fi
}
skip() { results+=("SKIP  $1 ($2)"); failed=1; }

started_db=""
server_pid=""
oidc_pid=""
mail_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [ -n "$oidc_pid" ] && kill -TERM "$oidc_pid" 2>/dev/null && wait "$oidc_pid" 2>/dev/null
  [ -n "$mail_pid" ] && kill -TERM "$mail_pid" 2>/dev/null && wait "$mail_pid" 2>/dev/null
  [ -n "$started_db" ] && "$ROOT/server/scripts/devdb.sh" stop
}
trap cleanup EXIT

if [ -z "${DATABASE_URL:-}" ]; then
  # Test databases are thrown away: a commit need not wait for the disk. (`make run` keeps
  # the default, durable commits: an acknowledged write survives a crash.)
  state="$(DEVDB_SYNCHRONOUS_COMMIT=off "$ROOT/server/scripts/devdb.sh" start)" || die "could not start Postgres"
  [ "$state" = started ] && started_db=yes
  "$ROOT/server/scripts/devdb.sh" create unified_test
  "$ROOT/server/scripts/devdb.sh" create unified_e2e --fresh
  TEST_DATABASE_URL="$("$ROOT/server/scripts/devdb.sh" url unified_test)"
  E2E_DATABASE_URL="$("$ROOT/server/scripts/devdb.sh" url unified_e2e)"
else
  TEST_DATABASE_URL="$DATABASE_URL"
  E2E_DATABASE_URL="$DATABASE_URL"
fi

step "format (cargo fmt --check)" cargo fmt --all --check
step "clippy, server build (ssr)" \
  cargo clippy -q -p app -p server --all-targets --features app/ssr -- -D warnings
step "clippy, browser build (hydrate, wasm32)" \
  cargo clippy -q -p app -p frontend --target wasm32-unknown-unknown --features app/hydrate -- -D warnings
# Each #[sqlx::test] gets its own database, created from this one's server.
step "unit and integration tests (real Postgres)" \
  env DATABASE_URL="$TEST_DATABASE_URL" cargo test -q --no-fail-fast -p app -p server --features app/ssr

e2e() {
  local log="$ROOT/target/e2e-server.log" oidc_log="$ROOT/target/e2e-oidc.log"
  # A real OpenID Provider for the single-sign-on test.
  PORT=0 node "$ROOT/end2end/oidc/provider.mjs" >"$oidc_log" 2>&1 &
  oidc_pid=$!
  local issuer
  issuer="$(wait_for_line "$oidc_log" 'issuer http://[0-9.:]*' "$oidc_pid" | cut -d' ' -f2)" || {
    cat "$oidc_log" >&2
    return 1
  }
  # A local mailbox: the server sends its emails there, the tests read links from them.
  local mail_log="$ROOT/target/e2e-mail.log"
  node "$ROOT/end2end/mail/sink.mjs" >"$mail_log" 2>&1 &
  mail_pid=$!
  local mail smtp_address mail_url
  mail="$(wait_for_line "$mail_log" 'smtp [0-9.:]* http http://[0-9.:]*' "$mail_pid")" || {
    cat "$mail_log" >&2
    return 1
  }
  smtp_address="$(echo "$mail" | cut -d' ' -f2)"
  mail_url="$(echo "$mail" | cut -d' ' -f4)"
  local port
  port="$(free_port)"
  APP_MAIL__SMTP_URL="smtp://$smtp_address" APP_MAIL__POLL_SECS=1 \
  DATABASE_URL="$E2E_DATABASE_URL" APP_SERVER__PORT="$port" APP_SERVER__PUBLIC_URL="http://127.0.0.1:$port" \
    LEPTOS_OUTPUT_NAME=unified-platform LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
    LEPTOS_HASH_FILES=true \
    APP_SECURITY__RATE_LIMIT_PER_MINUTE=100000 APP_SECURITY__AUTH_RATE_LIMIT_PER_MINUTE=100000 \
    APP_AUTH__ACCOUNT_ATTEMPTS_PER_MINUTE=100000 \
    APP_AUTH__SSO__ISSUER_URL="$issuer" APP_AUTH__SSO__CLIENT_ID=unified-platform \
    APP_AUTH__SSO__CLIENT_SECRET=test-client-secret APP_AUTH__SSO__DISPLAY_NAME="HMF ID" \
    "$ROOT/target/release/server" serve --demo >"$log" 2>&1 &
  server_pid=$!
  local url
  url="$(wait_for_line "$log" 'running at http://[0-9.:]*' "$server_pid" | cut -d' ' -f3)" || {
    tail -n 30 "$log" >&2
    return 1
  }
  (cd "$ROOT/end2end" && BASE_URL="$url" OIDC_ISSUER="$issuer" MAIL_SINK_URL="$mail_url" playwright test)
}

if step "release build (cargo leptos build --release --split --precompress)" cargo leptos build --release --split --precompress; then
  step "browser tests (Playwright, headless Chromium)" e2e
else
  skip "browser tests (Playwright, headless Chromium)" "release build failed"
fi

printf '\n\033[1mSummary\033[0m\n'
printf '  %s\n' "${results[@]}"
if [ "$failed" -ne 0 ]; then
  printf '\n\033[1;31mFAILED\033[0m\n'
  exit 1
fi
printf '\n\033[1;32mALL CHECKS PASSED\033[0m\n'
