//! # DS007: Final stage of a multi-stage build should COPY --from a build stage
//!
//! Severity: style. One of dockstage's own multi-stage build checks. Style is below hadolint's default failure threshold (`info`), so these suggestions are shown but never fail a CI run that passed with hadolint; raise them with `override` or `--warning DS007`, or drop them with `ignored`.
//!
//! A file with several stages whose final image (its stage or the stages it is built `FROM`) takes nothing from another stage: no `COPY --from`, `ADD --from` or `RUN --mount=from=` of a stage.
//!
//! The check is `dockstage analyze`'s `copy-from` practice (`dockstage_model::practices`), judged for the image that ships; this rule reports its failures.
//!
//! ## Why
//!
//! Then the earlier stages do not contribute to the image: either dead code, or the final stage rebuilds what they built.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM golang:1.22 AS build
//! RUN go build -o /app
//! FROM alpine:3.20
//! COPY . /src
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM golang:1.22 AS build
//! RUN go build -o /app
//! FROM alpine:3.20
//! COPY --from=build /app /app
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Ds007 { id: "DS007", name: "copy-from-build-stage", severity: Style, origin: Dockstage, summary: "Final stage of a multi-stage build should COPY --from a build stage", source: include_str!("ds007.rs") }
    fn check(ctx, out) {
        report_practice(ctx, &META, "copy-from", out);
    }
}
