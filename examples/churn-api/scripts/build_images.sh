#!/usr/bin/env bash
# Build the training and API images: scripts/build_images.sh [version]
# Uses docker if present, else buildah (BUILDER=buildah forces it).
set -euo pipefail
cd "$(dirname "$0")/.."

version="${1:-latest}"
builder="${BUILDER:-$(command -v docker >/dev/null 2>&1 && echo docker || echo buildah)}"

for kind in train api; do
  tag="churn-prediction-${kind}:${version}"
  echo "building ${tag} with ${builder}"
  case "$builder" in
    docker)  docker build -t "$tag" -f "docker/Dockerfile.${kind}" . ;;
    # --format docker keeps HEALTHCHECK, which OCI image configs cannot hold.
    buildah) buildah bud --pull=never --format docker -t "$tag" -f "docker/Dockerfile.${kind}" . ;;
    *) echo "unknown BUILDER: $builder" >&2; exit 2 ;;
  esac
done
