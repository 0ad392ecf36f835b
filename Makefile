# convscope: the two commands a new user needs are `make serve` and `make test`.
# Both run scripts/setup.sh first, which installs only what is missing (seconds when nothing is).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
# npm's binaryen@132 wasm-opt must come before any other on PATH (Debian's 108 miscompiles).
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
WASM := --target wasm32-unknown-unknown

.PHONY: setup serve build test bench lint test-native test-wasm test-e2e

setup:
	@scripts/setup.sh

## Build and serve the app at http://127.0.0.1:8080 (rebuilds on change).
serve: setup
	trunk serve --offline

## The release build in dist/ (static files: serve them from anywhere).
build: setup
	trunk build --release --offline

## Every test: format, lints (native and wasm32), native tests, wasm tests (Node and Chromium),
## the release build, and the browser tests against it.
test: setup
	@scripts/test.sh

## Speed of the CPU backends natively, as wasm in Node and training in the page, beside PyTorch when installed.
## QUICK=1 for a smoke run, PAGE=0 without the in-page rows. Prints tables; JSON in target/bench/.
bench: setup
	@scripts/bench.sh

## Format, the core's dependency rule (no UI crate in src/core), the layers (models never import
## train, ui/state never imports the widgets), clippy natively and for wasm32.
lint:
	cargo fmt --all -- --check
	scripts/check_core_deps.sh
	scripts/check_layers.sh
	cargo clippy --locked --workspace --all-targets -- -D warnings
	cargo clippy --locked --workspace --all-targets $(WASM) -- -D warnings

test-native:
	cargo test --locked --workspace

test-wasm:
	cargo test --locked $(WASM) --test web_node --test web_browser

test-e2e:
	node --test tests/e2e/
