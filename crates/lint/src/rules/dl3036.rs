//! # DL3036: zypper clean after zypper install
//!
//! Severity: warning. Semantics: hadolint's DL3036.
//!
//! A RUN with `zypper install`/`in` and no later `zypper clean`/`cc`, unless it mounts a cache or tmpfs on `/var/cache/zypp`.
//!
//! A cache mount on `/var/cache/zypp` satisfies the rule (as in hadolint): the cache never reaches the image.
//!
//! ## Why
//!
//! zypper's caches stay in the layer unless cleaned in the same RUN.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM opensuse/leap:15.6
//! RUN zypper install -y httpd=2.4.58
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
    Dl3036 { id: "DL3036", name: "zypper-clean", severity: Warning, origin: Hadolint, summary: "`zypper clean` missing after zypper use.", source: include_str!("dl3036.rs"), fix: Safe }
    fn check(ctx, out) {
        for r in ctx.each_run() {
            if fires(r) {
                let fix = (!r.any(cleans)).then(|| fixes::append_fix(ctx, r, "zypper clean", "Append `zypper clean`")).flatten();
                out.push(ctx.summary(&META, r.outer).with_fix(fix));
            }
        }
    }
}

fn fires(r: &HadolintRun) -> bool {
    !hs::has_cache_mount_with(r.run, "/var/cache/zypp")
        && r.install_not_cleaned(|c| cmd_has_args(c, "zypper", &["install", "in"]), cleans)
}

fn cleans(c: &SimpleCommand) -> bool {
    cmd_has_args(c, "zypper", &["clean", "cc"])
}
