//! # DL3019: Use apk add --no-cache
//!
//! Severity: info. Semantics: hadolint's DL3019.
//!
//! An `apk add` without `--no-cache`, unless the RUN mounts a cache or tmpfs on `/var/cache/apk`.
//!
//! A cache mount (`RUN --mount=type=cache,target=/var/cache/apk apk add ...`) keeps the index out of the image, so it satisfies the rule (as in hadolint).
//!
//! ## Why
//!
//! Without `--no-cache`, the package index stays in `/var/cache/apk` and in the layer.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM alpine:3.20
//! RUN apk add curl=8.9.1-r0
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
    Dl3019 { id: "DL3019", name: "apk-no-cache", severity: Info, origin: Hadolint, summary: "Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when done installing packages", source: include_str!("dl3019.rs"), fix: Safe }
    fn check(ctx, out) {
        for r in ctx.each_run() {
            if fires(r) {
                let edits = fixes::insert_flag_after(ctx, r, |c| cmd_has_args(c, "apk", &["add"]) && !hs::has_flag(c, "no-cache"), "add", "--no-cache");
                out.push(ctx.summary(&META, r.outer).with_fix(fixes::fix(Applicability::Safe, "Add `--no-cache`", edits)));
            }
        }
    }
}

fn fires(r: &HadolintRun) -> bool {
    !hs::has_cache_mount_with(r.run, "/var/cache/apk") && r.any(|c| cmd_has_args(c, "apk", &["add"]) && !hs::has_flag(c, "no-cache"))
}
