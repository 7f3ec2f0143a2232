//! # DL4004: Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` then only the last `ENTRYPOINT` will take effect
//!
//! Severity: error. Semantics: hadolint's DL4004.
//!
//! A second ENTRYPOINT in the same stage.
//!
//! ## Why
//!
//! Only the last ENTRYPOINT is used.
//!
//! ## Bad
//!
//! ```dockerfile
//! ENTRYPOINT ["a"]
//! ENTRYPOINT ["b"]
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! ENTRYPOINT ["b"]
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl4004 { id: "DL4004", name: "one-entrypoint", severity: Error, origin: Hadolint, summary: "Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` then only the last `ENTRYPOINT` will take effect", source: include_str!("dl4004.rs"), fix: Safe }
    fn check(ctx, out) {
        // hadolint reports the later instruction; what can go is the earlier one it overrides.
        let mut seen: Option<&dockstage_syntax::Instruction> = None;
        for inst in ctx.instructions() {
            match inst.kind {
                Keyword::From => seen = None,
                Keyword::Entrypoint => {
                    if let Some(earlier) = seen {
                        let fix = fixes::delete_instruction(ctx, earlier, "Remove the earlier ENTRYPOINT, which this one replaces");
                        out.push(ctx.summary(&META, inst).with_fix(fix));
                    }
                    seen = Some(inst);
                }
                _ => {}
            }
        }
    }
}
