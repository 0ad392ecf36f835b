#!/usr/bin/env bash
# Layers only point down (README, "How it is built"): fails, naming file and line, if
#   - the models (src/core/models) import the training layer (crate::train), or
#   - the UI's shared state (src/ui/state) imports the widgets (ui::widgets).
# Comments are skipped (module docs may name the layer that uses them). The core's crate boundary
# keeps it from importing the UI at all; scripts/check_core_deps.sh checks its dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

# Lines of Rust under $1 that name the pattern $2 outside a `//` comment.
imports() {
  grep -rnE --include='*.rs' "$2" "$1" | grep -vE '^[^:]+:[0-9]+:[[:space:]]*//' || true
}

fail=0
check() {
  local found
  found=$(imports "$1" "$2")
  if [ -n "$found" ]; then
    echo "check_layers: $1 must not import $3 (layers only point down):" >&2
    printf '  %s\n' "$found" >&2
    fail=1
  fi
}
check src/core/models '\b(crate|super::super)::(train\b|\{[^}]*\btrain\b)' "the training layer (train)"
check src/ui/state '\b(crate::ui|super::super|super)::(widgets\b|\{[^}]*\bwidgets\b)' "the widgets (ui::widgets)"
[ "$fail" = 0 ] || exit 1
echo "check_layers: models never import train; ui/state never imports ui::widgets"
