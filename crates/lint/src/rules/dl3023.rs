//! # DL3023: `COPY --from` cannot reference its own `FROM` alias
//!
//! Severity: error. Semantics: hadolint's DL3023.
//!
//! COPY --from naming the stage it is in.
//!
//! ## Why
//!
//! A stage cannot copy from itself; the build fails.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM debian:12 AS app
//! COPY --from=app /a /b
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM debian:12 AS base
//! FROM debian:12 AS app
//! COPY --from=base /a /b
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3023 { id: "DL3023", name: "copy-from-self", severity: Error, origin: Hadolint, summary: "`COPY --from` cannot reference its own `FROM` alias", source: include_str!("dl3023.rs") }
    fn check(ctx, out) {
        for stage in &ctx.stages {
            let Some(name) = &stage.name else { continue };
            for inst in &ctx.instructions()[stage.body.clone()] {
                if inst.kind == Keyword::Copy && inst.flag("from").and_then(|f| f.value.as_deref()) == Some(name.as_str()) {
                    out.push(ctx.summary(&META, inst));
                }
            }
        }
    }
}
