//! # DL3009: Delete the apt lists after installing something
//!
//! Severity: info. Semantics: hadolint's DL3009.
//!
//! A RUN with `apt-get update` (or `apt update`, `aptitude update`) that does not also remove the lists (hadolint accepts any `rm` with `-rf` or `/var/lib/apt/lists/*`). As in hadolint it is only reported in the last stage, or in a stage that a later `FROM` builds on: the lists in a build stage that is only copied from do not reach the image.
//!
//! A cache or tmpfs mount on `/var/lib/apt/lists` (or on both `/var/lib/apt` and `/var/cache/apt`) satisfies the rule, as in hadolint: `RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && ...` keeps the lists out of the image and speeds up rebuilds.
//!
//! ## Why
//!
//! The package lists are tens of megabytes that the running image never needs; removing them in a later RUN does not shrink the earlier layer.
//!
//! ## Bad
//!
//! ```dockerfile
//! RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 \
//!  && rm -rf /var/lib/apt/lists/*
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3009 { id: "DL3009", name: "apt-lists-cleanup", severity: Info, origin: Hadolint, summary: "Delete the apt lists (/var/lib/apt/lists) after installing something", source: include_str!("dl3009.rs"), fix: Safe }
    fn check(ctx, out) {
        let forgot = |r: &HadolintRun| {
            forgot_cleanup(r)
                && !hs::has_cache_mount_with(r.run, "/var/lib/apt/lists")
                && !(hs::has_cache_mount_with(r.run, "/var/lib/apt") && hs::has_cache_mount_with(r.run, "/var/cache/apt"))
        };
        for i in hs::forgot_in_used_stages(ctx, forgot) {
            let fix = ctx.runs()[i].as_ref().and_then(|r| fixes::append_command(ctx, r, "rm -rf /var/lib/apt/lists/*"));
            out.push(ctx.summary(&META, &ctx.instructions()[i]).with_fix(fix.and_then(|e| fixes::fix(Applicability::Safe, "Remove the apt lists in the same RUN", vec![e]))));
        }
    }
}

fn forgot_cleanup(r: &HadolintRun) -> bool {
    r.any(|c| ["apt", "apt-get", "aptitude"].iter().any(|m| cmd_has_args(c, m, &["update"])))
        && !r.any(|c| cmd_has_args(c, "rm", &["-rf", "/var/lib/apt/lists/*"]))
}
