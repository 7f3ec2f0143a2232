#!/usr/bin/env bash
# The project's test command: installs the peers the tests compare against (once), then runs
# every crate's tests with the shared fixtures beside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
export DOCKSTAGE_SHARED="${DOCKSTAGE_SHARED:-$(cd .. && pwd)/shared}"
cargo test --workspace --locked
