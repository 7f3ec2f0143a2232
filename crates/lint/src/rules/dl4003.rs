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
    Dl4003 { id: "DL4003", name: "one-cmd", severity: Warning, origin: Hadolint, summary: "Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will take effect", source: include_str!("dl4003.rs"), fix: Safe }
    fn check(ctx, out) {
        // hadolint reports the later instruction; what can go is the earlier one it overrides.
        let mut seen: Option<&dockstage_syntax::Instruction> = None;
        for inst in ctx.instructions() {
            match inst.kind {
                Keyword::From => seen = None,
                Keyword::Cmd => {
                    if let Some(earlier) = seen {
                        let fix = fixes::delete_instruction(ctx, earlier, "Remove the earlier CMD, which this one replaces");
                        out.push(ctx.summary(&META, inst).with_fix(fix));
                    }
                    seen = Some(inst);
                }
                _ => {}
            }
        }
    }
}
