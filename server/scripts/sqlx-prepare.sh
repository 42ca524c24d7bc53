#!/usr/bin/env bash
# Refreshes the committed .sqlx/ query data after a query or migration changed (developer helper).
# Builds a scratch database from migrations/, then re-checks every crate with live query macros.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

if [ -z "${DATABASE_URL:-}" ]; then
  "$ROOT/server/scripts/devdb.sh" start >/dev/null
  "$ROOT/server/scripts/devdb.sh" create unified_sqlx --fresh
  DATABASE_URL="$("$ROOT/server/scripts/devdb.sh" url unified_sqlx)"
fi
export DATABASE_URL
for migration in migrations/*.sql; do
  psql -X -q -v ON_ERROR_STOP=1 "$DATABASE_URL" -f "$migration" >/dev/null
done

rm -rf .sqlx && mkdir .sqlx
# Touching the sources makes cargo expand every query macro again, against the live schema.
find app/src server/src server/tests -name '*.rs' -exec touch {} +
SQLX_OFFLINE=false SQLX_OFFLINE_DIR="$ROOT/.sqlx" cargo check -q -p server --all-targets
SQLX_OFFLINE=false SQLX_OFFLINE_DIR="$ROOT/.sqlx" cargo check -q -p app --features ssr --all-targets
say "$(find .sqlx -name 'query-*.json' | wc -l) queries recorded in .sqlx/"
