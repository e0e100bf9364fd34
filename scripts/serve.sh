#!/usr/bin/env bash
# Installs what is missing (pinned, idempotent), builds the release app and serves it on
# http://127.0.0.1:8080 (Ctrl+C to stop).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/setup.sh"
cargo fetch --locked
exec trunk serve --release --offline --locked --address 127.0.0.1 --port 8080 --no-autoreload
