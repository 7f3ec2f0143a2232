//! # LegacyKeyValueFormat: Legacy key/value format with whitespace separator should not be used
//!
//! Semantics: BuildKit's `LegacyKeyValueFormat` build check. Reported at severity style: BuildKit's checks warn without failing a build, so by default they never change the exit status of a hadolint-compatible run; `# check=error=true` in the Dockerfile makes them errors, as in BuildKit, and `# check=skip=' + nm + '` (or `skip=all`) turns them off.
//!
//! ENV or LABEL written as `KEY value` instead of `KEY=value`.
//!
//! ## Why
//!
//! The legacy form allows only one pair and is easy to misread.
//!
//! ## Bad
//!
//! ```dockerfile
//! ENV PATH /opt/bin:$PATH
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! ENV PATH=/opt/bin:$PATH
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    LegacyKeyValueFormat { id: "LegacyKeyValueFormat", name: "legacy-key-value-format", severity: Style, origin: Buildkit, summary: "Legacy key/value format with whitespace separator should not be used", source: include_str!("legacy_key_value_format.rs") }
    fn check(ctx, out) {
        for inst in ctx.instructions() {
            if !matches!(inst.kind, Keyword::Env | Keyword::Label) { continue; }
            if inst.args.chunks(3).any(|c| c.len() == 3 && c[2].is_empty()) {
                let n = inst.kind.as_str();
                out.push(ctx.finding(&META, inst, format!("\"{n} key=value\" should be used instead of legacy \"{n} key value\" format")));
            }
        }
    }
}
