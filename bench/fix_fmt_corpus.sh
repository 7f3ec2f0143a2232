#!/usr/bin/env bash
# Times `lint`, `lint --fix` (computed with --diff, nothing written), `fmt --check` and
# dockerfile-utils' formatter over a copy of the shared corpus; three runs each.
# usage: bench/fix_fmt_corpus.sh [DOCKSTAGE_BIN] [CORPUS]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/release/dockstage}
SRC=${2:-${DOCKSTAGE_SHARED:-../shared}/corpus}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp -r "$SRC" "$WORK/corpus"
mapfile -t FILES < <(find "$WORK/corpus" -type f \( -name 'Dockerfile*' -o -name 'Containerfile*' -o -name '*.Dockerfile' \) ! -name '*.dockerignore' | sort)
NODE_PATH=$(npm root -g)
export NODE_PATH
run() { # label, command...
    local label=$1; shift
    for i in 1 2 3; do
        /usr/bin/time -f "$label: %e s %M kB" "$@" >/dev/null 2>"$WORK/time" || true
        tail -1 "$WORK/time"
    done
}
echo "${#FILES[@]} files"
run "lint" "$BIN" lint --no-fail -f json "$WORK/corpus"
run "lint --fix (safe, --diff)" "$BIN" lint --diff "$WORK/corpus"
run "lint --fix --unsafe-fixes (--diff)" "$BIN" lint --diff --unsafe-fixes "$WORK/corpus"
run "fmt --check" "$BIN" fmt --check "$WORK/corpus"
run "dockerfile-utils, one node process" node crates/fmt/tests/dockerfile-utils-batch.js "${FILES[@]}"
run "dockerfile-utils format -s 4, per file" bash -c 'for f in "$@"; do dockerfile-utils format -s 4 "$f"; done' _ "${FILES[@]}"
run "dockstage fmt --diff, per file" bash -c 'b=$1; shift; for f in "$@"; do "$b" fmt --diff "$f"; done' _ "$BIN" "${FILES[@]}"
