//! # DL3063: stage name should not be a reserved word
//!
//! Severity: warning. Semantics: hadolint's DL3063.
//!
//! A stage named `scratch` or `context`.
//!
//! ## Why
//!
//! Those names already mean the empty image and the build context.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM debian:12 AS context
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM debian:12 AS build
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3063 { id: "DL3063", name: "reserved-stage-name", severity: Warning, origin: Hadolint, summary: "stage name should not be a reserved word", source: include_str!("dl3063.rs") }
    fn check(ctx, out) {
        for stage in &ctx.stages {
            if matches!(stage.name.as_deref(), Some("scratch" | "context")) { out.push(ctx.summary(&META, stage.from)); }
        }
    }
}
