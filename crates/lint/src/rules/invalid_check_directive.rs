//! # InvalidCheckDirective: A `check` setting BuildKit cannot read
//!
//! Semantics: dockstage's report of a BuildKit `check` value that does not parse, in the file's
//! `# check=` parser directive, in a `# check=` comment above one instruction, or in the
//! `BUILDKIT_DOCKERFILE_CHECK` build argument. BuildKit accepts up to three `;`-separated options,
//! `skip=`, `experimental=` and `error=` (a Go boolean: `true`, `false`, `1`, `0`, `t`, `f` ...).
//! What BuildKit does with a bad one differs by place, and the message says which: the file's
//! directive (or the build argument) fails the whole build before any check runs ("failed to
//! parse check options"); a comment above an instruction is silently ignored, so the checks it
//! meant to skip still run. dockstage reports both at the line of the setting (line 1 for the build argument), and lints the file
//! as if the bad setting were not there.
//!
//! ## Why
//!
//! A misspelt `skip=` looks like it silences a check and does not; a bad directive breaks
//! `docker build` outright.
//!
//! ## Bad
//!
//! ```dockerfile
//! # check=skip:JSONArgsRecommended
//! FROM alpine:3.20
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! # check=skip=JSONArgsRecommended
//! FROM alpine:3.20
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    InvalidCheckDirective { id: "InvalidCheckDirective", name: "invalid-check-directive", severity: Warning, origin: Dockstage, summary: "A `check` setting BuildKit cannot read", source: include_str!("invalid_check_directive.rs") }
    fn check(ctx, out) {
        for bad in crate::suppress::invalid_checks(ctx.dockerfile, ctx.config) {
            let consequence = if bad.directive { "BuildKit fails the build" } else { "BuildKit ignores this comment" };
            let (span, column) = line_span(ctx.source, bad.line);
            out.push(Finding {
                rule: META.id,
                severity: crate::Severity::Warning,
                message: format!("{}; {consequence}", bad.message),
                line: bad.line,
                column,
                end_line: bad.line,
                span,
                fix: None,
            });
        }
    }
}

/// The text of a 1-based line, without its indentation, and its column.
fn line_span(source: &str, line: usize) -> (dockstage_syntax::Span, usize) {
    let start: usize = source.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let text = source[start..].split('\n').next().unwrap_or("").trim_end_matches('\r');
    let indent = text.len() - text.trim_start().len();
    (dockstage_syntax::Span::new(start + indent, start + text.len()), indent + 1)
}
