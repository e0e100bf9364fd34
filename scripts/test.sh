#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what is missing (pinned, idempotent), then
# format and lint checks, the native tests (core, CLI, examples), the wasm build of the app and
# the browser tests on the release build in headless Chromium.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/setup.sh"
bash "$ROOT/scripts/setup-browser.sh"
step() { printf '\n==> %s\n' "$*" >&2; }

step "cargo fetch"
cargo fetch --locked
step "format"
cargo fmt --check
step "lint (native, all targets)"
cargo clippy --locked --all-targets -- -D warnings
step "lint (wasm app)"
cargo clippy --locked --target wasm32-unknown-unknown --no-default-features --features ui --lib --bin web -- -D warnings
step "lint (wasm analysis worker)"
cargo clippy --locked --target wasm32-unknown-unknown --no-default-features --features worker --bin worker -- -D warnings
step "native tests: core, CLI, examples, schema"
cargo test --locked
step "release build of the app (trunk)"
trunk build --release --offline --locked
step "browser tests (headless Chromium)"
(cd tests/browser && DIST="$ROOT/dist" CEN_PLANNER_BIN="$CARGO_TARGET_DIR/debug/cen-planner" node --test --test-reporter=spec)
