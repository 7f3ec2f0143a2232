//! # DL4003: Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will take effect
//!
//! Severity: warning. Semantics: hadolint's DL4003.
//!
//! A second CMD in the same stage.
//!
//! ## Why
//!
//! Only the last CMD is used.
//!
//! ## Bad
//!
//! ```dockerfile
//! CMD ["a"]
//! CMD ["b"]
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! CMD ["b"]
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl4003 { id: "DL4003", name: "one-cmd", severity: Warning, origin: Hadolint, summary: "Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will take effect", source: include_str!("dl4003.rs") }
    fn check(ctx, out) {
        let mut seen = false;
        for inst in ctx.instructions() {
            match inst.kind {
                Keyword::From => seen = false,
                Keyword::Cmd if seen => out.push(ctx.summary(&META, inst)),
                Keyword::Cmd => seen = true,
                _ => {}
            }
        }
    }
}
