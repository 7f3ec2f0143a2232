//! # DS003: Final stage should run as a non-root USER
//!
//! Severity: style. One of dockstage's own multi-stage build checks. Style is below hadolint's default failure threshold (`info`), so these suggestions are shown but never fail a CI run that passed with hadolint; raise them with `override` or `--warning DS003`, or drop them with `ignored`.
//!
//! The final stage has no USER instruction, or its last USER is root (`root`, `0`). Stages based on `scratch` or distroless `nonroot` images are exempt.
//!
//! ## Why
//!
//! A process running as root in the container turns any escape into root on the container and makes host-mounted files writable.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM python:3.12-slim
//! CMD ["python", "app.py"]
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM python:3.12-slim
//! USER 10001:10001
//! CMD ["python", "app.py"]
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Ds003 { id: "DS003", name: "non-root-final-user", severity: Style, origin: Dockstage, summary: "Final stage should run as a non-root USER", source: include_str!("ds003.rs") }
    fn check(ctx, out) {
        let Some(last) = ctx.stages.last() else { return };
        let reference = last.from.args.first().map(String::as_str).unwrap_or("");
        if last.image.name == "scratch" || reference.contains("nonroot") { return; }
        let user = ctx.instructions()[last.body.clone()].iter().filter(|i| i.kind == Keyword::User).last();
        match user {
            None => out.push(ctx.finding(&META, last.from, "Final stage has no USER instruction and runs as root; add a non-root USER")),
            Some(u) => {
                let name = u.args.first().map(String::as_str).unwrap_or("").split(':').next().unwrap_or("");
                if name == "root" || name == "0" { out.push(ctx.finding(&META, u, "Final stage runs as root; switch to a non-root USER")); }
            }
        }
    }
}
