//! # DL3056: Label `<label>` does not conform to semantic versioning.
//!
//! Severity: warning. Semantics: hadolint's DL3056.
//!
//! With a `label-schema`: a label typed `semver` whose value is not a semantic version (`MAJOR.MINOR.PATCH[-pre][+build]`).
//!
//! ## Why
//!
//! Typed labels are only useful when tools can rely on their format.
//!
//! ## Bad
//!
//! ```dockerfile
//! LABEL version=v1
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! LABEL version=1.4.2
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3056 { id: "DL3056", name: "label-semver", severity: Warning, origin: Hadolint, summary: "Label `<label>` does not conform to semantic versioning.", source: include_str!("dl3056.rs") }
    fn check(ctx, out) {
        for (label, ty) in &ctx.config.label_schema {
            if *ty != LabelType::Semver { continue; }
            for inst in ctx.instructions() {
                if inst.kind != Keyword::Label { continue; }
                if inst.key_values().iter().any(|(k, v)| unquote(k) == *label && !is_semver(&unquote(v))) {
                    out.push(ctx.finding(&META, inst, MESSAGE.replace("{}", label)));
                }
            }
        }
    }
}

const MESSAGE: &str = "Label `{}` does not conform to semantic versioning.";

fn is_semver(v: &str) -> bool {
    let (core, _build) = v.split_once('+').map_or((v, None), |(c, b)| (c, Some(b)));
    let (core, pre) = core.split_once('-').map_or((core, None), |(c, p)| (c, Some(p)));
    let nums: Vec<&str> = core.split('.').collect();
    let num_ok = |n: &&str| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && (n.len() == 1 || !n.starts_with('0'));
    let ident_ok = |s: &str| !s.is_empty() && s.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    nums.len() == 3 && nums.iter().all(num_ok) && pre.map_or(true, ident_ok) && _build.map_or(true, ident_ok)
}
