#!/usr/bin/env bash
# The project's test command: installs the peers the tests compare against (once), then runs
# every crate's tests with the shared fixtures beside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
export DOCKSTAGE_SHARED="${DOCKSTAGE_SHARED:-$(cd .. && pwd)/shared}"
# Real test images (debootstrap bases, example builds) are cached per machine, outside the
# checkout, keyed by the content of what they are built from: a fresh clone reuses them.
export DOCKSTAGE_IMAGE_CACHE="${DOCKSTAGE_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dockstage/images}"
cargo test --workspace --locked
