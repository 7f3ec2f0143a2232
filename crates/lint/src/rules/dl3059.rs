//! # DL3059: Multiple consecutive RUN instructions
//!
//! Severity: info. Semantics: hadolint's DL3059.
//!
//! A RUN right after another RUN (comments in between allowed) with the same flags, where both run a single command. As in hadolint, a RUN with two or more commands (`a && b`) on either side is not reported, nor are ONBUILD triggers.
//!
//! ## Why
//!
//! Each RUN is a layer; short consecutive RUNs are usually one step that could be one layer, and files deleted in a later RUN still take space in the earlier one.
//!
//! ## Bad
//!
//! ```dockerfile
//! RUN mkdir -p /app
//! RUN chown app /app
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! RUN mkdir -p /app && chown app /app
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3059 { id: "DL3059", name: "consolidate-runs", severity: Info, origin: Hadolint, summary: "Multiple consecutive `RUN` instructions. Consider consolidation.", source: include_str!("dl3059.rs") }
    fn check(ctx, out) {
        // (flags, hadolint's command count) of the RUN just before, while only RUNs follow each other.
        let mut prev: Option<(Vec<&str>, usize)> = None;
        for (i, ins) in ctx.instructions().iter().enumerate() {
            if ins.kind != Keyword::Run {
                prev = None;
                continue;
            }
            let Some(r) = &ctx.runs()[i] else { continue };
            let mut flags: Vec<&str> = ins.flags.iter().map(|f| f.raw.as_str()).collect();
            flags.sort_unstable();
            let count = r.hadolint_command_count();
            match &prev {
                Some((pf, pc)) if *pf == flags && count <= 2 && *pc <= 2 => out.push(ctx.summary(&META, ins)),
                _ => prev = Some((flags, count)),
            }
        }
    }
}
