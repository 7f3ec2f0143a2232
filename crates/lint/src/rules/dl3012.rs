//! # DL3012: Multiple `HEALTHCHECK` instructions
//!
//! Severity: error. Semantics: hadolint's DL3012.
//!
//! A second HEALTHCHECK in the same stage.
//!
//! ## Why
//!
//! Only the last HEALTHCHECK takes effect; the others are dead code that misleads readers.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM busybox:1.36
//! HEALTHCHECK CMD a
//! HEALTHCHECK CMD b
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM busybox:1.36
//! HEALTHCHECK CMD b
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3012 { id: "DL3012", name: "one-healthcheck", severity: Error, origin: Hadolint, summary: "Multiple `HEALTHCHECK` instructions", source: include_str!("dl3012.rs") }
    fn check(ctx, out) {
        let mut seen = false;
        for inst in ctx.instructions() {
            match inst.kind {
                Keyword::From => seen = false,
                Keyword::Healthcheck if seen => out.push(ctx.summary(&META, inst)),
                Keyword::Healthcheck => seen = true,
                _ => {}
            }
        }
    }
}
