#!/usr/bin/env bash
# `make bench`: the CPU backends natively and as wasm in Node 20, and training in the page (the
# release build in headless Chromium, the Train page, 1 thread and every core), beside PyTorch CPU
# (1 thread, and every core for the training step) when it is installed, on the same workloads,
# and PyTorch on the GPU beside the native WebGPU rows where torch sees a CUDA device.
# Prints tables with ratios and writes target/bench/{native,wasm,pytorch,page,all}.json.
# Figures are measurements, never test assertions. PAGE=0 skips the in-page rows.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
mkdir -p target/bench
quick=()
[ "${QUICK:-}" = 1 ] && quick=(--quick) && export CONVSCOPE_BENCH_QUICK=1

echo "== native (release; the GPU rows use whatever adapter wgpu finds: lavapipe where there is no GPU)"
XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}" cargo run --locked --release --quiet --bin convscope -- bench --json target/bench/native.json "${quick[@]}"

echo "== wasm in Node $(node --version)"
cargo test --locked --release --target wasm32-unknown-unknown --test bench_wasm -- --nocapture 2>&1 \
  | tee target/bench/wasm.log | grep -v '^BENCH_JSON'
grep '^BENCH_JSON ' target/bench/wasm.log | head -n 1 | cut -d' ' -f2- > target/bench/wasm.json

if [ "${PAGE:-1}" != 0 ]; then
  cores=$(nproc)
  [ "$cores" -gt 8 ] && cores=8
  threads=1
  [ "$cores" -gt 1 ] && threads="1,$cores"
  echo "== in the page (release build, headless Chromium, Train page, threads $threads)"
  trunk build --release --offline
  seconds=60
  [ "${QUICK:-}" = 1 ] && seconds=10
  node scripts/bench_page.mjs --threads "$threads" --seconds "$seconds" --rounds 1 --rows target/bench/page.json dist
else
  rm -f target/bench/page.json
fi

PYTHON=${PYTHON:-python3}
if "$PYTHON" -c 'import torch' 2>/dev/null; then
  echo "== PyTorch CPU, 1 thread"
  "$PYTHON" scripts/bench_pytorch.py --cuda --json target/bench/pytorch.json "${quick[@]}"
else
  echo "== PyTorch not installed for $PYTHON: skipping its column (set PYTHON=... to a Python with torch)"
  rm -f target/bench/pytorch.json
fi

python3 scripts/bench_table.py target/bench
