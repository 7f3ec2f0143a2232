//! # DL3034: Non-interactive switch for zypper
//!
//! Severity: warning. Semantics: hadolint's DL3034.
//!
//! `zypper install`/`in`/`remove`/`rm`/`source-install`/`si`/`patch` without `-n`, `--non-interactive`, `-y` or `--no-confirm`.
//!
//! ## Why
//!
//! zypper asks for confirmation, and a build cannot answer.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM opensuse/leap:15.6
//! RUN zypper install httpd=2.4.58 && zypper clean
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
    Dl3034 { id: "DL3034", name: "zypper-non-interactive", severity: Warning, origin: Hadolint, summary: "Non-interactive switch missing from `zypper` command: `zypper install -y`", source: include_str!("dl3034.rs"), fix: Safe }
    fn check(ctx, out) {
        for r in ctx.each_run() {
            if fires(r) {
                let edits = fixes::insert_after_program(ctx, r, needs_yes, "--non-interactive");
                out.push(ctx.summary(&META, r.outer).with_fix(fixes::fix(Applicability::Safe, "Add `--non-interactive`", edits)));
            }
        }
    }
}

fn fires(r: &HadolintRun) -> bool {
    r.any(needs_yes)
}

fn needs_yes(c: &SimpleCommand) -> bool {
    {
        cmd_has_args(c, "zypper", &["install", "in", "remove", "rm", "source-install", "si", "patch"])
            && !hs::has_any_flag(c, &["non-interactive", "n", "no-confirm", "y"])
    }
}
