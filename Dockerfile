# syntax=docker/dockerfile:1
# dockstage's own image: the binary, statically linked, on an empty base.
#   docker build -t dockstage .
#   docker run --rm -v "$PWD:/work:ro" -w /work dockstage lint Dockerfile
FROM rust:1.95-bookworm AS builder
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY crates ./crates
# glibc linked statically (crt-static) so the binary needs nothing from the base image, and
# position-dependent (relocation-model=static) so start-up applies no relocations (see
# crates/cli/build.rs); the dist profile trades some speed of the binary for a build that fits CI.
ENV RUSTFLAGS="-C target-feature=+crt-static -C relocation-model=static"
# target/ lives in a cache mount: a rebuild after a source change compiles only what changed,
# and the compiled dependencies never become part of a layer.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --locked --profile dist -p dockstage --target x86_64-unknown-linux-gnu \
    && cp target/x86_64-unknown-linux-gnu/dist/dockstage /usr/local/bin/dockstage \
    && /usr/local/bin/dockstage --version

FROM scratch AS runtime
COPY --from=builder /usr/local/bin/dockstage /usr/local/bin/dockstage
USER 10001:10001
WORKDIR /work
HEALTHCHECK --interval=5m --timeout=5s CMD ["/usr/local/bin/dockstage", "--version"]
ENTRYPOINT ["/usr/local/bin/dockstage"]
CMD ["lint", "Dockerfile"]
