//! # DL3002: Last USER should not be root
//!
//! Severity: warning. Semantics: hadolint's DL3002.
//!
//! Reports the USER instruction that leaves a stage running as root (`root`, `0`, `root:...`, `0:...`) when no later USER in the stage switches away.
//!
//! ## Why
//!
//! Containers running as root make any escape from the application a root compromise of the container.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM debian:12
//! USER root
//! RUN apt-get update
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM debian:12
//! USER root
//! RUN apt-get update
//! USER 10001
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3002 { id: "DL3002", name: "last-user-root", severity: Warning, origin: Hadolint, summary: "Last USER should not be root", source: include_str!("dl3002.rs") }
    fn check(ctx, out) {
        for stage in &ctx.stages {
            let mut last_root = None;
            for inst in &ctx.instructions()[stage.body.clone()] {
                if inst.kind != Keyword::User { continue; }
                let u = inst.args.first().map(String::as_str).unwrap_or("");
                let root = u == "root" || u == "0" || u.starts_with("root:") || u.starts_with("0:");
                last_root = if root { Some(inst) } else { None };
            }
            if let Some(inst) = last_root { out.push(ctx.summary(&META, inst)); }
        }
    }
}
