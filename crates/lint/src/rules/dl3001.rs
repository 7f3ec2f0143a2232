//! # DL3001: Commands that make no sense in a container
//!
//! Severity: info. Semantics: hadolint's DL3001.
//!
//! A RUN that runs `free`, `kill`, `mount`, `ps`, `service`, `shutdown`, `ssh`, `top` or `vim` (the command name exactly as written; `sudo`'s or `sh -c`'s commands are not looked into, as in hadolint).
//!
//! ## Why
//!
//! A build step has no services to manage, no terminal to edit in and no machine to shut down; these commands either do nothing useful or hide a mistake.
//!
//! ## Bad
//!
//! ```dockerfile
//! RUN service nginx start
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! RUN nginx -t
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3001 { id: "DL3001", name: "no-container-admin-commands", severity: Info, origin: Hadolint, summary: "For some bash commands it makes no sense running them in a Docker container like `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`, `ifconfig`", source: include_str!("dl3001.rs") }
    fn check(ctx, out) {
        for r in ctx.each_run() {
            if fires(r) { out.push(ctx.summary(&META, r.outer)); }
        }
    }
}

fn fires(r: &HadolintRun) -> bool {
    r.any(|c| matches!(c.name.as_str(), "free" | "kill" | "mount" | "ps" | "service" | "shutdown" | "ssh" | "top" | "vim"))
}
