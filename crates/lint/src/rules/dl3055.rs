//! # DL3055: Label `<label>` is not a valid git hash.
//!
//! Severity: warning. Semantics: hadolint's DL3055.
//!
//! With a `label-schema`: a label typed `hash` whose value is not a 7- or 40-character lower-case hex git hash.
//!
//! ## Why
//!
//! Typed labels are only useful when tools can rely on their format.
//!
//! ## Bad
//!
//! ```dockerfile
//! LABEL revision=main
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! LABEL revision=3f2a9c1
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3055 { id: "DL3055", name: "label-git-hash", severity: Warning, origin: Hadolint, summary: "Label `<label>` is not a valid git hash.", source: include_str!("dl3055.rs") }
    fn check(ctx, out) {
        for (label, ty) in &ctx.config.label_schema {
            if *ty != LabelType::Hash { continue; }
            for inst in ctx.instructions() {
                if inst.kind != Keyword::Label { continue; }
                if inst.key_values().iter().any(|(k, v)| unquote(k) == *label && !is_git_hash(&unquote(v))) {
                    out.push(ctx.finding(&META, inst, MESSAGE.replace("{}", label)));
                }
            }
        }
    }
}

const MESSAGE: &str = "Label `{}` is not a valid git hash.";

fn is_git_hash(v: &str) -> bool {
    (v.len() == 7 || v.len() == 40) && v.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}
