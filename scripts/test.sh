#!/usr/bin/env bash
# Runs every test, in order from fastest feedback to slowest, timing each step. Called by
# `make test` (after scripts/setup.sh) and so by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
# lavapipe (Mesa's CPU Vulkan driver) wants a runtime dir; without one it prints a warning.
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"

step() {
  local name=$1
  shift
  printf '\n\033[1;34m== %s\033[0m\n' "$name"
  local start=$SECONDS
  "$@"
  printf '\033[1;34m== %s: %ss\033[0m\n' "$name" $((SECONDS - start))
}

step "format" cargo fmt --all -- --check
step "core has no UI dependency" scripts/check_core_deps.sh
step "layers only point down" scripts/check_layers.sh
step "clippy (native)" cargo clippy --locked --workspace --all-targets -- -D warnings
step "clippy (wasm32)" cargo clippy --locked --workspace --all-targets --target wasm32-unknown-unknown -- -D warnings
step "native tests" cargo test --locked --workspace
step "wasm tests (Node and Chromium)" \
  cargo test --locked --target wasm32-unknown-unknown --test web_node --test web_browser
step "release build" trunk build --release --offline
step "browser tests" node --test tests/e2e/
