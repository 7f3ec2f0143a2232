//! # DL3015: Avoid additional packages with --no-install-recommends
//!
//! Severity: info. Semantics: hadolint's DL3015.
//!
//! An `apt-get install` without `--no-install-recommends` (or `-o APT::Install-Recommends=false`).
//!
//! ## Why
//!
//! Recommended packages are installed by default and often double an image's size with things the software does not need.
//!
//! ## Bad
//!
//! ```dockerfile
//! RUN apt-get install -y curl=7.88.1-10+deb12u5
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! RUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3015 { id: "DL3015", name: "apt-get-no-install-recommends", severity: Info, origin: Hadolint, summary: "Avoid additional packages by specifying `--no-install-recommends`", source: include_str!("dl3015.rs"), fix: Unsafe }
    fn check(ctx, out) {
        for r in ctx.each_run() {
            if fires(r) {
                let edits = fixes::insert_flag_after(ctx, r, |c| cmd_has_args(c, "apt-get", &["install"]) && !(hs::has_flag(c, "no-install-recommends") || hs::has_arg(c, "APT::Install-Recommends=false")), "install", "--no-install-recommends");
                out.push(ctx.summary(&META, r.outer).with_fix(fixes::fix(Applicability::Unsafe, "Add `--no-install-recommends`", edits)));
            }
        }
    }
}

fn fires(r: &HadolintRun) -> bool {
    r.any(|c| cmd_has_args(c, "apt-get", &["install"]) && !(hs::has_flag(c, "no-install-recommends") || hs::has_arg(c, "APT::Install-Recommends=false")))
}
