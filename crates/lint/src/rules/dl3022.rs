//! # DL3022: `COPY --from` should reference a previously defined `FROM` alias
//!
//! Severity: warning. Semantics: hadolint's DL3022.
//!
//! COPY --from naming something that is neither an earlier stage name, an earlier stage index, nor an image reference with a tag (`:`).
//!
//! ## Why
//!
//! A typo in a stage name silently pulls an image of that name instead.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM golang:1.22 AS build
//! FROM alpine:3.20
//! COPY --from=biuld /out /out
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM golang:1.22 AS build
//! FROM alpine:3.20
//! COPY --from=build /out /out
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3022 { id: "DL3022", name: "copy-from-known-stage", severity: Warning, origin: Hadolint, summary: "`COPY --from` should reference a previously defined `FROM` alias", source: include_str!("dl3022.rs") }
    fn check(ctx, out) {
        let mut names: Vec<&str> = Vec::new();
        let mut count = 0usize;
        for inst in ctx.instructions() {
            if inst.kind == Keyword::From {
                count += 1;
                if inst.args.len() >= 3 && inst.args[1].eq_ignore_ascii_case("as") { names.push(&inst.args[2]); }
                continue;
            }
            if inst.kind != Keyword::Copy { continue; }
            let Some(src) = inst.flag("from").and_then(|f| f.value.as_deref()) else { continue };
            if drop_quotes(src).contains(':') || names.contains(&src) { continue; }
            if src.parse::<usize>().is_ok_and(|n| n < count) { continue; }
            out.push(ctx.summary(&META, inst));
        }
    }
}
