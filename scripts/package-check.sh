#!/usr/bin/env bash
# Checks that every crate can be published: `cargo package` for the whole workspace, the
# library crates resolved against each other through cargo's local overlay (they are not on
# crates.io yet), each package built from its own .crate (the verify step).
# usage: scripts/package-check.sh [--no-verify]   (--no-verify: metadata and file lists only)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo package --workspace --locked --allow-dirty "$@"
ls -l "${CARGO_TARGET_DIR:-target}"/package/*.crate
