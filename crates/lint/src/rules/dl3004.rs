//! # DL3004: Do not use sudo
//!
//! Severity: error. Semantics: hadolint's DL3004.
//!
//! A RUN that runs `sudo`.
//!
//! ## Why
//!
//! sudo has TTY and signal-forwarding behaviour that does not fit a build or a container's PID 1; RUN already runs as the USER in force, so switch USER, or use `gosu`/`su-exec` in an entrypoint.
//!
//! ## Bad
//!
//! ```dockerfile
//! RUN sudo apt-get update
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! USER root
//! RUN apt-get update
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3004 { id: "DL3004", name: "no-sudo", severity: Error, origin: Hadolint, summary: "Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root", source: include_str!("dl3004.rs") }
    fn check(ctx, out) {
        for r in ctx.each_run() {
            if fires(r) { out.push(ctx.summary(&META, r.outer)); }
        }
    }
}

fn fires(r: &HadolintRun) -> bool {
    r.any(|c| c.name == "sudo")
}
