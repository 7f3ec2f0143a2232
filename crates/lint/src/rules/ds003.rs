//! # DS003: Final stage should run as a non-root USER
//!
//! Severity: style. One of dockstage's own multi-stage build checks. Style is below hadolint's default failure threshold (`info`), so these suggestions are shown but never fail a CI run that passed with hadolint; raise them with `override` or `--warning DS003`, or drop them with `ignored`.
//!
//! The image that ships has no USER instruction (in its stage or the stages it is built `FROM`), or its last USER is root (`root`, `0`). A distroless `nonroot` base counts as a non-root user.
//!
//! The check is `dockstage analyze`'s `non-root-user` practice (`dockstage_model::practices`), judged for the image that ships; this rule reports its failures.
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
        report_practice(ctx, &META, "non-root-user", out);
    }
}
