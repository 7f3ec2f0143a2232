//! # DL3053: Label `<label>` is not a valid time format - must conform to RFC3339.
//!
//! Severity: warning. Semantics: hadolint's DL3053.
//!
//! With a `label-schema`: a label typed `rfc3339` whose value is not an RFC 3339 date-time.
//!
//! ## Why
//!
//! Typed labels are only useful when tools can rely on their format.
//!
//! ## Bad
//!
//! ```dockerfile
//! LABEL created="yesterday"
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! LABEL created="2024-05-01T12:00:00Z"
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3053 { id: "DL3053", name: "label-rfc3339", severity: Warning, origin: Hadolint, summary: "Label `<label>` is not a valid time format - must conform to RFC3339.", source: include_str!("dl3053.rs") }
    fn check(ctx, out) {
        for (label, ty) in &ctx.config.label_schema {
            if *ty != LabelType::Rfc3339 { continue; }
            for inst in ctx.instructions() {
                if inst.kind != Keyword::Label { continue; }
                if inst.key_values().iter().any(|(k, v)| unquote(k) == *label && !is_rfc3339(&unquote(v))) {
                    out.push(ctx.finding(&META, inst, MESSAGE.replace("{}", label)));
                }
            }
        }
    }
}

const MESSAGE: &str = "Label `{}` is not a valid time format - must conform to RFC3339.";

fn is_rfc3339(v: &str) -> bool {
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r.clone()).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    if b.len() < 20 || !digits(0..4) || b[4] != b'-' || !digits(5..7) || b[7] != b'-' || !digits(8..10) {
        return false;
    }
    if !matches!(b[10], b'T' | b't' | b' ') || !digits(11..13) || b[13] != b':' || !digits(14..16) || b[16] != b':' || !digits(17..19) {
        return false;
    }
    let mut i = 19;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() { i += 1; }
        if i == start { return false; }
    }
    match &b[i..] {
        [b'Z'] | [b'z'] => true,
        [s, h1, h2, b':', m1, m2] if matches!(s, b'+' | b'-') => [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}
