//! # DL1001: Please refrain from using inline ignore pragmas `# hadolint ignore=DLxxxx`.
//!
//! Severity: ignore (off by default; enable with `override` in .hadolint.yaml or `--ignore DL1001`). Semantics: hadolint's DL1001.
//!
//! Reports every inline `# hadolint ignore=` pragma, for teams that want all exceptions in the config file.
//!
//! ## Why
//!
//! Inline exceptions are easy to add and hard to audit.
//!
//! ## Bad
//!
//! ```dockerfile
//! # hadolint ignore=DL3006
//! FROM ubuntu
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM ubuntu:24.04
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl1001 { id: "DL1001", name: "no-ignore-pragma", severity: Ignore, origin: Hadolint, summary: "Please refrain from using inline ignore pragmas `# hadolint ignore=DLxxxx`.", source: include_str!("dl1001.rs") }
    fn check(ctx, out) {
        for c in &ctx.dockerfile.comments {
            if crate::suppress::is_ignore_pragma(&c.text) {
                out.push(Finding { rule: META.id, severity: META.severity, message: META.summary.into(), line: c.line, column: 1, end_line: c.line, span: c.span, fix: None });
            }
        }
    }
}
