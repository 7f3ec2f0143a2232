//! # DL3061: Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment.
//!
//! Severity: error. Semantics: hadolint's DL3061.
//!
//! An instruction other than ARG before the first FROM.
//!
//! ## Why
//!
//! The builder rejects it.
//!
//! ## Bad
//!
//! ```dockerfile
//! LABEL a=b
//! FROM debian:12
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM debian:12
//! LABEL a=b
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3061 { id: "DL3061", name: "from-first", severity: Error, origin: Hadolint, summary: "Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment.", source: include_str!("dl3061.rs") }
    fn check(ctx, out) {
        for inst in ctx.instructions() {
            match inst.kind {
                Keyword::From => break,
                Keyword::Arg => {}
                _ => out.push(ctx.summary(&META, inst)),
            }
        }
    }
}
