//! # DL3021: COPY with more than 2 arguments requires the last argument to end with /
//!
//! Severity: error. Semantics: hadolint's DL3021.
//!
//! COPY with several sources into a destination that does not end in `/`.
//!
//! ## Why
//!
//! With more than one source the destination must be a directory; the build fails otherwise.
//!
//! ## Bad
//!
//! ```dockerfile
//! COPY a.txt b.txt /dest
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! COPY a.txt b.txt /dest/
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3021 { id: "DL3021", name: "copy-dest-slash", severity: Error, origin: Hadolint, summary: "COPY with more than 2 arguments requires the last argument to end with /", source: include_str!("dl3021.rs"), fix: Safe }
    fn check(ctx, out) {
        for inst in ctx.instructions() {
            if inst.kind != Keyword::Copy || !inst.heredocs.is_empty() { continue; }
            let (srcs, dest) = copy_paths(inst);
            if srcs.len() > 1 && !dest.map(drop_quotes).is_some_and(|d| d.ends_with('/')) {
                // BuildKit copies several sources into a directory either way; the slash says so.
                let fix = dest
                    .filter(|d| !inst.json && drop_quotes(d) == *d)
                    .and_then(|d| fixes::replace_word(ctx, inst, d, &format!("{d}/"), Applicability::Safe, &format!("Write `{d}/`")));
                out.push(ctx.summary(&META, inst).with_fix(fix));
            }
        }
    }
}
