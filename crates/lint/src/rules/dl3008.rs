//! # DL3008: Pin versions in apt-get install
//!
//! Severity: warning. Semantics: hadolint's DL3008.
//!
//! An `apt-get install` with a package that has no `=version` (a `/release` suffix or a `.deb` file counts as pinned; the value of `-t`/`--target-release` is not a package). A version pattern such as `curl=7.*` counts as pinned.
//!
//! ## Why
//!
//! Unpinned packages make the image depend on the day it was built: a rebuild can silently bring a different version.
//!
//! ## Bad
//!
//! ```dockerfile
//! RUN apt-get install -y --no-install-recommends curl
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
    Dl3008 { id: "DL3008", name: "apt-get-pin-versions", severity: Warning, origin: Hadolint, summary: "Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`", source: include_str!("dl3008.rs") }
    fn check(ctx, out) {
        for r in ctx.each_run() {
            if fires(r) { out.push(ctx.summary(&META, r.outer)); }
        }
    }
}

fn fires(r: &HadolintRun) -> bool {
    r.commands()
        .filter(|c| cmd_has_args(c, "apt-get", &["install"]))
        .flat_map(|c| hs::args_no_flags(c, &["t", "target-release"]))
        .filter(|p| *p != "install")
        .any(|p| !(p.contains('=') || p.contains('/') || p.ends_with(".deb")))
}
