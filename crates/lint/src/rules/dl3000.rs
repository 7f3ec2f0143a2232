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
//! WORKDIR app
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! WORKDIR /app
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3000 { id: "DL3000", name: "absolute-workdir", severity: Error, origin: Hadolint, summary: "Use absolute WORKDIR", source: include_str!("dl3000.rs") }
    fn check(ctx, out) {
        for inst in ctx.instructions() {
            if inst.kind != Keyword::Workdir { continue; }
            let p = drop_quotes(inst.args.first().map(String::as_str).unwrap_or(""));
            if !(p.starts_with('$') || p.starts_with('/') || is_windows_absolute(p)) {
                out.push(ctx.summary(&META, inst));
            }
        }
    }
}
