//! # DL3018: Pin versions in apk add
//!
//! Severity: warning. Semantics: hadolint's DL3018.
//!
//! An `apk add` with a package that has no version constraint (`=`, `~`, `>`, `<`) and is not a `.apk` file; the values of `-t`/`--virtual`, `--repository` and `-X` are not packages.
//!
//! ## Why
//!
//! Unpinned packages make rebuilds pick up whatever the repository has that day.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM alpine:3.20
//! RUN apk add --no-cache curl
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM alpine:3.20
//! RUN apk add --no-cache curl=8.9.1-r0
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3018 { id: "DL3018", name: "apk-pin-versions", severity: Warning, origin: Hadolint, summary: "Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`", source: include_str!("dl3018.rs") }
    fn check(ctx, out) {
        for r in ctx.each_run() {
            if fires(r) { out.push(ctx.summary(&META, r.outer)); }
        }
    }
}

fn fires(r: &HadolintRun) -> bool {
    r.commands()
        .filter(|c| cmd_has_args(c, "apk", &["add"]))
        .flat_map(|c| hs::args_no_flags(c, &["t", "virtual", "repository", "X"]))
        .filter(|p| *p != "add")
        .any(|p| !(["=", "~", ">", "<"].iter().any(|v| p.contains(v)) || p.ends_with(".apk")))
}
