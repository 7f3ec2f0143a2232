//! # DL3024: FROM aliases (stage names) must be unique
//!
//! Severity: error. Semantics: hadolint's DL3024.
//!
//! A stage name used by an earlier FROM.
//!
//! ## Why
//!
//! References to the name become ambiguous.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM a:1 AS build
//! FROM b:1 AS build
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM a:1 AS build-a
//! FROM b:1 AS build-b
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3024 { id: "DL3024", name: "unique-stage-names", severity: Error, origin: Hadolint, summary: "FROM aliases (stage names) must be unique", source: include_str!("dl3024.rs") }
    fn check(ctx, out) {
        let mut seen: Vec<&str> = Vec::new();
        for stage in &ctx.stages {
            let Some(name) = &stage.name else { continue };
            if seen.contains(&name.as_str()) { out.push(ctx.summary(&META, stage.from)); } else { seen.push(name); }
        }
    }
}
