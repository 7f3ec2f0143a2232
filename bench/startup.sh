#!/usr/bin/env bash
# Start-up cost and binary size: `dockstage --version`, `lint` on one Dockerfile, `analyze` on a
# compose file, timed with hyperfine (Debian's `hyperfine`); the binary's size on disk.
# usage: bench/startup.sh [BINARY]   (default: target/dist/dockstage; build it with
#        cargo build --locked --profile dist -p dockstage, the profile the image ships)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/dist/dockstage}
[[ -x $BIN ]] || { echo "no binary at $BIN" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
echo "binary: $BIN, $(stat -c %s "$BIN") bytes ($(numfmt --to=iec-i --suffix=B "$(stat -c %s "$BIN")"))"
hyperfine --warmup 5 --runs 100 -N \
    "$BIN --version" \
    "$BIN lint --no-fail examples/churn-api/docker/Dockerfile.api" \
    "$BIN analyze examples/churn-api/docker-compose.yml"
