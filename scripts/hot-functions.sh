#!/usr/bin/env bash
# Regenerates crates/cli/link/hot-functions.ld, the list of functions the linker gathers at the
# front of the binary's code (see crates/cli/build.rs). Builds the two binaries we ship (the
# release build, and the image's static `dist` build, unstripped here so its symbols can be
# read), runs start-up, `inspect` (a docker-archive and a gzip OCI archive), `lint` and `analyze`
# under callgrind on each, and writes a pattern per function that ran, inspect's first.
# Needs valgrind and the test images; takes about 10 minutes on 2 cores.
# usage: scripts/hot-functions.sh   (then rebuild and run bench/inspect_vs_dive.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
archives=$(bash scripts/make-test-images.sh examples streamlit-app)
bash scripts/make-test-images.sh fixtures >/dev/null
target=${CARGO_TARGET_DIR:-target}
triple=x86_64-unknown-linux-gnu
cargo build --release -q -p dockstage
# As the Dockerfile builds it.
CARGO_PROFILE_DIST_STRIP=false RUSTFLAGS="-C target-feature=+crt-static -C relocation-model=static" \
    cargo build --profile dist -q --locked -p dockstage --target "$triple"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ci=(--ci --lowest-efficiency 0 --highest-user-wasted-percent disabled)
profile() { # output name, args... (uses $bin and $out)
    local name=$1; shift
    valgrind -q --tool=callgrind --demangle=no --callgrind-out-file="$out/$name" "$bin" "$@" >/dev/null 2>&1 || true
}
args=()
for bin in "$target/release/dockstage" "$target/$triple/dist/dockstage"; do
    out=$work/$(echo "$bin" | tr / _)
    mkdir -p "$out"
    profile 1-inspect inspect "$archives/example-streamlit-app-single.docker.tar" "${ci[@]}"
    profile 2-inspect-oci inspect "$archives/wasteful.oci.tar" "${ci[@]}"
    profile 3-version --version
    profile 4-lint lint examples/ml-service/Dockerfile
    profile 5-analyze analyze examples/ml-service/Dockerfile
    [[ ${#args[@]} -eq 0 ]] || args+=(--)
    args+=("$bin" "$out"/*)
done
python3 scripts/hot-functions.py crates/cli/link/hot-functions.ld "${args[@]}"
