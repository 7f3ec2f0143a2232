//! # FromAsCasing: The 'as' keyword should match the case of the 'from' keyword
//!
//! Semantics: BuildKit's `FromAsCasing` build check. Reported at severity style: BuildKit's checks warn without failing a build, so by default they never change the exit status of a hadolint-compatible run; `# check=error=true` in the Dockerfile makes them errors, as in BuildKit, and `# check=skip=FromAsCasing` (or `skip=all`) turns them off.
//!
//! FROM in upper case with a lower-case `as`, or the other way round.
//!
//! ## Why
//!
//! Consistency.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM debian:12 as build
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM debian:12 AS build
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    FromAsCasing { id: "FromAsCasing", name: "from-as-casing", severity: Style, origin: Buildkit, summary: "The 'as' keyword should match the case of the 'from' keyword", source: include_str!("from_as_casing.rs"), fix: Safe }
    fn check(ctx, out) {
        for stage in &ctx.stages {
            let inst = stage.from;
            if inst.args.len() < 3 { continue; }
            let kw = &inst.keyword;
            let as_ = &inst.args[1];
            let lower = *kw == kw.to_lowercase();
            let upper = *kw == kw.to_uppercase();
            let ok = if lower { *as_ == as_.to_lowercase() } else if upper { *as_ == as_.to_uppercase() } else { true };
            if !ok {
                let want = if lower { as_.to_lowercase() } else { as_.to_uppercase() };
                out.push(ctx.finding(&META, inst, format!("'{as_}' and '{kw}' keywords' casing do not match")).with_fix(as_fix(ctx, inst, &want)));
            }
        }
    }
}

/// Rewrites the `AS` word of a one-line FROM.
fn as_fix(ctx: &Context, inst: &dockstage_syntax::Instruction, want: &str) -> Option<Fix> {
    let line = crate::fix::LogicalLine::of(ctx.source, inst, ctx.dockerfile.escape);
    let words = crate::fix::words_in(&line.text, 0..line.text.len());
    let (range, _) = words.iter().skip(1).find(|(_, w)| w.eq_ignore_ascii_case("as") && !w.starts_with('-'))?;
    let span = line.source_span(range.clone())?;
    fixes::fix(Applicability::Safe, &format!("Write `{want}`"), vec![Edit::replace(span, want)])
}
