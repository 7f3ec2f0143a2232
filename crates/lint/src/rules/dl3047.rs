//! # DL3047: wget without a progress setting
//!
//! Severity: info. Semantics: hadolint's DL3047.
//!
//! `wget` without `--progress`, `-q`/`--quiet`, `-nv`/`--no-verbose`, `-o`/`--output-file` or `-a`/`--append-output`.
//!
//! ## Why
//!
//! wget's default progress bar writes a line per update into a non-interactive build log, bloating it by megabytes for large downloads.
//!
//! ## Bad
//!
//! ```dockerfile
//! RUN wget https://example.com/tool.tar.gz
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! RUN wget -q https://example.com/tool.tar.gz
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3047 { id: "DL3047", name: "wget-progress", severity: Info, origin: Hadolint, summary: "Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`).", source: include_str!("dl3047.rs"), fix: Safe }
    fn check(ctx, out) {
        for r in ctx.each_run() {
            if fires(r) {
                let edits = fixes::insert_after_program(ctx, r, quiet_missing, "--progress=dot:giga");
                out.push(ctx.summary(&META, r.outer).with_fix(fixes::fix(Applicability::Safe, "Add `--progress=dot:giga`", edits)));
            }
        }
    }
}

fn fires(r: &HadolintRun) -> bool {
    r.any(quiet_missing)
}

fn quiet_missing(c: &SimpleCommand) -> bool {
    {
        c.name == "wget"
            && !hs::has_flag(c, "progress")
            && !hs::has_any_flag(c, &["q", "quiet", "o", "output-file", "a", "append-output", "no-verbose"])
            && !cmd_has_args(c, "wget", &["-nv"])
    }
}
