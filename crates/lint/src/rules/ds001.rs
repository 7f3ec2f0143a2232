//! # DS001: Use a named multi-stage build
//!
//! Severity: style. One of dockstage's own multi-stage build checks. Style is below hadolint's default failure threshold (`info`), so these suggestions are shown but never fail a CI run that passed with hadolint; raise them with `override` or `--warning DS001`, or drop them with `ignored`.
//!
//! The image that ships is built in a single stage that installs or compiles something (a RUN with `pip install`, `npm ci`, `apt-get install`, `go build`, `make` ...), or its stages are joined by `--from=<index>` instead of a stage name.
//!
//! The check is `dockstage analyze`'s `multi-stage` practice (`dockstage_model::practices`), judged for the image that ships; this rule reports its failures.
//!
//! ## Why
//!
//! Separate build and runtime stages keep compilers and caches out of the shipped image; names make `COPY --from` readable.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM python:3.12
//! RUN pip install --no-cache-dir -r requirements.txt
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM python:3.12 AS build
//! RUN pip install --no-cache-dir --user -r requirements.txt
//! FROM python:3.12-slim AS runtime
//! COPY --from=build /root/.local /root/.local
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Ds001 { id: "DS001", name: "named-multi-stage", severity: Style, origin: Dockstage, summary: "Use a named multi-stage build", source: include_str!("ds001.rs") }
    fn check(ctx, out) {
        report_practice(ctx, &META, "multi-stage", out);
    }
}
