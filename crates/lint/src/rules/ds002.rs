//! # DS002: Final stage should use a slim, alpine, distroless or scratch base
//!
//! Severity: style. One of dockstage's own multi-stage build checks. Style is below hadolint's default failure threshold (`info`), so these suggestions are shown but never fail a CI run that passed with hadolint; raise them with `override` or `--warning DS002`, or drop them with `ignored`.
//!
//! The final stage’s base image (following stage names) is not `scratch` and its name or tag says nothing of `slim`, `alpine`, `distroless`, `minimal`, `micro` or `chainguard`.
//!
//! ## Why
//!
//! Full distribution images carry compilers and tools the application does not need: bigger, slower to pull, more CVEs.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM python:3.12
//! CMD ["python", "app.py"]
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM python:3.12-slim
//! CMD ["python", "app.py"]
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Ds002 { id: "DS002", name: "slim-final-base", severity: Style, origin: Dockstage, summary: "Final stage should use a slim, alpine, distroless or scratch base", source: include_str!("ds002.rs") }
    fn check(ctx, out) {
        let Some(last) = ctx.stages.last() else { return };
        let mut stage = last;
        let mut guard = 0;
        while let Some(parent) = ctx.stages.iter().find(|s| s.name.as_deref() == Some(stage.image.name.as_str()) && s.from_index < stage.from_index) {
            stage = parent;
            guard += 1;
            if guard > 64 { break; }
        }
        let reference = stage.from.args.first().map(String::as_str).unwrap_or("");
        if reference.contains('$') || stage.image.name == "scratch" { return; }
        let lower = reference.to_ascii_lowercase();
        if SLIM.iter().any(|w| lower.contains(w)) { return; }
        out.push(ctx.finding(&META, last.from, format!("Final image is based on {reference:?}; prefer a slim, alpine, distroless or scratch base")));

    }
}

const SLIM: &[&str] = &["slim", "alpine", "distroless", "scratch", "minimal", "micro", "chainguard", "busybox", "ubi-minimal", "wolfi"];
