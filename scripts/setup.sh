#!/usr/bin/env bash
# Installs what convscope's build and tests need, and only what is missing, at pinned versions.
# Idempotent: a second run checks versions and returns in seconds. Nothing is downloaded from
# GitHub: Rust tools come from crates.io, wasm-opt and the browser driver from npm, Chromium and
# the Vulkan CPU driver (lavapipe, for running WGSL natively) from Debian.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock, or Trunk looks elsewhere.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1;34msetup:\033[0m %s\n' "$*"; }
stop() {
  printf '\033[1;31msetup: %s\033[0m\n' "$*" >&2
  exit 1
}
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Rust comes only from rustup (its toolchain, targets and components): nothing else installs it.
if ! command -v rustup >/dev/null || ! command -v cargo >/dev/null; then
  stop "Rust is missing. Install it with rustup (https://rustup.rs):
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y
then open a new shell (or run: . \"\$HOME/.cargo/env\") and run this command again."
fi

# Debian packages: browser + driver for end-to-end and wasm tests, CJK fonts for its screenshots,
# lavapipe for running WGSL natively, wabt for inspecting the built wasm; Node.js, npm and
# Python 3 (the test server, the bench tables) when their commands are missing.
need_apt=()
for pkg in chromium chromium-driver fonts-noto-cjk libvulkan1 mesa-vulkan-drivers wabt; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need_apt+=("$pkg")
done
command -v node >/dev/null || need_apt+=(nodejs)
command -v npm >/dev/null || need_apt+=(npm)
command -v python3 >/dev/null || need_apt+=(python3)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "apt-get install ${need_apt[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${need_apt[@]}"
fi

node_major=$(node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/')
if [ "${node_major:-0}" -lt 20 ]; then
  stop "Node.js 20 or newer is needed (found $(node --version 2>/dev/null || echo none)). Debian 12's own
  nodejs is 18: install Node 20 from NodeSource's Debian packages or with nvm, then run this again."
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
for comp in rustfmt clippy; do
  rustup component list --installed | grep -q "^$comp" || rustup component add "$comp"
done

# Debug builds of the two tools compile in about half the time and run fast enough.
if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "cargo install trunk $TRUNK_VERSION"
  cargo install --locked --debug --force trunk --version "$TRUNK_VERSION"
fi
if [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$WASM_BINDGEN_VERSION" ]; then
  say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: its lockfile names a webpki-roots release that crates.io no longer serves.
  cargo install --debug --force wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
fi

# npm: playwright-core (drives Debian's Chromium), axe-core (the accessibility test) and
# binaryen@132's wasm-opt, from package-lock.json.
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
  || [ ! -f node_modules/axe-core/axe.min.js ] \
  || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# Crates for offline builds (trunk --offline passes --offline to cargo).
cargo fetch --locked -q
say "ready (trunk $TRUNK_VERSION, wasm-bindgen $WASM_BINDGEN_VERSION, $(node_modules/.bin/wasm-opt --version))"
