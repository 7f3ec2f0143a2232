//! # DS007: Final stage of a multi-stage build should COPY --from a build stage
//!
//! Severity: style. One of dockstage's own multi-stage build checks. Style is below hadolint's default failure threshold (`info`), so these suggestions are shown but never fail a CI run that passed with hadolint; raise them with `override` or `--warning DS007`, or drop them with `ignored`.
//!
//! A file with several stages whose final stage copies nothing from another stage and is not built on one.
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
        if ctx.stages.len() < 2 { return; }
        let last = ctx.stages.last().unwrap();
        let body = &ctx.instructions()[last.body.clone()];
        let copies = body.iter().any(|i| matches!(i.kind, Keyword::Copy | Keyword::Add) && i.flag("from").is_some());
        let mounts = body.iter().any(|i| i.kind == Keyword::Run && i.flags.iter().any(|f| f.name == "mount" && f.value.as_deref().is_some_and(|v| v.contains("from="))));
        let on_stage = ctx.stages.iter().any(|s| s.name.as_deref() == Some(last.image.name.as_str()));
        if !copies && !mounts && !on_stage {
            out.push(ctx.finding(&META, last.from, "Final stage copies nothing from the earlier stages (no COPY --from)"));
        }
    }
}
