//! # DS008: Build toolchain installed in the stage that ships
//!
//! Severity: style. One of dockstage's own multi-stage build checks. Style is below hadolint's default failure threshold (`info`), so these suggestions are shown but never fail a CI run that passed with hadolint; raise them with `override` or `--warning DS008`, or drop them with `ignored`.
//!
//! A RUN in the stage that ships (the target, or the last stage, and the stages it is built `FROM`) installs a compiler or build toolchain with an OS package manager (apt, apk, yum, dnf, microdnf, zypper): `build-essential`, `gcc`, `g++`, `make`, `cmake`, `clang`, `cargo`, `rustc`, `golang`/`go`, `python3-dev`, any `*-dev`/`*-devel` headers package, `musl-dev`, `build-base`, `pkg-config`; or `npm install node-gyp`. Packages removed again in the same RUN (`apt-get purge`, `apk del` of the package or of its `--virtual` group, `yum remove`) are not reported: they never reach a layer. Stages that are only copied from (`COPY --from`) are never reported: that is where toolchains belong.
//!
//! ## Why
//!
//! The compiler is needed to build, not to run. In the image that ships it adds hundreds of megabytes and a large attack surface; a builder stage can hold it and hand over only what it built.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM python:3.12-slim
//! RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*
//! RUN pip install --no-cache-dir psycopg2
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM python:3.12-slim AS builder
//! RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*
//! RUN pip install --no-cache-dir --prefix=/install psycopg2
//! FROM python:3.12-slim
//! RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*
//! COPY --from=builder /install /usr/local
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;
use dockstage_model::shell::ships::toolchains_in_shipping_stage;

declare_rule! {
    Ds008 { id: "DS008", name: "toolchain-in-shipping-stage", severity: Style, origin: Dockstage, summary: "Build toolchain installed in the stage that ships", source: include_str!("ds008.rs") }
    fn check(ctx, out) {
        let Some(m) = ctx.model() else { return };
        report_stage_findings(ctx, &META, toolchains_in_shipping_stage(&m.build, &m.plan), out);
    }
}
