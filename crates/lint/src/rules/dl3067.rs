//! # DL3067: Do not copy an entire filesystem from another stage
//!
//! Severity: warning. Semantics: hadolint's DL3067.
//!
//! COPY --from=... / /
//!
//! ## Why
//!
//! Copying a whole root filesystem defeats the point of a multi-stage build and overwrites system files.
//!
//! ## Bad
//!
//! ```dockerfile
//! COPY --from=build / /
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! COPY --from=build /out/app /usr/local/bin/app
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3067 { id: "DL3067", name: "copy-whole-filesystem", severity: Warning, origin: Hadolint, summary: "Do not copy an entire filesystem from another stage", source: include_str!("dl3067.rs") }
    fn check(ctx, out) {
        for inst in ctx.instructions() {
            if inst.kind != Keyword::Copy || inst.flag("from").is_none() { continue; }
            let (srcs, dest) = copy_paths(inst);
            if srcs.iter().any(|s| drop_quotes(s) == "/") && dest.map(drop_quotes) == Some("/") { out.push(ctx.summary(&META, inst)); }
        }
    }
}
