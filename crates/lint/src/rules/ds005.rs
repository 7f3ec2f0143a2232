//! # DS005: Final stage should define a HEALTHCHECK
//!
//! Severity: style. One of dockstage's own multi-stage build checks. Style is below hadolint's default failure threshold (`info`), so these suggestions are shown but never fail a CI run that passed with hadolint; raise them with `override` or `--warning DS005`, or drop them with `ignored`.
//!
//! The image that ships (its stage or the stages it is built `FROM`) has no HEALTHCHECK, or `HEALTHCHECK NONE` turns the base image's off. Images `FROM scratch` are exempt: they have no tools to run a check with.
//!
//! The check is `dockstage analyze`'s `healthcheck` practice (`dockstage_model::practices`), judged for the image that ships; this rule reports its failures.
//!
//! ## Why
//!
//! Without one, an orchestrator cannot tell a hung service from a healthy one.
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
//! HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen("http://localhost:8000/health")"
//! CMD ["python", "app.py"]
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Ds005 { id: "DS005", name: "healthcheck", severity: Style, origin: Dockstage, summary: "Final stage should define a HEALTHCHECK", source: include_str!("ds005.rs") }
    fn check(ctx, out) {
        report_practice(ctx, &META, "healthcheck", out);
    }
}
