//! # DL3049: Label `<label>` is missing.
//!
//! Severity: info. Semantics: hadolint's DL3049.
//!
//! With a `label-schema` configured: a stage (reported at its FROM) that does not set a schema label, unless it builds on a stage that does, or is only used as a `COPY --from` source.
//!
//! ## Why
//!
//! Required metadata (owner, source, version) keeps images traceable.
//!
//! ## Bad
//!
//! ```dockerfile
//! # label-schema: {maintainer: text}
//! FROM debian:12
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM debian:12
//! LABEL maintainer=me
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3049 { id: "DL3049", name: "label-missing", severity: Info, origin: Hadolint, summary: "Label `<label>` is missing.", source: include_str!("dl3049.rs") }
    fn check(ctx, out) {
        for label in ctx.config.label_schema.keys() {
            let mut good: Vec<bool> = Vec::new();
            for (i, stage) in ctx.stages.iter().enumerate() {
                let body = &ctx.instructions()[stage.body.clone()];
                let has = body.iter().any(|inst| inst.kind == Keyword::Label && inst.key_values().iter().any(|(k, _)| unquote(k) == label.as_str()));
                let inherited = ctx.stages[..i].iter().zip(&good).any(|(s, g)| *g && s.name.as_deref() == Some(stage.image.name.as_str()));
                good.push(has || inherited);
            }
            for (i, stage) in ctx.stages.iter().enumerate() {
                if good[i] { continue; }
                let used_as_source = stage.name.as_deref().is_some_and(|n| ctx.instructions().iter().any(|inst| inst.kind == Keyword::Copy && inst.flag("from").and_then(|f| f.value.as_deref()) == Some(n)));
                if !used_as_source {
                    out.push(ctx.finding(&META, stage.from, format!("Label `{label}` is missing.")));
                }
            }
        }
    }
}
