#!/usr/bin/env bash
# Seeds the fuzz corpora (not committed) from the example plans and the hostile corpus.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
for t in parse_plan analyse_plan; do
  mkdir -p "corpus/$t"
  cp ../examples/*.json ../tests/hostile/* "corpus/$t/"
done
