//! # DL3035: Do not use zypper dist-upgrade
//!
//! Severity: warning. Semantics: hadolint's DL3035.
//!
//! A RUN with `zypper dist-upgrade` or `zypper dup`.
//!
//! ## Why
//!
//! A distribution upgrade inside a build changes the base image's release behind its tag; pick a newer base image instead.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM opensuse/leap:15.6
//! RUN zypper dist-upgrade -y
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM opensuse/leap:15.6
//! RUN zypper patch -y && zypper clean
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3035 { id: "DL3035", name: "no-zypper-dist-upgrade", severity: Warning, origin: Hadolint, summary: "Do not use `zypper dist-upgrade`.", source: include_str!("dl3035.rs") }
    fn check(ctx, out) {
        for r in ctx.each_run() {
            if fires(r) { out.push(ctx.summary(&META, r.outer)); }
        }
    }
}

fn fires(r: &HadolintRun) -> bool {
    r.any(|c| cmd_has_args(c, "zypper", &["dist-upgrade", "dup"]))
}
