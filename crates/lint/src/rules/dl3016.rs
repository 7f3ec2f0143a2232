//! # DL3016: Pin versions in npm install
//!
//! Severity: warning. Semantics: hadolint's DL3016.
//!
//! An `npm install <package>` whose package has no `@version` (scoped packages need a second `@`); git URLs need a `#ref`; tarballs and local folders (`./x`, `/x`, `../x`, `~/x`) count as pinned. A bare `npm install` (from package.json) is fine.
//!
//! ## Why
//!
//! Unpinned packages resolve to whatever is newest at build time, so two builds of one Dockerfile differ.
//!
//! ## Bad
//!
//! ```dockerfile
//! RUN npm install express
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! RUN npm install express@4.19.2
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3016 { id: "DL3016", name: "npm-pin-versions", severity: Warning, origin: Hadolint, summary: "Pin versions in npm. Instead of `npm install <package>` use `npm install <package>@<version>`", source: include_str!("dl3016.rs") }
    fn check(ctx, out) {
        for r in ctx.each_run() {
            if fires(r) { out.push(ctx.summary(&META, r.outer)); }
        }
    }
}

fn fires(r: &HadolintRun) -> bool {
    r.any(|c| {
        if !cmd_has_args(c, "npm", &["install"]) {
            return false;
        }
        let words = hs::args_no_flags(c, &["loglevel", "registry"]);
        words.first() == Some(&"install") && !hs::after_install(&words).iter().all(|p| version_fixed(p))
    })
}

fn version_fixed(p: &str) -> bool {
    if ["git://", "git+ssh://", "git+http://", "git+https://"].iter().any(|g| p.starts_with(g)) {
        return p.contains('#');
    }
    if [".tar", ".tar.gz", ".tgz"].iter().any(|s| p.ends_with(s)) || ["/", "./", "../", "~/"].iter().any(|s| p.starts_with(s)) {
        return true;
    }
    // A scope (`@types/node`) is not a version: hadolint skips the leading run of characters above `/`.
    let rest = if p.starts_with('@') { p.trim_start_matches(|c: char| c > '/') } else { p };
    rest.contains('@')
}
