//! # DL3058: Label `<label>` is not a valid email format - must conform to RFC5322.
//!
//! Severity: warning. Semantics: hadolint's DL3058.
//!
//! With a `label-schema`: a label typed `email` whose value is not an email address.
//!
//! ## Why
//!
//! Typed labels are only useful when tools can rely on their format.
//!
//! ## Bad
//!
//! ```dockerfile
//! LABEL maintainer="the team"
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
    Dl3058 { id: "DL3058", name: "label-email", severity: Warning, origin: Hadolint, summary: "Label `<label>` is not a valid email format - must conform to RFC5322.", source: include_str!("dl3058.rs") }
    fn check(ctx, out) {
        for (label, ty) in &ctx.config.label_schema {
            if *ty != LabelType::Email { continue; }
            for inst in ctx.instructions() {
                if inst.kind != Keyword::Label { continue; }
                if inst.key_values().iter().any(|(k, v)| unquote(k) == *label && !is_email(&unquote(v))) {
                    out.push(ctx.finding(&META, inst, MESSAGE.replace("{}", label)));
                }
            }
        }
    }
}

const MESSAGE: &str = "Label `{}` is not a valid email format - must conform to RFC5322.";

fn is_email(v: &str) -> bool {
    let Some((local, domain)) = v.rsplit_once('@') else { return false };
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
    !local.is_empty() && local.split('.').all(|p| !p.is_empty() && p.chars().all(atext))
        && domain.contains('.') && domain.split('.').all(|p| !p.is_empty() && !p.starts_with('-') && !p.ends_with('-') && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}
