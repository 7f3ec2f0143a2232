//! # DS011: COPY --from copies a whole filesystem or a toolchain tree
//!
//! Severity: style. One of dockstage's own multi-stage build checks. Style is below hadolint's default failure threshold (`info`), so these suggestions are shown but never fail a CI run that passed with hadolint; raise them with `override` or `--warning DS011`, or drop them with `ignored`.
//!
//! A `COPY --from` (or `ADD --from`) into the stage that ships whose source is a whole filesystem or system tree (`/`, `/usr`, `/usr/local`, `/usr/lib`, `/opt`, `/var`, `/etc`, `/bin`, `/lib`, `/root`, `/home`) or a toolchain's installation (`/usr/local/go`, `/usr/lib/go`, `/go`, `/root/go`, `/usr/local/cargo`, `/usr/local/rustup`, `/root/.cargo`, `/root/.rustup`, `/usr/lib/gcc`, `/usr/libexec/gcc`, `/usr/include`, `/usr/local/include`, `/usr/lib/jvm`, `/opt/conda`, or their `bin` directory). Paths are normalized first (`/usr/local/go/` and `/usr/./local/go` are the same tree).
//!
//! ## Why
//!
//! A multi-stage build keeps the builder out of the image; copying its whole tree brings it back in, compiler and caches included, and the image is as big as a single-stage one.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM golang:1.22 AS build
//! RUN go build -o /out/app ./cmd/app
//! FROM debian:12-slim
//! COPY --from=build /usr/local/go /usr/local/go
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM golang:1.22 AS build
//! RUN go build -o /out/app ./cmd/app
//! FROM debian:12-slim
//! COPY --from=build /out/app /usr/local/bin/app
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;
use dockstage_model::shell::ships::whole_tree_copies;

declare_rule! {
    Ds011 { id: "DS011", name: "copy-from-whole-tree", severity: Style, origin: Dockstage, summary: "COPY --from copies a whole filesystem or a toolchain tree", source: include_str!("ds011.rs") }
    fn check(ctx, out) {
        let Some(m) = ctx.model() else { return };
        report_stage_findings(ctx, &META, whole_tree_copies(&m.build, &m.plan), out);
    }
}
