//! # DL3011: Valid UNIX ports range from 0 to 65535
//!
//! Severity: error. Semantics: hadolint's DL3011.
//!
//! An EXPOSE port (or either end of a port range) above 65535.
//!
//! ## Why
//!
//! Such a port cannot exist; the image metadata would be wrong.
//!
//! ## Bad
//!
//! ```dockerfile
//! EXPOSE 80000
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! EXPOSE 8000
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3011 { id: "DL3011", name: "valid-port", severity: Error, origin: Hadolint, summary: "Valid UNIX ports range from 0 to 65535", source: include_str!("dl3011.rs") }
    fn check(ctx, out) {
        for inst in ctx.instructions() {
            if inst.kind != Keyword::Expose { continue; }
            let bad = inst.args.iter().any(|a| {
                let port = a.split('/').next().unwrap_or("");
                port.split('-').any(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u64>().map_or(true, |n| n > 65535))
            });
            if bad { out.push(ctx.summary(&META, inst)); }
        }
    }
}
