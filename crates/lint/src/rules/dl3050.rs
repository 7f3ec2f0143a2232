//! # DL3050: Superfluous label(s) present.
//!
//! Severity: info. Semantics: hadolint's DL3050.
//!
//! With `strict-labels: true`: a LABEL setting a key that is not in `label-schema`.
//!
//! ## Why
//!
//! Keeps labels to an agreed set.
//!
//! ## Bad
//!
//! ```dockerfile
//! # strict-labels with schema {version: semver}
//! LABEL foo=bar
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! LABEL version=1.0.0
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3050 { id: "DL3050", name: "strict-labels", severity: Info, origin: Hadolint, summary: "Superfluous label(s) present.", source: include_str!("dl3050.rs") }
    fn check(ctx, out) {
        if !ctx.config.strict_labels { return; }
        for inst in ctx.instructions() {
            if inst.kind != Keyword::Label { continue; }
            if inst.key_values().iter().any(|(k, _)| !ctx.config.label_schema.contains_key(unquote(k).as_str())) {
                out.push(ctx.summary(&META, inst));
            }
        }
    }
}
