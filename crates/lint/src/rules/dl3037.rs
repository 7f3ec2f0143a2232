//! # DL3037: Pin versions in zypper install
//!
//! Severity: warning. Semantics: hadolint's DL3037.
//!
//! A `zypper install`/`in` with a package that has no version constraint (`=`, `>`, `<`) and is not a `.rpm` file.
//!
//! ## Why
//!
//! Unpinned packages make rebuilds differ.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM opensuse/leap:15.6
//! RUN zypper install -y httpd && zypper clean
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM opensuse/leap:15.6
//! RUN zypper install -y httpd=2.4.58 && zypper clean
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3037 { id: "DL3037", name: "zypper-pin-versions", severity: Warning, origin: Hadolint, summary: "Specify version with `zypper install -y <package>=<version>`.", source: include_str!("dl3037.rs") }
    fn check(ctx, out) {
        for r in ctx.each_run() {
            if fires(r) { out.push(ctx.summary(&META, r.outer)); }
        }
    }
}

fn fires(r: &HadolintRun) -> bool {
    r.commands()
        .filter(|c| cmd_has_args(c, "zypper", &["install", "in"]))
        .flat_map(|c| hs::args_no_flags(c, &[]))
        .filter(|p| *p != "install" && *p != "in")
        .any(|p| !(p.contains('=') || p.contains('>') || p.contains('<') || p.ends_with(".rpm")))
}
