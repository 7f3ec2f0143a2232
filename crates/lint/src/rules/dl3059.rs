//! # DL3059: Multiple consecutive RUN instructions
//!
//! Severity: info. Semantics: hadolint's DL3059.
//!
//! A RUN right after another RUN (comments in between allowed) with the same flags, where both run a single command. As in hadolint, a RUN with two or more commands (`a && b`) on either side is not reported, nor are ONBUILD triggers.
//!
//! ## Why
//!
//! Each RUN is a layer; short consecutive RUNs are usually one step that could be one layer, and files deleted in a later RUN still take space in the earlier one.
//!
//! ## Bad
//!
//! ```dockerfile
//! RUN mkdir -p /app
//! RUN chown app /app
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! RUN mkdir -p /app && chown app /app
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3059 { id: "DL3059", name: "consolidate-runs", severity: Info, origin: Hadolint, summary: "Multiple consecutive `RUN` instructions. Consider consolidation.", source: include_str!("dl3059.rs"), fix: Unsafe }
    fn check(ctx, out) {
        // (flags, hadolint's command count) of the RUN just before, while only RUNs follow each other.
        let mut prev: Option<(Vec<&str>, usize)> = None;
        for (i, ins) in ctx.instructions().iter().enumerate() {
            if ins.kind != Keyword::Run {
                prev = None;
                continue;
            }
            let Some(r) = &ctx.runs()[i] else { continue };
            let mut flags: Vec<&str> = ins.flags.iter().map(|f| f.raw.as_str()).collect();
            flags.sort_unstable();
            let count = r.hadolint_command_count();
            match &prev {
                Some((pf, pc)) if *pf == flags && count <= 2 && *pc <= 2 => out.push(ctx.summary(&META, ins).with_fix(merge_fix(ctx, i))),
                _ => prev = Some((flags, count)),
            }
        }
    }
}

/// Joins the RUN at `i` onto the one before it with `&&`, when nothing but blank space lies
/// between them. Unsafe: one layer instead of two, and a cache hit of the first is lost.
fn merge_fix(ctx: &Context, i: usize) -> Option<Fix> {
    let (prev, this) = (ctx.runs()[i.checked_sub(1)?].as_ref()?, ctx.runs()[i].as_ref()?);
    if prev.is_onbuild() || this.is_onbuild() {
        return None;
    }
    let (pt, tt) = (fixes::run_text(ctx, prev)?, fixes::run_text(ctx, this)?);
    let (ps, ts) = (pt.script().trim_end(), tt.script());
    if ps.contains('#') || ps.ends_with(['&', '|', ';', '\\']) || ts.contains('#') {
        return None;
    }
    let from = pt.span(ps.len()..ps.len())?.start;
    let to = tt.span(0..0)?.start;
    if !ctx.source.get(prev.outer.span.end..this.outer.span.start)?.trim().is_empty() {
        return None;
    }
    let joint = format!(" && {}\n    ", ctx.dockerfile.escape);
    fixes::fix(Applicability::Unsafe, "Merge into the RUN above", vec![Edit::replace(dockstage_syntax::Span::new(from, to), joint)])
}
