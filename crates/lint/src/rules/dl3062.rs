//! # DL3062: Pin versions in go install
//!
//! Severity: warning. Semantics: hadolint's DL3062.
//!
//! `go install`/`go get` (or the package of `go run`) without an `@version`, or with `@latest`/`@none`; local paths (`.`, `./x`, `/x`) are fine.
//!
//! ## Why
//!
//! `@latest` and unversioned packages resolve at build time, so rebuilds differ.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM golang:1.22
//! RUN go install golang.org/x/tools/gopls@latest
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM golang:1.22
//! RUN go install golang.org/x/tools/gopls@v0.16.1
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3062 { id: "DL3062", name: "go-pin-versions", severity: Warning, origin: Hadolint, summary: "Pin versions in go. Instead of `go install <package>` use `go install <package>@<version>`", source: include_str!("dl3062.rs") }
    fn check(ctx, out) {
        for r in ctx.each_run() {
            if fires(r) { out.push(ctx.summary(&META, r.outer)); }
        }
    }
}

fn fires(r: &HadolintRun) -> bool {
    // `go run pkg args...`: only the package word; else the packages of `go install`/`go get`.
    let run: Vec<&str> = r
        .commands()
        .filter(|c| cmd_has_args(c, "go", &["run"]))
        .flat_map(|c| hs::args_no_flags(c, &[]).into_iter().enumerate().filter(|(i, a)| *a != "run" && *i <= 1).map(|(_, a)| a))
        .collect();
    let packages = if !run.is_empty() {
        run
    } else {
        r.commands()
            .filter(|c| cmd_has_args(c, "go", &["install", "get"]))
            .flat_map(|c| hs::args_no_flags(c, &[]))
            .filter(|a| !matches!(*a, "install" | "get" | "tool"))
            .collect()
    };
    packages.iter().any(|p| !pinned(p))
}

fn pinned(p: &str) -> bool {
    let local = p == "." || p.starts_with('/') || p.starts_with('.');
    local || (p.contains('@') && !p.ends_with("@latest") && !p.ends_with("@none"))
}
