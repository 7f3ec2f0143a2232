#!/usr/bin/env bash
# Parse throughput, dockstage vs BuildKit's parser (through the `dockerfile` package), one core each.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpus}"
seconds="${2:-5}"
cargo build --release -q -p dockstage-syntax --example parse_throughput
taskset -c 0 target/release/examples/parse_throughput "$corpus" "$seconds"
taskset -c 0 python3 bench/buildkit_parse_throughput.py "$corpus" "$seconds"
