//! # StageNameCasing: Stage names should be lowercase
//!
//! Semantics: BuildKit's `StageNameCasing` build check. Reported at severity style: BuildKit's checks warn without failing a build, so by default they never change the exit status of a hadolint-compatible run; `# check=error=true` in the Dockerfile makes them errors, as in BuildKit, and `# check=skip=StageNameCasing` (or `skip=all`) turns them off.
//!
//! A stage name (`FROM ... AS Name`) with upper-case letters.
//!
//! ## Why
//!
//! Stage names are matched case-insensitively; lower case avoids confusion.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM alpine:3.20 AS Builder
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM alpine:3.20 AS builder
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    StageNameCasing { id: "StageNameCasing", name: "stage-name-casing", severity: Style, origin: Buildkit, summary: "Stage names should be lowercase", source: include_str!("stage_name_casing.rs"), fix: Safe }
    fn check(ctx, out) {
        for stage in &ctx.stages {
            if let Some(n) = &stage.name {
                if *n != n.to_lowercase() {
                    // BuildKit matches stage names case-insensitively, so references keep working.
                    let lower = n.to_lowercase();
                    let fix = fixes::replace_word(ctx, stage.from, n, &lower, Applicability::Safe, &format!("Rename the stage `{lower}`"));
                    out.push(ctx.finding(&META, stage.from, format!("Stage name '{n}' should be lowercase")).with_fix(fix));
                }
            }
        }
    }
}
