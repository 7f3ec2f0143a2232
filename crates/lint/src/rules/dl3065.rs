//! # DL3065: Setting `FROM --platform` to predefined `$TARGETPLATFORM` in is redundant as this is the default behavior
//!
//! Severity: warning. Semantics: hadolint's DL3065.
//!
//! FROM --platform=$TARGETPLATFORM (or `${TARGETPLATFORM}`).
//!
//! ## Why
//!
//! It is the default; the flag only adds noise.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM --platform=$TARGETPLATFORM debian:12
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM debian:12
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3065 { id: "DL3065", name: "redundant-target-platform", severity: Warning, origin: Hadolint, summary: "Setting `FROM --platform` to predefined `$TARGETPLATFORM` in is redundant as this is the default behavior", source: include_str!("dl3065.rs") }
    fn check(ctx, out) {
        for stage in &ctx.stages {
            if matches!(stage.platform.as_deref(), Some("$TARGETPLATFORM" | "${TARGETPLATFORM}")) { out.push(ctx.summary(&META, stage.from)); }
        }
    }
}
