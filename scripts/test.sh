#!/usr/bin/env bash
# The project's test command: every crate's tests, with the shared fixtures beside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOCKSTAGE_SHARED="${DOCKSTAGE_SHARED:-$(cd .. && pwd)/shared}"
cargo test --workspace --locked
