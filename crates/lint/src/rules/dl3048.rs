//! # DL3048: Invalid label key.
//!
//! Severity: style. Semantics: hadolint's DL3048.
//!
//! A LABEL key that is not lower-case reverse-DNS style: it must start with a letter a-z, end with a letter or digit, use only `a-z0-9.-_/`, avoid `..` and `--`, and not use the reserved `com.docker.`, `io.docker.`, `org.dockerproject.` namespaces.
//!
//! ## Why
//!
//! Consistent, namespaced keys avoid clashes between tools reading the labels.
//!
//! ## Bad
//!
//! ```dockerfile
//! LABEL Maintainer=me
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! LABEL org.opencontainers.image.authors=me
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3048 { id: "DL3048", name: "label-key", severity: Style, origin: Hadolint, summary: "Invalid label key.", source: include_str!("dl3048.rs") }
    fn check(ctx, out) {
        for inst in ctx.instructions() {
            if inst.kind != Keyword::Label { continue; }
            let bad = inst.key_values().iter().any(|(k, _)| !valid_key(&unquote(k)));
            if bad { out.push(ctx.summary(&META, inst)); }
        }
    }
}

fn valid_key(l: &str) -> bool {
    let first_ok = l.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    let last_ok = l.chars().last().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let chars_ok = l.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_' | '/'));
    let reserved = ["com.docker.", "io.docker.", "org.dockerproject."].iter().any(|p| l.starts_with(p));
    first_ok && last_ok && chars_ok && !reserved && !l.contains("..") && !l.contains("--")
}
