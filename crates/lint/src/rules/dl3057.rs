//! # DL3057: `HEALTHCHECK` instruction missing.
//!
//! Severity: info (off by default; enable with `override` in .hadolint.yaml or `--info DL3057`). Semantics: hadolint's DL3057.
//!
//! A stage with no HEALTHCHECK that neither builds on nor is built on by a stage with one.
//!
//! ## Why
//!
//! Orchestrators can restart a container that is up but not working only if it says how to check it.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM nginx:1.27
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM nginx:1.27
//! HEALTHCHECK CMD curl -f http://localhost/ || exit 1
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3057 { id: "DL3057", name: "healthcheck-missing", severity: Ignore, origin: Hadolint, summary: "`HEALTHCHECK` instruction missing.", source: include_str!("dl3057.rs") }
    fn check(ctx, out) {
        let has: Vec<bool> = ctx.stages.iter().map(|s| ctx.instructions()[s.body.clone()].iter().any(|i| i.kind == Keyword::Healthcheck)).collect();
        for (i, stage) in ctx.stages.iter().enumerate() {
            if has[i] { continue; }
            let related = ctx.stages.iter().enumerate().any(|(j, other)| has[j] && (other.key() == stage.image.name || stage.key() == other.image.name));
            if !related { out.push(ctx.summary(&META, stage.from)); }
        }
    }
}
