//! # DL3003: Use WORKDIR to switch to a directory
//!
//! Severity: warning. Semantics: hadolint's DL3003.
//!
//! A RUN that runs `cd` (ONBUILD triggers are not checked, as in hadolint).
//!
//! ## Why
//!
//! `cd` only lasts for the one RUN, which is easy to forget in the next instruction; WORKDIR states the directory for every instruction after it and creates it if needed.
//!
//! ## Bad
//!
//! ```dockerfile
//! RUN cd /app && make
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! WORKDIR /app
//! RUN make
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3003 { id: "DL3003", name: "use-workdir", severity: Warning, origin: Hadolint, summary: "Use WORKDIR to switch to a directory", source: include_str!("dl3003.rs") }
    fn check(ctx, out) {
        for r in ctx.each_run().filter(|r| !r.is_onbuild()) {
            if r.any(|c| c.name == "cd") { out.push(ctx.summary(&META, r.outer)); }
        }
    }
}
