//! # ReservedStageName: Reserved words should not be used as stage names
//!
//! Semantics: BuildKit's `ReservedStageName` build check. Reported at severity style: BuildKit's checks warn without failing a build, so by default they never change the exit status of a hadolint-compatible run; `# check=error=true` in the Dockerfile makes them errors, as in BuildKit, and `# check=skip=ReservedStageName` (or `skip=all`) turns them off.
//!
//! A stage named `scratch` or `context`.
//!
//! ## Why
//!
//! Those names already have a meaning.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM alpine:3.20 AS scratch
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM alpine:3.20 AS base
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    ReservedStageName { id: "ReservedStageName", name: "reserved-stage-name", severity: Style, origin: Buildkit, summary: "Reserved words should not be used as stage names", source: include_str!("reserved_stage_name.rs") }
    fn check(ctx, out) {
        for stage in &ctx.stages {
            let Some(n) = &stage.name else { continue };
            let n = n.to_lowercase();
            if n == "scratch" || n == "context" { out.push(ctx.finding(&META, stage.from, format!("Stage name should not use the same name as reserved stage {n:?}"))); }
        }
    }
}
