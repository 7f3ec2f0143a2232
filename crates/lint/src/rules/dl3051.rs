//! # DL3051: label `<label>` is empty.
//!
//! Severity: warning. Semantics: hadolint's DL3051.
//!
//! With a `label-schema`: a schema label set to an empty value.
//!
//! ## Why
//!
//! An empty required label carries no information.
//!
//! ## Bad
//!
//! ```dockerfile
//! LABEL maintainer=""
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! LABEL maintainer="team@example.com"
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3051 { id: "DL3051", name: "label-empty", severity: Warning, origin: Hadolint, summary: "label `<label>` is empty.", source: include_str!("dl3051.rs") }
    fn check(ctx, out) {
        for label in ctx.config.label_schema.keys() {
            for inst in ctx.instructions() {
                if inst.kind != Keyword::Label { continue; }
                if inst.key_values().iter().any(|(k, v)| unquote(k) == label.as_str() && unquote(v).is_empty()) {
                    out.push(ctx.finding(&META, inst, format!("label `{label}` is empty.")));
                }
            }
        }
    }
}
