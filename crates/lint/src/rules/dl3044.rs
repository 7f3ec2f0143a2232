//! # DL3044: Do not refer to an environment variable within the same `ENV` statement where it is defined.
//!
//! Severity: error. Semantics: hadolint's DL3044.
//!
//! An ENV whose value refers to a variable that the same ENV instruction defines (and that was not defined by an earlier ARG or ENV).
//!
//! ## Why
//!
//! All pairs of one ENV are expanded with the values from before the instruction, so the reference does not see the new value.
//!
//! ## Bad
//!
//! ```dockerfile
//! ENV A=1 B=$A
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! ENV A=1
//! ENV B=$A
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3044 { id: "DL3044", name: "env-self-reference", severity: Error, origin: Hadolint, summary: "Do not refer to an environment variable within the same `ENV` statement where it is defined.", source: include_str!("dl3044.rs") }
    fn check(ctx, out) {
        let mut known: std::collections::HashSet<String> = std::collections::HashSet::new();
        for inst in ctx.instructions() {
            match inst.kind {
                Keyword::Env => {
                    let pairs = inst.key_values();
                    let bad = pairs.iter().enumerate().any(|(i, (var, _))| {
                        !known.contains(*var) && pairs.iter().enumerate().any(|(j, (_, v))| j != i && references(v, var))
                    });
                    for (k, _) in &pairs { known.insert(k.to_string()); }
                    if bad { out.push(ctx.summary(&META, inst)); }
                }
                Keyword::Arg => {
                    for a in &inst.args { known.insert(a.split('=').next().unwrap_or("").to_string()); }
                }
                _ => {}
            }
        }
    }
}

/// `${var}` anywhere, or `$var` not followed by a character that would continue the name.
fn references(text: &str, var: &str) -> bool {
    if text.contains(&format!("${{{var}}}")) {
        return true;
    }
    let bare = format!("${var}");
    text.match_indices(&bare).any(|(i, _)| {
        let next = text[i + bare.len()..].chars().next();
        !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}
