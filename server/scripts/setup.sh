#!/usr/bin/env bash
# Installs what building, running and testing need; anything already present is skipped.
# Needs: a Debian-based machine with rustup/cargo and node/npm, and the package registries.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen pin in Cargo.toml
CARGO_LEPTOS_VERSION=0.3.10    # 0.3.11 needs a newer rustc than this toolchain

# Debian packages: Postgres server binaries and Chromium for the browser tests.
apt_missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || apt_missing+=(postgresql)
[ -x /usr/bin/chromium ] || apt_missing+=(chromium)
# pdftoppm renders invoice PDFs in the tests (the QR-bill is decoded from the rendered image).
command -v pdftoppm >/dev/null || apt_missing+=(poppler-utils)
if [ "${#apt_missing[@]}" -gt 0 ]; then
  say "installing Debian packages: ${apt_missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${apt_missing[@]}"
fi

# Rust: the wasm target and the lint/format components.
rustup target list --installed | grep -qx wasm32-unknown-unknown || {
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
}
for component in rustfmt clippy; do
  rustup component list --installed | grep -q "^$component" || rustup component add "$component"
done

# Cargo tools: long compiles, so only when the exact version is missing.
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 10 minutes)"
  # No --locked: its lock file pins a crate the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 30 minutes on 2 cores)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads --force
fi

# npm tools (Playwright, wasm-opt) from the committed lock file; re-installed only when it changes.
stamp="$ROOT/end2end/node_modules/.installed-lock"
if ! cmp -s "$ROOT/end2end/package-lock.json" "$stamp" 2>/dev/null; then
  say "installing npm tools from end2end/package-lock.json"
  (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  cp "$ROOT/end2end/package-lock.json" "$stamp"
fi
