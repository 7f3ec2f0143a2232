//! # DL3066: Non-numeric user-id may not be resolvable by host system
//!
//! Severity: info. Semantics: hadolint's DL3066.
//!
//! USER whose user part is not numeric and does not use an ARG declared earlier.
//!
//! ## Why
//!
//! Kubernetes `runAsNonRoot` and host tooling can only check numeric ids.
//!
//! ## Bad
//!
//! ```dockerfile
//! USER app
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! USER 10001:10001
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3066 { id: "DL3066", name: "numeric-user", severity: Info, origin: Hadolint, summary: "Non-numeric user-id may not be resolvable by host system", source: include_str!("dl3066.rs") }
    fn check(ctx, out) {
        let mut args: Vec<String> = Vec::new();
        for inst in ctx.instructions() {
            match inst.kind {
                Keyword::Arg => args.extend(inst.args.iter().map(|a| a.split('=').next().unwrap_or("").to_string())),
                Keyword::User => {
                    let u = inst.args.first().map(String::as_str).unwrap_or("");
                    let uid = u.split(':').next().unwrap_or("");
                    if uid.chars().all(|c| c.is_ascii_digit()) { continue; }
                    if args.iter().any(|a| u.contains(&format!("${{{a}}}")) || u.contains(&format!("${a}"))) { continue; }
                    out.push(ctx.summary(&META, inst));
                }
                _ => {}
            }
        }
    }
}
