//! # DuplicateStageName: Stage names should be unique
//!
//! Semantics: BuildKit's `DuplicateStageName` build check. Reported at severity style: BuildKit's checks warn without failing a build, so by default they never change the exit status of a hadolint-compatible run; `# check=error=true` in the Dockerfile makes them errors, as in BuildKit, and `# check=skip=DuplicateStageName` (or `skip=all`) turns them off.
//!
//! Two stages with the same name (compared case-insensitively, as BuildKit lower-cases them).
//!
//! ## Why
//!
//! References to the name become ambiguous.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM a:1 AS x
//! FROM b:1 AS x
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM a:1 AS x
//! FROM b:1 AS y
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    DuplicateStageName { id: "DuplicateStageName", name: "duplicate-stage-name", severity: Style, origin: Buildkit, summary: "Stage names should be unique", source: include_str!("duplicate_stage_name.rs") }
    fn check(ctx, out) {
        let mut seen: Vec<String> = Vec::new();
        for stage in &ctx.stages {
            let Some(n) = &stage.name else { continue };
            let n = n.to_lowercase();
            if seen.contains(&n) { out.push(ctx.finding(&META, stage.from, format!("Duplicate stage name {n:?}, stage names should be unique"))); } else { seen.push(n); }
        }
    }
}
