//! # DL4000: MAINTAINER is deprecated
//!
//! Severity: error. Semantics: hadolint's DL4000.
//!
//! Any MAINTAINER instruction.
//!
//! ## Why
//!
//! MAINTAINER is deprecated; use `LABEL org.opencontainers.image.authors=...`.
//!
//! ## Bad
//!
//! ```dockerfile
//! MAINTAINER me@example.com
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! LABEL org.opencontainers.image.authors="me@example.com"
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl4000 { id: "DL4000", name: "maintainer-deprecated", severity: Error, origin: Hadolint, summary: "MAINTAINER is deprecated", source: include_str!("dl4000.rs"), fix: Safe }
    fn check(ctx, out) {
        for inst in ctx.instructions() {
            if inst.kind == Keyword::Maintainer { out.push(ctx.summary(&META, inst).with_fix(fixes::maintainer_to_label(ctx, inst))); }
        }
    }
}
