//! # DL3032: yum clean all after yum install
//!
//! Severity: warning. Semantics: hadolint's DL3032.
//!
//! A RUN with `yum install` and no later `yum clean` (hadolint accepts any `yum` command with a `clean` or `all` argument) or `rm -rf /var/cache/yum/*`.
//!
//! A cache or tmpfs mount on `/var/cache/yum` (`RUN --mount=type=cache,target=/var/cache/yum yum install ...`) also satisfies the rule: the cache never reaches the image. This differs from hadolint 2.15.1, which reports such a RUN although its other cache rules (DL3009, DL3019, DL3036, DL3040, DL3042, DL3060) accept a cache mount.
//!
//! ## Why
//!
//! yum's metadata and package cache stay in the layer unless removed in the same RUN.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM centos:7
//! RUN yum install -y httpd-2.4.6
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
    Dl3032 { id: "DL3032", name: "yum-clean-all", severity: Warning, origin: Hadolint, summary: "`yum clean all` missing after yum command.", source: include_str!("dl3032.rs"), fix: Safe }
    fn check(ctx, out) {
        for r in ctx.each_run() {
            if fires(r) {
                // A clean before the install would still come first; only a RUN with none gets one.
                let fix = (!r.any(cleans)).then(|| fixes::append_fix(ctx, r, "yum clean all", "Append `yum clean all`")).flatten();
                out.push(ctx.summary(&META, r.outer).with_fix(fix));
            }
        }
    }
}

fn fires(r: &HadolintRun) -> bool {
    !hs::has_cache_mount_with(r.run, "/var/cache/yum")
        && r.install_not_cleaned(
        |c| cmd_has_args(c, "yum", &["install"]),
        cleans,
    )
}

fn cleans(c: &SimpleCommand) -> bool {
    cmd_has_args(c, "yum", &["clean", "all"]) || cmd_has_args(c, "rm", &["-rf", "/var/cache/yum/*"])
}

#[cfg(test)]
mod tests {
    fn fires(src: &str) -> bool {
        crate::lint_source("Dockerfile", src, &Default::default()).findings.iter().any(|f| f.rule == "DL3032")
    }

    #[test]
    fn cache_mount_satisfies_the_rule() {
        assert!(fires("FROM centos:7\nRUN yum install -y httpd-2.4.6\n"));
        assert!(!fires("FROM centos:7\nRUN --mount=type=cache,target=/var/cache/yum yum install -y httpd-2.4.6\n"));
        assert!(fires("FROM centos:7\nRUN --mount=type=bind,target=/var/cache/yum yum install -y httpd-2.4.6\n"));
    }
}
