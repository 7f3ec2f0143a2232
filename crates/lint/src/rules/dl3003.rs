//! # DL3003: Use WORKDIR to switch to a directory
//!
//! Severity: warning. Semantics: hadolint's DL3003.
//!
//! A RUN that runs `cd` (ONBUILD triggers are not checked, as in hadolint).
//!
//! ## Why
//!
//! `cd` only lasts for the one RUN, which is easy to forget in the next instruction; WORKDIR states the directory for every instruction after it and creates it if needed.
//!
//! ## Bad
//!
//! ```dockerfile
//! RUN cd /app && make
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! WORKDIR /app
//! RUN make
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3003 { id: "DL3003", name: "use-workdir", severity: Warning, origin: Hadolint, summary: "Use WORKDIR to switch to a directory", source: include_str!("dl3003.rs"), fix: Unsafe }
    fn check(ctx, out) {
        for r in ctx.each_run().filter(|r| !r.is_onbuild()) {
            if r.any(|c| c.name == "cd") { out.push(ctx.summary(&META, r.outer).with_fix(cd_to_workdir(ctx, r))); }
        }
    }
}

/// `RUN cd /abs && rest` as `WORKDIR /abs` then `RUN rest`. Unsafe: WORKDIR creates a missing
/// directory where `cd` fails, and every later instruction of the stage runs there too.
fn cd_to_workdir(ctx: &Context, r: &HadolintRun) -> Option<Fix> {
    let outer = r.outer;
    if r.is_onbuild() || !outer.flags.is_empty() {
        return None;
    }
    let t = fixes::run_text(ctx, r)?;
    let words = crate::fix::words_in(t.script(), 0..t.script().len());
    let [(cd, "cd"), (_, dir), (and, "&&"), (next, _), ..] = words.as_slice() else { return None };
    if cd.start != 0 || !dir.starts_with('/') || dir.contains(|c: char| "\"'$\\`;&|()<>*?[]{}~#".contains(c)) {
        return None;
    }
    // The words up to the next command, when they sit on one source line.
    let mut cut = t.span(cd.start..next.start).or_else(|| t.span(cd.start..and.end))?;
    // Across a continuation, the blanks before the escape go too: `RUN \` rather than `RUN  \`.
    cut.end += ctx.source[cut.end..].len() - ctx.source[cut.end..].trim_start_matches([' ', '\t']).len();
    let workdir = format!("{} {dir}\n", fixes::keyword_like(outer, "WORKDIR"));
    fixes::fix(Applicability::Unsafe, &format!("Move `cd {dir}` to `WORKDIR {dir}`"), vec![Edit::insert(outer.span.start, workdir), Edit::delete(cut)])
}
