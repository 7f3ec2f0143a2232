#!/usr/bin/env bash
# Regenerates crates/cli/link/hot-functions.ld, the list of functions the linker gathers at the
# front of the binary's code (see crates/cli/build.rs): builds the release binary, runs start-up,
# `inspect` (a docker-archive and a gzip OCI archive) and `lint`/`analyze` under callgrind, and
# writes a pattern per function that ran, inspect's first. Needs valgrind and the test images.
# usage: scripts/hot-functions.sh   (then rebuild and run bench/inspect_vs_dive.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
archives=$(bash scripts/make-test-images.sh examples streamlit-app)
bash scripts/make-test-images.sh fixtures >/dev/null
target=${CARGO_TARGET_DIR:-target}
cargo build --release -q -p dockstage
bin=$target/release/dockstage
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
profile() { # name, args...
    local name=$1; shift
    valgrind -q --tool=callgrind --demangle=no --callgrind-out-file="$work/$name" "$bin" "$@" >/dev/null 2>&1 || true
}
ci=(--ci --lowest-efficiency 0 --highest-user-wasted-percent disabled)
profile 1-inspect inspect "$archives/example-streamlit-app-single.docker.tar" "${ci[@]}"
profile 2-inspect-oci inspect "$archives/wasteful.oci.tar" "${ci[@]}"
profile 3-version --version
profile 4-lint lint examples/ml-service/Dockerfile
profile 5-analyze analyze examples/ml-service/Dockerfile
python3 scripts/hot-functions.py "$bin" crates/cli/link/hot-functions.ld "$work"/*
