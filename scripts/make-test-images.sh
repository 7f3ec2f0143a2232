#!/usr/bin/env bash
# Builds the real images the image tests and benches read, with no registry:
#   1. base images from debootstrap (Debian bookworm, minbase), tagged with the names the
#      examples' FROM lines use (python:3.11-slim, python:3.11, ...), so `--pull=never` works;
#   2. the fixtures under crates/image/tests/fixtures (docker-archive and oci-archive) and the
#      examples' Dockerfiles (docker-archive), saved under $CACHE/archives.
# Everything is cached: a second run with nothing changed only checks stamps.
#
# usage: scripts/make-test-images.sh [bases|node-go|fixtures|examples|bench|rust|self|all]   (default: bases fixtures)
#        scripts/make-test-images.sh package-lists NAME...   (in-image dpkg/pip lists of built images)
#        scripts/make-test-images.sh go-lists NAME...   (`go version -m` run inside built images
#            that have Go; go-modules and example-go-app are built first when missing)
#        scripts/make-test-images.sh build NAME CONTEXT DOCKERFILE   (any Dockerfile, e.g. a
#            `lint --fix` result, built without intermediate layers; cached by the
#            Dockerfile's and the context's content)
# env:   DOCKSTAGE_IMAGE_CACHE  cache directory (default ~/.cache/dockstage/images, as scripts/test.sh)
#        DEBIAN_MIRROR          (default http://deb.debian.org/debian)
set -euo pipefail
cd "$(dirname "$0")/.."
WS=$(pwd)
CACHE=${DOCKSTAGE_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dockstage/images}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$CACHE/archives" "$CACHE/stamps"
# Test binaries run in parallel; one build at a time.
exec 9>"$CACHE/.lock"
flock 9

# buildah without a daemon or overlay support: vfs storage, chroot isolation, storage kept
# inside the cache so CI machines and developers' own images never mix.
export STORAGE_DRIVER=vfs BUILDAH_ISOLATION=chroot
BUILDAH=(buildah --root "$CACHE/storage" --runroot "$CACHE/run" --storage-driver vfs)
# RUN --mount=type=cache directories (the own image's cargo registry and target/) live under
# buildah's TMPDIR: keep them in the cache too, so removing the cache removes them.
mkdir -p "$CACHE/tmp"
export TMPDIR=$CACHE/tmp

log() { printf '[make-test-images] %s\n' "$*" >&2; }

SLIM_TAGS=(python:3.11-slim python:3.10-slim python:3.12-slim python:3.9-slim python:3-slim)
FULL_TAGS=(python:3.11 python:3.10 python:3.12 python:3.9 python:3)

tag_all() { # image, names...
    local img=$1; shift
    for t in "$@"; do
        "${BUILDAH[@]}" tag "$img" "$t" "docker.io/library/$t"
    done
}

# A failed debootstrap can leave /proc mounted in the rootfs; never rm -rf through a mount.
unmount_under() {
    local m
    for m in $(awk -v r="$1/" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r); do
        umount -l "$m" || true
    done
}

make_bases() {
    if [[ -f $CACHE/stamps/bases ]] && "${BUILDAH[@]}" inspect --type image python:3.11 >/dev/null 2>&1; then
        log "base images cached"
        return
    fi
    local root=$CACHE/rootfs-slim
    unmount_under "$root"
    rm -rf "$root"
    log "debootstrap bookworm (minbase + python3) into $root"
    debootstrap --variant=minbase --include=python3,python3-pip,python3-venv,ca-certificates \
        bookworm "$root" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
        || { unmount_under "$root"; tail -30 "$CACHE/debootstrap.log" >&2; exit 1; }
    # Look like the official python images: `python` and `pip` on PATH, pip allowed to install
    # into the system interpreter, no apt lists left behind.
    ln -sf python3 "$root/usr/bin/python"
    [[ -e $root/usr/bin/pip ]] || ln -sf pip3 "$root/usr/bin/pip"
    # RUN steps must reach package registries through the same TLS proxy as the host.
    if [[ -d /usr/local/share/ca-certificates ]]; then
        mkdir -p "$root/usr/local/share/ca-certificates"
        cp -a /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
    fi
    cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
    printf 'deb %s bookworm main\n' "$MIRROR" >"$root/etc/apt/sources.list"
    tar --numeric-owner -C "$root" -cf "$CACHE/rootfs-slim.tar" .
    rm -rf "$root"

    log "import slim base"
    local ctr
    ctr=$("${BUILDAH[@]}" from scratch)
    "${BUILDAH[@]}" add "$ctr" "$CACHE/rootfs-slim.tar" / >/dev/null
    "${BUILDAH[@]}" config \
        --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        --env LANG=C.UTF-8 --env PIP_BREAK_SYSTEM_PACKAGES=1 \
        --cmd python3 --created-by "debootstrap bookworm minbase python3" "$ctr"
    "${BUILDAH[@]}" commit --rm "$ctr" localhost/dockstage-base:slim >/dev/null
    tag_all localhost/dockstage-base:slim "${SLIM_TAGS[@]}"
    rm -f "$CACHE/rootfs-slim.tar"

    log "build full base (build-essential, headers, git) on top of slim"
    ctr=$("${BUILDAH[@]}" from --pull=never localhost/dockstage-base:slim)
    "${BUILDAH[@]}" run --isolation chroot "$ctr" -- sh -c \
        'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends build-essential python3-dev git curl libffi-dev libssl-dev && apt-get clean && rm -rf /var/lib/apt/lists/*' \
        >"$CACHE/full.log" 2>&1 || { tail -30 "$CACHE/full.log" >&2; exit 1; }
    "${BUILDAH[@]}" commit --rm "$ctr" localhost/dockstage-base:full >/dev/null
    tag_all localhost/dockstage-base:full "${FULL_TAGS[@]}"
    touch "$CACHE/stamps/bases"
}

# Node and Go bases for examples/node-app and examples/go-app, from Debian bookworm's own
# packages on the bases above (bookworm ships nodejs 18 and go 1.19, hence the tags):
#   node:18-slim   slim base + nodejs + npm (npm from registry.npmjs.org, see node_image)
#   node:18        full base (build-essential, git, curl) + nodejs + npm
#   golang:1.19    full base + golang-go (GOPATH /go, go on PATH)
#   gcr.io/distroless/static-debian12   scratch + CA certificates, zoneinfo (when the slim base
#                  has it), passwd/group with
#                  nonroot (65532): what a static binary needs; `FROM scratch` needs nothing.
NODE_SLIM_TAGS=(node:18-slim node:18-bookworm-slim)
NODE_FULL_TAGS=(node:18 node:18-bookworm)
GO_TAGS=(golang:1.19 golang:1.19-bookworm)
STATIC_TAGS=(gcr.io/distroless/static-debian12 gcr.io/distroless/static)

apt_layer() { # from-image, log name, packages...
    local from=$1 name=$2; shift 2
    local ctr
    ctr=$("${BUILDAH[@]}" from --pull=never "$from")
    "${BUILDAH[@]}" run --isolation chroot "$ctr" -- sh -c \
        "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $* && apt-get clean && rm -rf /var/lib/apt/lists/*" \
        >"$CACHE/$name.log" 2>&1 || { tail -30 "$CACHE/$name.log" >&2; "${BUILDAH[@]}" rm "$ctr" >/dev/null; exit 1; }
    echo "$ctr"
}

# npm from its own registry tarball: Debian's npm package pulls in ~350 node-* packages
# (babel, ...), hundreds of MB per image for what is one self-contained tarball.
NPM_VERSION=9.9.4
NPM_SHA512=NzcQiLpqDuLhavdyJ2J3tGJ/ni/ebcqHVFZkv1C4/6lblraUPbPgCJ4Vhb4oa3FFhRa2Yj9gA58jGH/ztKueNQ==

node_image() { # from-image, log name, image name, tags...
    local from=$1 name=$2 image=$3; shift 3
    local tgz=$CACHE/npm-$NPM_VERSION.tgz
    if [[ ! -f $tgz ]]; then
        curl -fsSL "https://registry.npmjs.org/npm/-/npm-$NPM_VERSION.tgz" -o "$tgz.part"
        [[ $(openssl dgst -sha512 -binary "$tgz.part" | base64 -w0) == "$NPM_SHA512" ]] \
            || { log "npm-$NPM_VERSION.tgz: integrity mismatch"; rm -f "$tgz.part"; exit 1; }
        mv "$tgz.part" "$tgz"
    fi
    local ctr
    ctr=$(apt_layer "$from" "$name" nodejs)
    # The tarball unpacks to package/; npm runs from /usr/lib/node_modules/npm as Debian's would.
    "${BUILDAH[@]}" add "$ctr" "$tgz" /usr/lib/node_modules/ >/dev/null
    "${BUILDAH[@]}" run --isolation chroot "$ctr" -- sh -c \
        'mv /usr/lib/node_modules/package /usr/lib/node_modules/npm && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/bin/npm && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/bin/npx && npm --version' \
        >>"$CACHE/$name.log" 2>&1 || { tail -20 "$CACHE/$name.log" >&2; exit 1; }
    # npm reaches the registry through the host's TLS proxy: trust the system's certificates.
    "${BUILDAH[@]}" config --cmd node --env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
        --created-by "apt-get install nodejs; npm $NPM_VERSION from registry.npmjs.org" "$ctr"
    "${BUILDAH[@]}" commit --quiet --rm "$ctr" "$image" >/dev/null
    tag_all "$image" "$@"
}

make_node_go_bases() {
    if [[ -f $CACHE/stamps/bases-node-go ]] && "${BUILDAH[@]}" inspect --type image golang:1.19 >/dev/null 2>&1; then
        log "node, go and static bases cached"
        return
    fi
    local ctr
    log "node:18-slim (nodejs + npm on the slim base)"
    node_image localhost/dockstage-base:slim node-slim localhost/dockstage-base:node-slim "${NODE_SLIM_TAGS[@]}"
    log "node:18 (nodejs + npm on the full base)"
    node_image localhost/dockstage-base:full node-full localhost/dockstage-base:node "${NODE_FULL_TAGS[@]}"

    log "golang:1.19 (golang-go on the full base)"
    ctr=$(apt_layer localhost/dockstage-base:full golang golang-go)
    "${BUILDAH[@]}" config --env GOPATH=/go \
        --env PATH=/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        --workingdir /go --cmd bash --created-by "apt-get install golang-go" "$ctr"
    "${BUILDAH[@]}" commit --rm "$ctr" localhost/dockstage-base:golang >/dev/null
    tag_all localhost/dockstage-base:golang "${GO_TAGS[@]}"

    log "distroless-like static base (scratch + certificates, tzdata, passwd)"
    local root=$CACHE/rootfs-static
    rm -rf "$root"
    mkdir -p "$root/etc/ssl/certs" "$root/usr/share" "$root/tmp" "$root/home/nonroot"
    chmod 1777 "$root/tmp"
    ctr=$("${BUILDAH[@]}" from --pull=never localhost/dockstage-base:slim)
    local mnt
    mnt=$("${BUILDAH[@]}" mount "$ctr")
    cp "$mnt/etc/ssl/certs/ca-certificates.crt" "$root/etc/ssl/certs/"
    cp -a "$mnt/usr/share/zoneinfo" "$root/usr/share/" 2>/dev/null || true
    "${BUILDAH[@]}" umount "$ctr" >/dev/null
    "${BUILDAH[@]}" rm "$ctr" >/dev/null
    printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$root/etc/passwd"
    printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' >"$root/etc/group"
    chown 65532:65532 "$root/home/nonroot"
    tar --numeric-owner -C "$root" -cf "$CACHE/rootfs-static.tar" .
    rm -rf "$root"
    ctr=$("${BUILDAH[@]}" from scratch)
    "${BUILDAH[@]}" add "$ctr" "$CACHE/rootfs-static.tar" / >/dev/null
    "${BUILDAH[@]}" config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        --env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt --workingdir / \
        --created-by "scratch + ca-certificates, tzdata, passwd" "$ctr"
    "${BUILDAH[@]}" commit --rm "$ctr" localhost/dockstage-base:static >/dev/null
    tag_all localhost/dockstage-base:static "${STATIC_TAGS[@]}"
    rm -f "$CACHE/rootfs-static.tar"
    touch "$CACHE/stamps/bases-node-go"
}

# build_and_save NAME CONTEXT DOCKERFILE [oci]: builds with buildah, saves a docker-archive
# (and an oci-archive when asked). A `DOCKERFILE.dockerignore` beside the Dockerfile is the
# build's ignore file, as BuildKit reads it.
build_and_save() {
    local name=$1 ctx=$2 dockerfile=$3 oci=${4:-} layers=${5:---layers}
    local ignore=()
    [[ -f $dockerfile.dockerignore ]] && ignore=(--ignorefile "$dockerfile.dockerignore")
    local sum=${CONTENT_SUM:-}
    [[ -n $sum ]] || sum=$( (cat "$dockerfile"; find "$ctx" -type f -not -path '*/.git/*' -print0 | sort -z | xargs -0 cat) | sha256sum | cut -c1-16)
    local stamp=$CACHE/stamps/$name.$sum
    if [[ -f $stamp && -f $CACHE/archives/$name.docker.tar && ( -z $oci || -f $CACHE/archives/$name.oci.tar ) ]]; then
        log "$name cached"
        return
    fi
    log "build $name ($dockerfile)"
    "${BUILDAH[@]}" build --pull=never --isolation chroot $layers --format docker -f "$dockerfile" \
        "${ignore[@]}" -t "localhost/dockstage-test/$name:latest" "$ctx" >"$CACHE/$name.build.log" 2>&1 \
        || { tail -40 "$CACHE/$name.build.log" >&2; exit 1; }
    rm -f "$CACHE/archives/$name.docker.tar" "$CACHE/archives/$name.oci.tar"
    "${BUILDAH[@]}" push --quiet "localhost/dockstage-test/$name:latest" \
        "docker-archive:$CACHE/archives/$name.docker.tar:dockstage-test/$name:latest"
    if [[ -n $oci ]]; then
        "${BUILDAH[@]}" push --quiet "localhost/dockstage-test/$name:latest" \
            "oci-archive:$CACHE/archives/$name.oci.tar:latest"
    fi
    rm -f "$CACHE/stamps/$name".*
    touch "$stamp"
    # Under vfs every layer of an image in storage is a full copy of its file system. Most test
    # images are also read from storage: wasteful (the engine test's podman service, the
    # registry test's `buildah push`, the in-image package lists), the examples (run by
    # crates/build's tests), self (the own-image test), go-modules (in-image `go version -m`).
    # `build` results (e.g. `lint --fix` rewrites) and the bench image are read from their
    # archives only: ARCHIVE_ONLY=1 drops them from storage once saved.
    if [[ -n ${ARCHIVE_ONLY:-} ]]; then
        "${BUILDAH[@]}" rmi "localhost/dockstage-test/$name:latest" >/dev/null
    fi
    "${BUILDAH[@]}" rmi --prune >/dev/null 2>&1 || true
}

make_fixtures() {
    local fx=crates/image/tests/fixtures
    for d in "$fx"/*/; do
        local name
        name=$(basename "$d")
        build_and_save "$name" "$d" "$d/Dockerfile" oci
    done
}

# The examples' variants (single-stage vs multi-stage). Arguments limit it to some examples
# (e.g. streamlit-app); installing their Python packages is the slow part.
make_examples() {
    [[ -d examples ]] || { log "no examples/ yet"; return; }
    local roots=(examples)
    if [[ $# -gt 0 ]]; then
        roots=()
        for e in "$@"; do roots+=("examples/$e"); done
    fi
    while IFS= read -r -d '' df; do
        local ctx name rel
        rel=${df#examples/}
        # The context is the example's root, as its README builds it (`-f naive/Dockerfile .`).
        ctx=examples/${rel%%/*}
        name=example-$(echo "$rel" | tr '/.' '--' | tr -s '-' | tr 'A-Z' 'a-z' | sed 's/-dockerfile//; s/-$//')
        # Only the streamlit pair is read layer by layer (analyze --image, dive parity, the
        # HTML report); the other examples are run and compared by their final file system.
        # Under vfs every layer is a full copy of the file system, so they get one layer for
        # all their steps.
        local layers=--layers=false
        [[ $rel == streamlit-app/* ]] && layers=--layers
        build_and_save "$name" "$ctx" "$df" "" "$layers"
    done < <(find "${roots[@]}" -name 'Dockerfile*' ! -name '*.dockerignore' -type f -print0 | sort -z)
}

# A Rust base (tagged rust:<version>-bookworm) for dockstage's own Dockerfile: the full base
# (gcc, libc6-dev for static linking) plus the host's rustup toolchain, because bookworm's
# rustc (1.63) is far older than this workspace's rust-version.
make_rust_base() {
    local sysroot version
    sysroot=$(rustc --print sysroot)
    version=$(rustc --version | awk '{print $2}')
    local tags=("rust:$version-bookworm" "rust:${version%.*}-bookworm" rust:1-bookworm)
    if [[ -f $CACHE/stamps/rust-base.$version ]] && "${BUILDAH[@]}" inspect --type image "rust:$version-bookworm" >/dev/null 2>&1; then
        log "rust base $version cached"
        return
    fi
    log "rust base: full base + host toolchain $version ($sysroot)"
    local ctr
    ctr=$("${BUILDAH[@]}" from --pull=never localhost/dockstage-base:full)
    # Compiler, cargo and the host's standard library only: no docs, no other targets' std.
    "${BUILDAH[@]}" copy "$ctr" "$sysroot/bin" /usr/local/rust/bin >/dev/null
    "${BUILDAH[@]}" copy "$ctr" "$sysroot/lib" /usr/local/rust/lib >/dev/null
    "${BUILDAH[@]}" run --isolation chroot "$ctr" -- sh -c \
        'cd /usr/local/rust/bin && rm -f rust-gdb* rust-lldb* rust-analyzer && find /usr/local/rust/lib/rustlib -mindepth 1 -maxdepth 1 -type d ! -name x86_64-unknown-linux-gnu -exec rm -rf {} + && /usr/local/rust/bin/rustc --version && /usr/local/rust/bin/cargo --version' \
        >"$CACHE/rust-base.log" 2>&1 || { tail -30 "$CACHE/rust-base.log" >&2; exit 1; }
    "${BUILDAH[@]}" config \
        --env PATH=/usr/local/cargo/bin:/usr/local/rust/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        --env CARGO_HOME=/usr/local/cargo --env RUST_VERSION="$version" \
        --cmd bash --created-by "dockstage-base:full + host rust toolchain $version" "$ctr"
    "${BUILDAH[@]}" commit --rm "$ctr" localhost/dockstage-base:rust >/dev/null
    tag_all localhost/dockstage-base:rust "${tags[@]}"
    rm -f "$CACHE/stamps/rust-base".*
    touch "$CACHE/stamps/rust-base.$version"
}

# dockstage's own image from the root Dockerfile, saved as $CACHE/archives/self.docker.tar.
# Keyed by the toolchain and the files the build copies, not the whole checkout (target/ alone
# is gigabytes, and a README edit should not rebuild it).
make_self() {
    local sum
    sum=$( (rustc --version; git ls-files -z Dockerfile .dockerignore Cargo.toml Cargo.lock crates | sort -z | xargs -0 cat) | sha256sum | cut -c1-16)
    # One layer per stage: under vfs every cached layer is a full copy of the Rust base (over
    # a GB each), and a changed source file invalidates them anyway; the compiled dependencies
    # survive in the Dockerfile's cache mount instead.
    CONTENT_SUM=$sum build_and_save self . Dockerfile "" --layers=false
}

# Every example but the Node and Go ones.
python_examples() {
    local d
    for d in examples/*/; do
        d=$(basename "$d")
        [[ $d == node-app || $d == go-app ]] || echo "$d"
    done
}

# The benchmark image (bench/big-image, > 1 GB as docker-archive).
make_bench() {
    ARCHIVE_ONLY=1 build_and_save bench-big bench/big-image bench/big-image/Dockerfile
}

# The package lists a built image reports about itself (`dpkg-query -W`, `pip list`), run
# inside it with `buildah run`: the oracle for dockstage's package readers. Cached per build.
make_package_lists() {
    local name=$1 stamp
    stamp=$(ls "$CACHE/stamps/$name".* 2>/dev/null | head -1)
    [[ -n $stamp ]] || { log "no build of $name"; exit 1; }
    local out=$CACHE/archives/$name
    if [[ -f $out.dpkg.txt && -f $out.pip.json && $out.pip.json -nt $stamp ]]; then
        log "$name package lists cached"
        return
    fi
    local ctr
    ctr=$("${BUILDAH[@]}" from --pull=never "localhost/dockstage-test/$name:latest")
    "${BUILDAH[@]}" run --isolation chroot "$ctr" -- dpkg-query -W -f '${db:Status-Abbrev}\t${Package}\t${Version}\t${Architecture}\n' >"$out.dpkg.txt.new"
    "${BUILDAH[@]}" run --isolation chroot "$ctr" -- python3 -m pip list --format json --disable-pip-version-check >"$out.pip.json.new"
    "${BUILDAH[@]}" rm "$ctr" >/dev/null
    mv "$out.dpkg.txt.new" "$out.dpkg.txt"
    mv "$out.pip.json.new" "$out.pip.json"
}

# `go version -m` over the image's directories, run inside it: the oracle for the Go build
# info reader. Every executable under them is examined, so missed binaries show too.
make_go_lists() {
    local name=$1 stamp
    stamp=$(ls "$CACHE/stamps/$name".* 2>/dev/null | head -1)
    [[ -n $stamp ]] || { log "no build of $name"; exit 1; }
    local out=$CACHE/archives/$name.go.txt
    if [[ -f $out && $out -nt $stamp ]]; then
        log "$name go lists cached"
        return
    fi
    local ctr
    ctr=$("${BUILDAH[@]}" from --pull=never "localhost/dockstage-test/$name:latest")
    "${BUILDAH[@]}" run --isolation chroot "$ctr" -- sh -c \
        'go version -m $(ls -d /usr /opt /go /root /srv /home /app /etc /var 2>/dev/null)' >"$out.new"
    "${BUILDAH[@]}" rm "$ctr" >/dev/null
    mv "$out.new" "$out"
}

what=("$@")
[[ ${#what[@]} -gt 0 ]] || what=(bases fixtures)
if [[ ${what[0]} == package-lists ]]; then
    make_bases
    make_fixtures
    for n in "${what[@]:1}"; do make_package_lists "$n"; done
    echo "$CACHE/archives"
    exit 0
fi
if [[ ${what[0]} == go-lists ]]; then
    make_bases
    make_node_go_bases
    for n in "${what[@]:1}"; do
        [[ $n == go-modules ]] && build_and_save go-modules crates/image/tests/go-modules \
            crates/image/tests/go-modules/Dockerfile "" --layers=false
        [[ $n == example-go-app ]] && make_examples go-app
        make_go_lists "$n"
    done
    echo "$CACHE/archives"
    exit 0
fi
if [[ ${what[0]} == build ]]; then
    [[ ${#what[@]} -eq 4 ]] || { echo "usage: $0 build NAME CONTEXT DOCKERFILE" >&2; exit 2; }
    make_bases
    # One layer for all the steps: under vfs every cached layer is a full copy of the rootfs,
    # and these builds are compared by their final file system only.
    ARCHIVE_ONLY=1 build_and_save "${what[1]}" "${what[2]}" "${what[3]}" "" --layers=false
    echo "$CACHE/archives"
    exit 0
fi
if [[ ${what[0]} == examples && ${#what[@]} -gt 1 ]]; then
    make_bases
    for e in "${what[@]:1}"; do
        [[ $e == node-app || $e == go-app ]] && { make_node_go_bases; break; }
    done
    make_examples "${what[@]:1}"
    echo "$CACHE/archives"
    exit 0
fi
for w in "${what[@]}"; do
    case $w in
        bases) make_bases ;;
        fixtures) make_bases; make_fixtures ;;
        # Python examples first: they need only the Python bases.
        examples) make_bases; make_examples $(python_examples); make_node_go_bases; make_examples node-app go-app ;;
        node-go) make_bases; make_node_go_bases ;;
        bench) make_bases; make_bench ;;
        rust) make_bases; make_rust_base ;;
        self) make_bases; make_rust_base; make_self ;;
        all) make_bases; make_fixtures; make_examples $(python_examples); make_node_go_bases; make_examples node-app go-app ;;
        *) echo "unknown target: $w" >&2; exit 2 ;;
    esac
done
echo "$CACHE/archives"
