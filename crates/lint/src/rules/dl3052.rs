//! # DL3052: Label `<label>` is not a valid URL.
//!
//! Severity: warning. Semantics: hadolint's DL3052.
//!
//! With a `label-schema`: a label typed `url` whose value is not an absolute URI (`scheme:...`).
//!
//! ## Why
//!
//! Typed labels are only useful when tools can rely on their format.
//!
//! ## Bad
//!
//! ```dockerfile
//! LABEL website=example
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! LABEL website=https://example.com
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3052 { id: "DL3052", name: "label-url", severity: Warning, origin: Hadolint, summary: "Label `<label>` is not a valid URL.", source: include_str!("dl3052.rs") }
    fn check(ctx, out) {
        for (label, ty) in &ctx.config.label_schema {
            if *ty != LabelType::Url { continue; }
            for inst in ctx.instructions() {
                if inst.kind != Keyword::Label { continue; }
                if inst.key_values().iter().any(|(k, v)| unquote(k) == *label && !is_url(&unquote(v))) {
                    out.push(ctx.finding(&META, inst, MESSAGE.replace("{}", label)));
                }
            }
        }
    }
}

const MESSAGE: &str = "Label `{}` is not a valid URL.";

fn is_url(v: &str) -> bool {
    let Some((scheme, rest)) = v.split_once(':') else { return false };
    let mut c = scheme.chars();
    c.next().is_some_and(|f| f.is_ascii_alphabetic())
        && c.all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '+' | '-' | '.'))
        && !rest.chars().any(|ch| ch.is_whitespace() || matches!(ch, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}'))
}
