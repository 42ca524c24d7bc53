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
