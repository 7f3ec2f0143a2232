//! # DL3029: Do not use --platform flag with FROM
//!
//! Severity: warning. Semantics: hadolint's DL3029.
//!
//! FROM --platform with a value that does not mention `BUILDPLATFORM` or `TARGETPLATFORM`.
//!
//! ## Why
//!
//! A fixed platform makes the Dockerfile unusable for multi-platform builds.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM --platform=linux/amd64 debian:12
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM --platform=$BUILDPLATFORM debian:12
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3029 { id: "DL3029", name: "no-platform-flag", severity: Warning, origin: Hadolint, summary: "Do not use --platform flag with FROM", source: include_str!("dl3029.rs") }
    fn check(ctx, out) {
        for stage in &ctx.stages {
            if let Some(p) = &stage.platform {
                if !(p.contains("BUILDPLATFORM") || p.contains("TARGETPLATFORM")) { out.push(ctx.summary(&META, stage.from)); }
            }
        }
    }
}
