//! # DL3027: Do not use apt, use apt-get
//!
//! Severity: warning. Semantics: hadolint's DL3027.
//!
//! A RUN that runs `apt`.
//!
//! ## Why
//!
//! `apt`'s command-line interface is not stable and it warns so in scripts; `apt-get` and `apt-cache` are the scriptable tools.
//!
//! ## Bad
//!
//! ```dockerfile
//! RUN apt install -y curl
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
    Dl3027 { id: "DL3027", name: "no-apt", severity: Warning, origin: Hadolint, summary: "Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead", source: include_str!("dl3027.rs") }
    fn check(ctx, out) {
        for r in ctx.each_run() {
            if fires(r) { out.push(ctx.summary(&META, r.outer)); }
        }
    }
}

fn fires(r: &HadolintRun) -> bool {
    r.any(|c| c.name == "apt")
}
