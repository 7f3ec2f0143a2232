//! # DL3014: Use the -y switch with apt-get install
//!
//! Severity: warning. Semantics: hadolint's DL3014.
//!
//! An `apt-get install` without `-y`, `--yes`, `--assume-yes`, `-qq` (or `-q -q`, `--quiet --quiet`, `-q=2`).
//!
//! ## Why
//!
//! A build has no one to answer apt's confirmation prompt; without `-y` the install aborts.
//!
//! ## Bad
//!
//! ```dockerfile
//! RUN apt-get install --no-install-recommends curl=7.88.1-10+deb12u5
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
    Dl3014 { id: "DL3014", name: "apt-get-yes", severity: Warning, origin: Hadolint, summary: "Use the `-y` switch to avoid manual input `apt-get -y install <package>`", source: include_str!("dl3014.rs"), fix: Safe }
    fn check(ctx, out) {
        for r in ctx.each_run() {
            if fires(r) {
                let edits = fixes::insert_flag_after(ctx, r, needs_yes, "install", "-y");
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
        cmd_has_args(c, "apt-get", &["install"])
            && !(hs::has_any_flag(c, &["y", "yes", "qq", "assume-yes"])
                || hs::count_flag(c, "q") == 2
                || hs::count_flag(c, "quiet") == 2
                || hs::has_arg(c, "-q=2"))
    }
}
