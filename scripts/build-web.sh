#!/usr/bin/env bash
# Trunk post-build hook: splits the page's wasm (the `web` binary) into parts that load apart.
#
# Trunk builds one wasm module per page. The views that are not needed before the app is
# interactive (the inspector's forms, the lists, the findings, the matrix, the review tools) are
# split points (`src/ui/lazy.rs`): their code goes to modules of their own, fetched after the first
# paint. Trunk has built the page's module (linked with relocations, `.cargo/config.toml`) and written
# its loader; this hook takes cargo's output again and: `wasm-split-cli` (main module + parts, the code
# parts share in `chunk_*.wasm`, +
# `__wasm_split.js`) → `wasm-bindgen` → export the table again (`scripts/export_table.py`) → `wasm-opt`
# on each module → written over Trunk's files of the same names, the parts beside them.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STAGE="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
PROFILE="${TRUNK_PROFILE:-release}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
TOOLS="${CEN_TOOLS_DIR:-$HOME/.cache/cen-planner-tools}"
SPLIT="$TOOLS/wsplit/bin/wasm-split-cli"
fail() { echo "build-web: $*" >&2; exit 1; }
[ -x "$SPLIT" ] || fail "$SPLIT is missing: run scripts/setup.sh"
if [ "$PROFILE" = release ]; then OUT=wasm-release; else OUT=debug; fi
INPUT="$TARGET_DIR/wasm32-unknown-unknown/$OUT/web.wasm"
[ -f "$INPUT" ] || fail "$INPUT is missing (Trunk builds it first)"
# Trunk's files for the page: web-<hash>.js and web-<hash>_bg.wasm.
shopt -s nullglob
js=()
for f in "$STAGE"/web-*.js; do [[ $f == *-split.js ]] || js+=("$f"); done
[ ${#js[@]} -eq 1 ] || fail "expected one web-*.js in $STAGE, found ${#js[@]}"
NAME="$(basename "${js[0]}" .js)"
[ -f "$STAGE/${NAME}_bg.wasm" ] || fail "$STAGE/${NAME}_bg.wasm is missing"

WORK="$TARGET_DIR/web-split"
rm -rf "$WORK" && mkdir -p "$WORK/split" "$WORK/bindgen"
"$SPLIT" --target web --out-name "$NAME" "$INPUT" "$WORK/split" 2> >(grep -v "unknown name subsection" >&2)
wasm-bindgen --target web --no-typescript --out-dir "$WORK/bindgen" --out-name "$NAME" "$WORK/split/$NAME.wasm"
python3 "$ROOT/scripts/export_table.py" "$WORK/bindgen/${NAME}_bg.wasm" "$WORK/main.wasm"
optimise() {
  if [ "$PROFILE" = release ]; then
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
      --strip-debug --strip-producers "$1" -o "$2" 2> >(grep -v "unknown name subsection" >&2)
  else
    cp "$1" "$2"
  fi
}
optimise "$WORK/main.wasm" "$STAGE/${NAME}_bg.wasm"
# The parts are named after the build too (web-<hash>-split_*.wasm, web-<hash>-chunk_*.wasm), so a page
# never meets the parts of another build.
parts=0
for part in "$WORK"/split/split_*.wasm "$WORK"/split/chunk_*.wasm; do
  optimise "$part" "$STAGE/$NAME-$(basename "$part")"
  parts=$((parts + 1))
done
# The page's script imports the parts' loader by a fixed name: give it one that changes with the build.
# (Only the import statement: the wasm module's import object keeps the module name "./__wasm_split.js".)
sed "s#from \"./__wasm_split.js\"#from \"./${NAME}-split.js\"#" "$WORK/bindgen/$NAME.js" > "$STAGE/$NAME.js"
sed -e "s#new URL(\"./split_#new URL(\"./$NAME-split_#" -e "s#new URL(\"./chunk_#new URL(\"./$NAME-chunk_#" \
  "$WORK/split/__wasm_split.js" > "$STAGE/${NAME}-split.js"
! grep -q "new URL(\"./\(split\|chunk\)_" "$STAGE/${NAME}-split.js" || fail "a part's file name was not given the build's"
grep -q "from \"./${NAME}-split.js\"" "$STAGE/$NAME.js" || fail "$NAME.js does not import the parts' loader"
grep -q "\"./$NAME.js\"" "$STAGE/${NAME}-split.js" || fail "the parts' loader does not import $NAME.js"
# Preload the loader with the page's script (it is part of the first load).
python3 - "$STAGE/index.html" "$NAME" <<'PY'
import sys
path, name = sys.argv[1], sys.argv[2]
html = open(path, encoding="utf-8").read()
link = f'<link rel="modulepreload" href="/{name}-split.js" crossorigin="anonymous">'
if "</head>" not in html:
    sys.exit("build-web: index.html has no </head>")
open(path, "w", encoding="utf-8").write(html.replace("</head>", link + "</head>", 1))
PY
echo "build-web: $NAME split, $parts parts loaded after the first paint"
# Last: the Content-Security-Policy, which allows the inline loader by hash.
python3 "$ROOT/scripts/csp.py"
