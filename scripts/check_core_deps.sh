#!/usr/bin/env bash
# The compute core (src/core, crate convscope-core) must stay free of UI and DOM crates, so it can
# run in the CLI, a Web Worker and the tests alike. Fails, naming the crate and the path to it,
# if any target's dependency tree of the core reaches one.
#   - anywhere in the tree: leptos, plotters, gloo, console_error_panic_hook (UI only);
#   - as a direct dependency: web-sys, js-sys, wasm-bindgen (wgpu's WebGPU backend uses them
#     underneath, which is fine; the core's own code must not).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

tree=$(cargo tree -p convscope-core --target all -e normal --prefix none)
bad=$(printf '%s\n' "$tree" | awk '{print $1}' | sort -u \
  | grep -E '^(leptos|leptos_[a-z_]+|plotters|plotters-[a-z]+|gloo|gloo-[a-z]+|console_error_panic_hook)$' || true)
direct=$(cargo tree -p convscope-core --target all -e normal --depth 1 --prefix none \
  | tail -n +2 | awk '{print $1}' | sort -u | grep -E '^(web-sys|js-sys|wasm-bindgen|wasm-bindgen-futures)$' || true)
if [ -n "$bad$direct" ]; then
  echo "check_core_deps: convscope-core must not depend on UI/DOM crates, but it reaches:" >&2
  for c in $bad $direct; do
    echo "  $c, through:" >&2
    cargo tree -p convscope-core --target all -e normal -i "$c" 2>/dev/null | head -8 >&2 || true
  done
  exit 1
fi
echo "check_core_deps: convscope-core has no UI dependency ($(printf '%s\n' "$tree" | awk '{print $1}' | sort -u | wc -l) crates in its tree)"
