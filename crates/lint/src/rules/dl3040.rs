//! # DL3040: dnf clean all after dnf install
//!
//! Severity: warning. Semantics: hadolint's DL3040.
//!
//! A RUN where `dnf` (or `microdnf`) installs, upgrades or reinstalls and no later command of the same tool has a `clean` or `all` argument (or `rm -rf /var/cache/libdnf5*`), unless the RUN mounts a cache or tmpfs on `/var/cache/libdnf5` or `.cache/libdnf5`.
//!
//! A cache mount on dnf's cache directory satisfies the rule (as in hadolint).
//!
//! ## Why
//!
//! dnf's metadata and package cache stay in the layer unless removed in the same RUN.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM fedora:40
//! RUN dnf install -y httpd-2.4.62
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
    Dl3040 { id: "DL3040", name: "dnf-clean-all", severity: Warning, origin: Hadolint, summary: "`dnf clean all` missing after dnf command.", source: include_str!("dl3040.rs"), fix: Safe }
    fn check(ctx, out) {
        for r in ctx.each_run() {
            if fires(r) {
                out.push(ctx.summary(&META, r.outer).with_fix(clean_fix(ctx, r)));
            }
        }
    }
}

const INSTALL: &[&str] = &["install", "in", "upgrade", "up", "upgrade-minimal", "up-min", "reinstall", "rei"];

/// `dnf clean all` (or `microdnf clean all`) appended, when the RUN cleans nothing yet.
fn clean_fix(ctx: &Context, r: &HadolintRun) -> Option<Fix> {
    if r.any(|c| ["dnf", "microdnf"].iter().any(|m| cmd_has_args(c, m, &["clean", "all"])) || cmd_has_args(c, "rm", &["-rf", "/var/cache/libdnf5*"])) {
        return None;
    }
    let m = if r.any(|c| cmd_has_args(c, "dnf", INSTALL)) { "dnf" } else { "microdnf" };
    fixes::append_fix(ctx, r, &format!("{m} clean all"), &format!("Append `{m} clean all`"))
}

fn fires(r: &HadolintRun) -> bool {
    if hs::has_cache_mount_with(r.run, "/var/cache/libdnf5") || hs::has_cache_mount_with(r.run, ".cache/libdnf5") {
        return false;
    }
    ["dnf", "microdnf"].iter().any(|m| {
        r.install_not_cleaned(
            |c| cmd_has_args(c, m, INSTALL),
            |c| cmd_has_args(c, m, &["clean", "all"]) || cmd_has_args(c, "rm", &["-rf", "/var/cache/libdnf5*"]),
        )
    })
}
