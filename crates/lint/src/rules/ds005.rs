//! # DS005: Final stage should define a HEALTHCHECK
//!
//! Severity: style. One of dockstage's own multi-stage build checks. Style is below hadolint's default failure threshold (`info`), so these suggestions are shown but never fail a CI run that passed with hadolint; raise them with `override` or `--warning DS005`, or drop them with `ignored`.
//!
//! The final stage (or a stage it builds on) has no HEALTHCHECK and is not `FROM scratch`.
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
        let Some(last) = ctx.stages.last() else { return };
        let mut stage = last;
        loop {
            if ctx.instructions()[stage.body.clone()].iter().any(|i| i.kind == Keyword::Healthcheck) { return; }
            match ctx.stages.iter().find(|s| s.name.as_deref() == Some(stage.image.name.as_str()) && s.from_index < stage.from_index) {
                Some(p) => stage = p,
                None => break,
            }
        }
        if last.image.name == "scratch" { return; }
        out.push(ctx.finding(&META, last.from, "Final stage has no HEALTHCHECK"));
    }
}
