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
mkdir -p "$DOCKSTAGE_IMAGE_CACHE"
# The test build and a fresh image cache take tens of GB together: the log says what the disk
# held at the start and at the end, however the run ends.
disk() { df -h . "$DOCKSTAGE_IMAGE_CACHE" >&2 || true; }
disk
trap disk EXIT
# On a new machine the image builds are mostly downloads (Debian and PyPI packages) and the test
# build is mostly compiling: run them side by side. The tests that need images call the same
# script, which then finds everything cached (it holds a lock, so nothing is built twice).
images_log="$DOCKSTAGE_IMAGE_CACHE/make-test-images.log"
bash scripts/make-test-images.sh all >"$images_log" 2>&1 &
images_pid=$!
trap 'kill "$images_pid" 2>/dev/null || true; disk' EXIT
cargo test --workspace --locked --no-run
if ! wait "$images_pid"; then
    tail -40 "$images_log" >&2
    echo "scripts/make-test-images.sh all failed; the log is $images_log" >&2
    exit 1
fi
trap disk EXIT
cargo test --workspace --locked --no-fail-fast
