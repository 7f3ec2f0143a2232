//! # DS001: Use a named multi-stage build
//!
//! Severity: style. One of dockstage's own multi-stage build checks. Style is below hadolint's default failure threshold (`info`), so these suggestions are shown but never fail a CI run that passed with hadolint; raise them with `override` or `--warning DS001`, or drop them with `ignored`.
//!
//! A file with a single stage whose image installs build dependencies (a RUN with `pip install`, `npm ci`, `go build`, `make`, `cargo build`, `apt-get install`), or a multi-stage build with unnamed stages that are copied from by index.
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
        let builds = |s: &Stage| ctx.instructions()[s.body.clone()].iter().any(|i| i.kind == Keyword::Run && BUILD_WORDS.iter().any(|w| i.args.join(" ").contains(w)));
        if ctx.stages.len() == 1 {
            if builds(&ctx.stages[0]) { out.push(ctx.finding(&META, ctx.stages[0].from, "Single-stage build that installs or compiles dependencies; use a named build stage and copy only the results into the final stage")); }
            return;
        }
        for inst in ctx.instructions() {
            if inst.kind == Keyword::Copy && inst.flag("from").and_then(|f| f.value.as_deref()).is_some_and(|v| v.parse::<usize>().is_ok()) {
                out.push(ctx.finding(&META, inst, "COPY --from refers to a stage by index; name the stage (FROM ... AS name) and use the name"));
            }
        }
    }
}

const BUILD_WORDS: &[&str] = &["pip install", "pip3 install", "npm ci", "npm install", "yarn install", "go build", "cargo build", "make", "apt-get install", "apk add", "gcc", "mvn ", "gradle"];
