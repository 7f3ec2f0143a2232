//! # DL3028: Pin versions in gem install
//!
//! Severity: warning. Semantics: hadolint's DL3028.
//!
//! A `gem install` (or `gem i`) with a gem that has no `:version`, unless `-v`/`--version` is given. Every option is taken to have a value, and arguments after `--` are not gems.
//!
//! ## Why
//!
//! Unpinned gems resolve to the newest release at build time.
//!
//! ## Bad
//!
//! ```dockerfile
//! RUN gem install bundler
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! RUN gem install bundler:2.5.11
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3028 { id: "DL3028", name: "gem-pin-versions", severity: Warning, origin: Hadolint, summary: "Pin versions in gem install. Instead of `gem install <gem>` use `gem install <gem>:<version>`", source: include_str!("dl3028.rs") }
    fn check(ctx, out) {
        for r in ctx.each_run() {
            if fires(r) { out.push(ctx.summary(&META, r.outer)); }
        }
    }
}

fn fires(r: &HadolintRun) -> bool {
    r.any(|c| {
        if !cmd_has_args(c, "gem", &["install", "i"]) || hs::has_arg(c, "-v") || hs::has_arg(c, "--version") || c.args.iter().any(|a| a.starts_with("--version=")) {
            return false;
        }
        let mut gems = Vec::new();
        let mut words = c.args.iter().take_while(|a| *a != "--");
        while let Some(a) = words.next() {
            if a.starts_with('-') {
                words.next();
            } else if a != "install" && a != "i" {
                gems.push(a);
            }
        }
        gems.iter().any(|g| !g.contains(':'))
    })
}
