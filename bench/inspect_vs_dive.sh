#!/usr/bin/env bash
# Compares `dockstage inspect --ci` with `dive --ci` on the same >1 GB docker-archive:
# wall time and peak memory (max RSS) from GNU time, one run each after a warm-up read
# so both start with the archive in the page cache.
# usage: bench/inspect_vs_dive.sh [ARCHIVE]   (default: builds bench/big-image via the script)
# env:   DOCKSTAGE_BIN   measure this binary instead of the release build (e.g. the image's static one)
#        RUNS            runs of each tool (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
archive=${1:-}
if [[ -z $archive ]]; then
    dir=$(bash scripts/make-test-images.sh bench)
    archive=$dir/bench-big.docker.tar
fi
if [[ -n ${DOCKSTAGE_BIN:-} ]]; then
    bin=$DOCKSTAGE_BIN
else
    cargo build --release -q -p dockstage
    bin=${CARGO_TARGET_DIR:-target}/release/dockstage
fi
size=$(stat -c %s "$archive")
echo "archive: $archive ($((size / 1000000)) MB)"
cat "$archive" >/dev/null   # warm the page cache for both
measure() { # label, command...; prints a line for humans on stderr, "secs kB" on stdout
    local label=$1; shift
    local err secs kb
    err=$(mktemp)
    /usr/bin/time -f 'TIME %e %M' "$@" >/dev/null 2>"$err" || true
    read -r _ secs kb < <(grep '^TIME' "$err" | tail -1)
    rm -f "$err"
    printf '%-10s %8.2f s %10d kB max RSS\n' "$label" "$secs" "$kb" >&2
    echo "$secs $kb"
}
unset CI
for _ in $(seq "${RUNS:-1}"); do
    r1=$(measure dockstage "$bin" inspect "$archive" --ci --lowest-efficiency 0 --highest-user-wasted-percent disabled)
    r2=$(measure dive dive --ci --source docker-archive "$archive" --lowestEfficiency=0 --highestUserWastedPercent=disabled)
    read -r t1 m1 <<<"$r1"
    read -r t2 m2 <<<"$r2"
    python3 -c "import sys; t1,m1,t2,m2=map(float,sys.argv[1:]); print(f'speedup: {t2/t1:.1f}x   memory: {m1/m2*100:.1f}% of dive\'s peak')" "$t1" "$m1" "$t2" "$m2"
done
