//! # DL3038: Use the -y switch with dnf install
//!
//! Severity: warning. Semantics: hadolint's DL3038.
//!
//! A `dnf` or `microdnf` `install`/`groupinstall`/`localinstall` without `-y`/`--assumeyes`.
//!
//! ## Why
//!
//! There is no one to answer dnf's prompt during a build.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM fedora:40
//! RUN dnf install httpd-2.4.62 && dnf clean all
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM fedora:40
//! RUN dnf install -y httpd-2.4.62 && dnf clean all
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3038 { id: "DL3038", name: "dnf-yes", severity: Warning, origin: Hadolint, summary: "Use the -y switch to avoid manual input `dnf install -y <package>`", source: include_str!("dl3038.rs"), fix: Safe }
    fn check(ctx, out) {
        for r in ctx.each_run() {
            if fires(r) {
                let edits = fixes::insert_after_program(ctx, r, needs_yes, "-y");
                out.push(ctx.summary(&META, r.outer).with_fix(fixes::fix(Applicability::Safe, "Add `-y`", edits)));
            }
        }
    }
}

fn fires(r: &HadolintRun) -> bool {
    r.any(needs_yes)
}

fn needs_yes(c: &SimpleCommand) -> bool {
    {
        (c.name == "dnf" || c.name == "microdnf")
            && hs::has_arg_in(c, &["install", "groupinstall", "localinstall"])
            && !hs::has_any_flag(c, &["y", "assumeyes"])
    }
}
