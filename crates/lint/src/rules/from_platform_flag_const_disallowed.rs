//! # FromPlatformFlagConstDisallowed: FROM --platform flag should not use a constant value
//!
//! Semantics: BuildKit's `FromPlatformFlagConstDisallowed` build check. Reported at severity style: BuildKit's checks warn without failing a build, so by default they never change the exit status of a hadolint-compatible run; `# check=error=true` in the Dockerfile makes them errors, as in BuildKit, and `# check=skip=FromPlatformFlagConstDisallowed` (or `skip=all`) turns them off.
//!
//! FROM --platform with a constant (no variable) platform, unless the stage name mentions its OS or architecture.
//!
//! ## Why
//!
//! A constant platform breaks multi-platform builds.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM --platform=linux/amd64 alpine:3.20 AS build
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM --platform=$BUILDPLATFORM alpine:3.20 AS build
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    FromPlatformFlagConstDisallowed { id: "FromPlatformFlagConstDisallowed", name: "from-platform-flag-const-disallowed", severity: Style, origin: Buildkit, summary: "FROM --platform flag should not use a constant value", source: include_str!("from_platform_flag_const_disallowed.rs") }
    fn check(ctx, out) {
        for stage in &ctx.stages {
            let Some(p) = &stage.platform else { continue };
            if p.contains('$') { continue; }
            let mut parts = p.split('/');
            let os = parts.next().unwrap_or("");
            let arch = parts.next().unwrap_or("");
            if os.is_empty() { continue; }
            let name = stage.name.as_deref().unwrap_or("");
            if name.contains(os) || (!arch.is_empty() && name.contains(arch)) { continue; }
            out.push(ctx.finding(&META, stage.from, format!("FROM --platform flag should not use constant value {p:?}")));
        }
    }
}
