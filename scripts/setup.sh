#!/usr/bin/env bash
# Installs what the app and its tests need, pinned, skipping everything already present at the
# right version (a second run takes a second). Source it: it exports PATH and the build settings.
# Versions verified together in ../shared/toolchain.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
TOOLS="${CEN_TOOLS_DIR:-$HOME/.cache/cen-planner-tools}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cen-planner-target}"
export TRUNK_SKIP_VERSION_CHECK=true
export PATH="$HOME/.cargo/bin:$TOOLS/node_modules/.bin:$PATH"
log() { printf '[setup] %s\n' "$*" >&2; }
timed() { local s=$SECONDS; "$@"; log "$((SECONDS - s))s: $*"; }

rustup target list --installed | grep -qx wasm32-unknown-unknown || timed rustup target add wasm32-unknown-unknown
# Trunk: its own release profile is fat LTO; thin settings save a quarter of a cold install.
[ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ] \
  || CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_TARGET_DIR="$TOOLS/build" \
     timed cargo install --locked trunk --version "$TRUNK_VERSION"
# wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock. No --locked: its lockfile pins a
# webpki-roots release the registry here does not serve.
WBG=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;}' "$ROOT/Cargo.lock")
[ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WBG" ] \
  || CARGO_TARGET_DIR="$TOOLS/build" timed cargo install wasm-bindgen-cli --version "=$WBG"
# npm binaryen, never Debian's (binaryen 108 silently breaks the module).
[ "$(wasm-opt --version 2>/dev/null)" = "wasm-opt version $BINARYEN_VERSION (version_$BINARYEN_VERSION)" ] \
  || timed npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION.0.0"
# wasm-split-cli: splits the page's wasm into the parts loaded before and after it is interactive
# (scripts/build-web.sh); it must read the `wasm_split_helpers` version Leptos links (Cargo.lock).
WSPLIT_VERSION=0.2.3
grep -qs "wasm_split_cli_support $WSPLIT_VERSION " "$TOOLS/wsplit/.crates.toml" \
  || CARGO_TARGET_DIR="$TOOLS/build" timed cargo install --locked wasm_split_cli_support --version "$WSPLIT_VERSION" \
       --features build-binary --root "$TOOLS/wsplit"
export TRUNK_TOOLS_WASM_BINDGEN="$WBG"
