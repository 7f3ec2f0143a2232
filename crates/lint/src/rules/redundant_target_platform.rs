//! # RedundantTargetPlatform: Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior
//!
//! Semantics: BuildKit's `RedundantTargetPlatform` build check. Reported at severity style: BuildKit's checks warn without failing a build, so by default they never change the exit status of a hadolint-compatible run; `# check=error=true` in the Dockerfile makes them errors, as in BuildKit, and `# check=skip=RedundantTargetPlatform` (or `skip=all`) turns them off.
//!
//! `FROM --platform=$TARGETPLATFORM`.
//!
//! ## Why
//!
//! It is the default.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM --platform=$TARGETPLATFORM alpine:3.20
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM alpine:3.20
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    RedundantTargetPlatform { id: "RedundantTargetPlatform", name: "redundant-target-platform", severity: Style, origin: Buildkit, summary: "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior", source: include_str!("redundant_target_platform.rs"), fix: Safe }
    fn check(ctx, out) {
        for stage in &ctx.stages {
            let Some(p) = &stage.platform else { continue };
            if matches!(p.as_str(), "$TARGETPLATFORM" | "${TARGETPLATFORM}") {
                out.push(ctx.finding(&META, stage.from, format!("Setting platform to predefined {p} in FROM is redundant as this is the default behavior")).with_fix(drop_flag(ctx, stage.from)));
            }
        }
    }
}

/// Removes the `--platform=...` word and the blanks after it from a FROM.
fn drop_flag(ctx: &Context, inst: &dockstage_syntax::Instruction) -> Option<Fix> {
    let line = crate::fix::LogicalLine::of(ctx.source, inst, ctx.dockerfile.escape);
    let words = crate::fix::words_in(&line.text, 0..line.text.len());
    let i = words.iter().position(|(_, w)| w.starts_with("--platform="))?;
    let end = words.get(i + 1).map(|(r, _)| r.start)?;
    let span = line.source_span(words[i].0.start..end)?;
    fixes::fix(Applicability::Safe, "Remove the `--platform` flag", vec![Edit::delete(span)])
}
