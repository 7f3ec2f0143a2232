//! # DL3000: Use absolute WORKDIR
//!
//! Severity: error. Semantics: hadolint's DL3000.
//!
//! WORKDIR must be an absolute path (or start with a variable).
//!
//! ## Why
//!
//! A relative WORKDIR depends on the working directory of the base image, which can change under you.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM debian:12
//! WORKDIR /usr/src
//! WORKDIR app
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM debian:12
//! WORKDIR /usr/src
//! WORKDIR /usr/src/app
//! ```
//!
//! The fix writes the absolute path only when an earlier literal WORKDIR of the stage says where
//! the relative one starts; after FROM alone the base image's directory is unknown.

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3000 { id: "DL3000", name: "absolute-workdir", severity: Error, origin: Hadolint, summary: "Use absolute WORKDIR", source: include_str!("dl3000.rs"), fix: Safe }
    fn check(ctx, out) {
        // The stage's working directory when a literal absolute WORKDIR set it; unknown after FROM.
        let mut current: Option<String> = None;
        for inst in ctx.instructions() {
            if inst.kind == Keyword::From { current = None; continue; }
            if inst.kind != Keyword::Workdir { continue; }
            let raw = inst.args.first().map(String::as_str).unwrap_or("");
            let p = drop_quotes(raw);
            if !(p.starts_with('$') || p.starts_with('/') || is_windows_absolute(p)) {
                let joined = current.as_deref().filter(|_| is_literal(raw)).map(|base| join(base, p));
                let fix = joined.as_ref().and_then(|j| fixes::fix(Applicability::Safe, &format!("Write `{j}`"), vec![Edit::replace(inst.span, format!("{} {j}", inst.keyword))]).filter(|_| inst.start_line == inst.end_line && inst.onbuild.is_none()));
                out.push(ctx.summary(&META, inst).with_fix(fix));
                current = joined;
            } else {
                current = (p.starts_with('/') && is_literal(raw)).then(|| p.to_string());
            }
        }
    }
}

/// A path the fix may rewrite: no quotes, variables, escapes or blanks.
fn is_literal(p: &str) -> bool {
    !p.is_empty() && !p.contains(|c: char| c.is_whitespace() || "\"'$\\`".contains(c))
}

/// `base` joined with the relative `p`, `.` and `..` resolved as WORKDIR resolves them.
fn join(base: &str, p: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for s in p.split('/') {
        match s {
            "" | "." => {}
            ".." => { parts.pop(); }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}
