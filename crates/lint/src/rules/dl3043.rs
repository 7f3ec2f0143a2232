//! # DL3043: `ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction.
//!
//! Severity: error. Semantics: hadolint's DL3043.
//!
//! ONBUILD carrying ONBUILD, FROM or MAINTAINER.
//!
//! ## Why
//!
//! The builder rejects these triggers.
//!
//! ## Bad
//!
//! ```dockerfile
//! ONBUILD FROM debian:12
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! ONBUILD RUN make
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3043 { id: "DL3043", name: "onbuild-forbidden", severity: Error, origin: Hadolint, summary: "`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction.", source: include_str!("dl3043.rs") }
    fn check(ctx, out) {
        for inst in ctx.instructions() {
            if let Some(inner) = &inst.onbuild {
                if matches!(inner.kind, Keyword::Onbuild | Keyword::From | Keyword::Maintainer) { out.push(ctx.summary(&META, inst)); }
            }
        }
    }
}
