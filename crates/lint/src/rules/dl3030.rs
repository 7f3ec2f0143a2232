//! # DL3030: Use the -y switch with yum install
//!
//! Severity: warning. Semantics: hadolint's DL3030.
//!
//! A `yum install`, `groupinstall` or `localinstall` without `-y`/`--assumeyes`.
//!
//! ## Why
//!
//! There is no one to answer yum's prompt during a build.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM centos:7
//! RUN yum install httpd-2.4.6 && yum clean all
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM centos:7
//! RUN yum install -y httpd-2.4.6 && yum clean all
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3030 { id: "DL3030", name: "yum-yes", severity: Warning, origin: Hadolint, summary: "Use the -y switch to avoid manual input `yum install -y <package>`", source: include_str!("dl3030.rs"), fix: Safe }
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
        cmd_has_args(c, "yum", &["install", "groupinstall", "localinstall"]) && !hs::has_any_flag(c, &["y", "assumeyes"])
    }
}
