#!/usr/bin/env bash
# Reading an image straight from a registry vs copying it first: `dockstage inspect docker://`
# against `skopeo copy docker:// oci:DIR` followed by `dockstage inspect oci:DIR`, on the
# >1 GB bench image served by a local registry (Debian's docker-registry, plain HTTP on
# 127.0.0.1). Wall time and peak RSS from GNU time.
# usage: bench/registry_vs_skopeo.sh [DOCKER_ARCHIVE]   (default: the bench image, built via the script)
set -euo pipefail
cd "$(dirname "$0")/.."
archive=${1:-}
if [[ -z $archive ]]; then
    dir=$(bash scripts/make-test-images.sh bench)
    archive=$dir/bench-big.docker.tar
fi
cargo build --release -q -p dockstage
bin=$PWD/target/release/dockstage
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/config.yml" <<YML
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $work/data
http:
  addr: 127.0.0.1:$port
YML
docker-registry serve "$work/config.yml" >"$work/registry.log" 2>&1 &
registry=$!
trap 'kill $registry 2>/dev/null; wait $registry 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
image=127.0.0.1:$port/bench-big:latest
echo "pushing $archive to $image (skopeo, gzip layers)" >&2
skopeo copy --quiet --dest-tls-verify=false "docker-archive:$archive" "docker://$image"
du -sh "$work/data" >&2
measure() { # label, command...; prints "label secs kB"
    local label=$1; shift
    local err
    err=$(mktemp)
    /usr/bin/time -f 'TIME %e %M' "$@" >/dev/null 2>"$err" || { cat "$err" >&2; exit 1; }
    read -r _ secs kb < <(grep '^TIME' "$err" | tail -1)
    rm -f "$err"
    printf '%-28s %8.2f s %10d kB max RSS\n' "$label" "$secs" "$kb" >&2
}
measure "dockstage inspect docker://" "$bin" inspect "docker://$image"
measure "skopeo copy to oci:DIR" skopeo copy --quiet --src-tls-verify=false "docker://$image" "oci:$work/oci:latest"
measure "dockstage inspect oci:DIR" "$bin" inspect "oci:$work/oci"
