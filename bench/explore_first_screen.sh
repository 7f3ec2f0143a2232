#!/usr/bin/env bash
# Time to the first screen of `dockstage explore` (the layer list drawn) and to the complete
# tree (every layer read and analysed: the efficiency line shows and the progress line is
# gone), beside dive's time to its first screen, both in tmux (private socket) on the same
# docker-archive. The screen is polled with capture-pane every 20 ms.
#
# usage: bench/explore_first_screen.sh [DOCKSTAGE_BIN] [ARCHIVE] [RUNS]
#   defaults: target/release/dockstage, the bench image (scripts/make-test-images.sh bench), 3
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/release/dockstage}
ARCHIVE=${2:-${DOCKSTAGE_IMAGE_CACHE:-$HOME/.cache/dockstage/images}/archives/bench-big.docker.tar}
RUNS=${3:-3}
SOCK=dockstage-bench-explore-$$
trap 'tmux -L "$SOCK" kill-server 2>/dev/null || true' EXIT

now() { date +%s.%N; }

# Starts CMD in a 120x40 tmux window, prints seconds until each PATTERN (a grep -E on the
# captured screen) holds, in order. NOT_PATTERN, if set, must not match for the last one.
time_screens() {
    local cmd=$1; shift
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    sync
    local t0; t0=$(now)
    tmux -L "$SOCK" -f /dev/null new-session -d -x 120 -y 40 "$cmd; sleep 600"
    local out=()
    for pat in "$@"; do
        local deadline; deadline=$(echo "$t0 + 300" | bc)
        while :; do
            local screen; screen=$(tmux -L "$SOCK" capture-pane -p 2>/dev/null || true)
            if [[ $pat == *'!'* ]]; then
                local yes=${pat%%!*} no=${pat#*!}
                if grep -qE "$yes" <<<"$screen" && ! grep -qE "$no" <<<"$screen"; then break; fi
            elif grep -qE "$pat" <<<"$screen"; then break; fi
            if (( $(echo "$(now) > $deadline" | bc) )); then echo "timeout waiting for $pat" >&2; echo "$screen" >&2; exit 1; fi
            sleep 0.02
        done
        out+=("$(echo "$(now) - $t0" | bc)")
    done
    tmux -L "$SOCK" send-keys q
    sleep 0.5
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    echo "${out[*]}"
}

echo "archive: $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1))"
for i in $(seq "$RUNS"); do
    read -r first complete < <(time_screens "$BIN explore $ARCHIVE" 'Layers [0-9]+/[0-9]+' 'efficiency [0-9]!reading layers')
    printf 'run %d  dockstage explore: first screen %.2f s, complete tree %.2f s\n' "$i" "$first" "$complete"
done
for i in $(seq "$RUNS"); do
    read -r first < <(time_screens "dive docker-archive://$ARCHIVE" 'Layer Contents')
    printf 'run %d  dive: first screen %.2f s\n' "$i" "$first"
done
