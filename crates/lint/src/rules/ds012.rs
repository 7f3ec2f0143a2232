//! # DS012: COPY of the whole context without a .dockerignore that keeps junk out
//!
//! Severity: style. One of dockstage's own multi-stage build checks. Style is below hadolint's default failure threshold (`info`), so these suggestions are shown but never fail a CI run that passed with hadolint; raise them with `override` or `--warning DS012`, or drop them with `ignored`.
//!
//! A COPY or ADD (not `--from`) of the whole build context (`.`, `./`, `*`, `./*`), and either no ignore file is found or the one found lets `.git`, `node_modules`, `__pycache__` (at any depth) or `.venv` into the context. Patterns are matched as BuildKit matches them: `**` spans directories, a pattern that excludes a directory excludes everything in it, `!` re-includes, the last matching line wins.
//!
//! Which ignore file: BuildKit reads `<Dockerfile name>.dockerignore` beside the Dockerfile, else `.dockerignore` at the root of the build context. The context is not written in the Dockerfile, so dockstage looks, in order, for `<Dockerfile name>.dockerignore` and `.dockerignore` in the Dockerfile's directory, then `.dockerignore` in its parent directory (the common `docker/Dockerfile` layout built with `docker build -f docker/Dockerfile .`). The first found is used. When the Dockerfile is read from standard input or an editor buffer there is no directory, and the rule is silent.
//!
//! ## Why
//!
//! Everything not ignored is sent to the builder and, with `COPY . .`, lands in the image: the repository's history (often with secrets in old commits), host-built `node_modules` and virtual environments for the wrong platform, stale bytecode. It also busts the layer cache whenever any of those change.
//!
//! ## Fix
//!
//! Unsafe (applied with `--unsafe-fixes`): when no ignore file is found, writes the `.dockerignore`
//! shown below. It changes what the build sees, and some builds need what it drops: a package whose
//! version comes from git (`setuptools-scm`, `hatch-vcs`, `git describe` in a RUN) reads `.git`,
//! and a build may deliberately ship a vendored `node_modules`. When an ignore file exists but lets
//! junk in, there is no fix: which of its lines to change is the author's call.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM python:3.12-slim
//! WORKDIR /app
//! COPY . .
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM python:3.12-slim
//! WORKDIR /app
//! COPY . .
//! ```
//!
//! with a `.dockerignore` beside it:
//!
//! ```dockerignore
//! .git
//! node_modules
//! **/__pycache__
//! .venv
//! ```

use std::path::{Path, PathBuf};

#[allow(unused_imports)]
use crate::rules::prelude::*;
use dockstage_model::shell::ships::{dockerignore_lets_in, whole_context_copy};

declare_rule! {
    Ds012 { id: "DS012", name: "dockerignore-for-whole-copy", severity: Style, origin: Dockstage, summary: "COPY of the whole context without a .dockerignore that keeps junk out", source: include_str!("ds012.rs"), fix: Unsafe }
    fn check(ctx, out) {
        let Some(path) = ctx.options.path else { return };
        let Some(m) = ctx.model() else { return };
        let Some((stage, n)) = whole_context_copy(&m.build) else { return };
        let ins = &m.build.stages[stage].instructions[n];
        let mut fix = None;
        let message = match find_ignore_file(path) {
            None => {
                fix = Some(Fix {
                    applicability: Applicability::Unsafe,
                    title: "Write a .dockerignore".into(),
                    edits: Vec::new(),
                    new_files: vec![crate::fix::FileEdit { path: ".dockerignore".into(), content: NEW_DOCKERIGNORE.into() }],
                });
                "COPY of the whole context with no .dockerignore beside the Dockerfile: .git, node_modules, __pycache__ and .venv go into the image; add a .dockerignore".to_string()
            }
            Some(file) => {
                let Ok(text) = std::fs::read_to_string(&file) else { return };
                let missing = dockerignore_lets_in(&text);
                if missing.is_empty() { return; }
                format!("COPY of the whole context, and {} lets {} in; add {} to it", file.display(), missing.join(", "), missing.iter().map(|m| if *m == "__pycache__" { "**/__pycache__" } else { m }).collect::<Vec<_>>().join(", "))
            }
        };
        out.push(ctx.finding(&META, ins, message).with_fix(fix));
    }
}

/// The ignore file that most likely applies to the Dockerfile at `path` (see the rule's docs).
pub fn find_ignore_file(path: &Path) -> Option<PathBuf> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name()?.to_string_lossy();
    let candidates = [dir.join(format!("{name}.dockerignore")), dir.join(".dockerignore")];
    candidates.into_iter().chain(dir.parent().map(|p| if p.as_os_str().is_empty() { Path::new(".").join(".dockerignore") } else { p.join(".dockerignore") })).find(|c| c.is_file())
}

/// What the fix writes: the junk the rule names, nothing a build could need.
const NEW_DOCKERIGNORE: &str = ".git\nnode_modules\n**/__pycache__\n.venv\n";
