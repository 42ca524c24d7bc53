# Shared by the project scripts: repository root, PATH with the project's tools, log helpers.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PATH="$HOME/.cargo/bin:$ROOT/end2end/node_modules/.bin:$PATH"
# Builds read the committed .sqlx/ query data; they never need a live database.
export SQLX_OFFLINE="${SQLX_OFFLINE:-true}"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Runs a command as root (directly, or through sudo when we are not root).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The development master key (encrypts TOTP secrets and signing keys at rest): generated once per
# checkout into the ignored .local/ folder, unless APP_AUTH__MASTER_KEY is already set.
ensure_master_key() {
  if [ -z "${APP_AUTH__MASTER_KEY:-}" ]; then
    local file="$ROOT/.local/master.key"
    if [ ! -s "$file" ]; then
      mkdir -p "$ROOT/.local"
      (umask 077 && head -c 32 /dev/urandom | base64 >"$file")
    fi
    APP_AUTH__MASTER_KEY="$(cat "$file")"
    export APP_AUTH__MASTER_KEY
  fi
}

# A free TCP port on the loopback interface.
free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

# Waits until `file` contains `pattern` (or the process `pid` dies); prints the first match.
wait_for_line() {
  local file="$1" pattern="$2" pid="$3" match=""
  for _ in $(seq 1 120); do
    match="$(grep -o "$pattern" "$file" 2>/dev/null | head -n 1)"
    [ -n "$match" ] && { echo "$match"; return 0; }
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}

# Without DATABASE_URL: starts the private cluster (remembering in `started_db` whether this
# script started it, so it stops it again) and points DATABASE_URL at database `$1` in it.
use_private_db() {
  started_db=""
  if [ -z "${DATABASE_URL:-}" ]; then
    local state
    state="$("$ROOT/server/scripts/devdb.sh" start)"
    [ "$state" = started ] && started_db=yes
    "$ROOT/server/scripts/devdb.sh" create "$1" >/dev/null
    DATABASE_URL="$("$ROOT/server/scripts/devdb.sh" url "$1")"
    say "using the private Postgres cluster (.local/pg), database $1"
  fi
  export DATABASE_URL
}
