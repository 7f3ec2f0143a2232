//! # DS002: Final stage should use a slim, alpine, distroless or scratch base
//!
//! Severity: style. One of dockstage's own multi-stage build checks. Style is below hadolint's default failure threshold (`info`), so these suggestions are shown but never fail a CI run that passed with hadolint; raise them with `override` or `--warning DS002`, or drop them with `ignored`.
//!
//! The base of the image that ships (following `FROM <stage>` to the first image) is not `scratch` and its name or tag says nothing of `slim`, `alpine`, `distroless`, `minimal`, `micro`, `chainguard`, `busybox` or `wolfi`.
//!
//! The check is `dockstage analyze`'s `small-base` practice (`dockstage_model::practices`), judged for the image that ships; this rule reports its failures.
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
        report_practice(ctx, &META, "small-base", out);
    }
}
