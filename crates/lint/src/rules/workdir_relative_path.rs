//! # WorkdirRelativePath: Relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes
//!
//! Semantics: BuildKit's `WorkdirRelativePath` build check. Reported at severity style: BuildKit's checks warn without failing a build, so by default they never change the exit status of a hadolint-compatible run; `# check=error=true` in the Dockerfile makes them errors, as in BuildKit, and `# check=skip=WorkdirRelativePath` (or `skip=all`) turns them off.
//!
//! The first WORKDIR of a stage is relative, and no stage it is built on (`FROM <stage>`) set a WORKDIR.
//!
//! ## Why
//!
//! It is resolved against the base image’s working directory, which you do not control.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM debian:12
//! WORKDIR app
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM debian:12
//! WORKDIR /app
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    WorkdirRelativePath { id: "WorkdirRelativePath", name: "workdir-relative-path", severity: Style, origin: Buildkit, summary: "Relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes", source: include_str!("workdir_relative_path.rs"), fix: Unsafe }
    fn check(ctx, out) {
        for (n, stage) in ctx.stages.iter().enumerate() {
            // A stage built on another inherits its working directory.
            if inherited(ctx, n, |i| i.kind == Keyword::Workdir) { continue; }
            for inst in &ctx.instructions()[stage.body.clone()] {
                if inst.kind != Keyword::Workdir { continue; }
                let p = inst.args.first().map(String::as_str).unwrap_or("");
                if !(p.starts_with('/') || p.starts_with('$') || is_windows_absolute(p)) {
                    // Relative to `/` only when the base image sets no WORKDIR, which dockstage cannot see.
                    let literal = !p.is_empty() && !p.contains(|c: char| c.is_whitespace() || "\"'$\\`".contains(c));
                    let fix = literal.then(|| fixes::replace_word(ctx, inst, p, &format!("/{p}"), Applicability::Unsafe, &format!("Write `/{p}`"))).flatten();
                    out.push(ctx.finding(&META, inst, format!("Relative workdir {p:?} can have unexpected results if the base image changes")).with_fix(fix));
                }
                break;
            }
        }
    }
}
