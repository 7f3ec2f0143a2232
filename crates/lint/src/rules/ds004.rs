//! # DS004: Copy dependency manifests before the source
//!
//! Severity: style. One of dockstage's own multi-stage build checks. Style is below hadolint's default failure threshold (`info`), so these suggestions are shown but never fail a CI run that passed with hadolint; raise them with `override` or `--warning DS004`, or drop them with `ignored`.
//!
//! In a stage, a COPY of the whole context (`COPY . ...`) comes before a RUN that installs dependencies (pip, npm, yarn, go mod, cargo, bundle, composer), and no earlier COPY brought in a dependency manifest alone.
//!
//! ## Why
//!
//! Copying the manifest first and installing before copying the source lets the dependency layer be reused when only the code changes.
//!
//! ## Bad
//!
//! ```dockerfile
//! COPY . /app
//! RUN pip install --no-cache-dir -r requirements.txt
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! COPY requirements.txt /app/
//! RUN pip install --no-cache-dir -r requirements.txt
//! COPY . /app
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Ds004 { id: "DS004", name: "manifest-before-source", severity: Style, origin: Dockstage, summary: "Copy dependency manifests before the source", source: include_str!("ds004.rs") }
    fn check(ctx, out) {
        for stage in &ctx.stages {
            let mut manifest_copied = false;
            let mut whole_copy = None;
            for inst in &ctx.instructions()[stage.body.clone()] {
                match inst.kind {
                    Keyword::Copy | Keyword::Add if inst.flag("from").is_none() => {
                        let (srcs, _) = copy_paths(inst);
                        if srcs.iter().any(|s| MANIFESTS.iter().any(|m| s.ends_with(m))) { manifest_copied = true; }
                        if whole_copy.is_none() && srcs.iter().any(|s| matches!(drop_quotes(s), "." | "./" | "./*" | "*")) { whole_copy = Some(inst); }
                    }
                    Keyword::Run => {
                        let script = inst.args.join(" ");
                        if INSTALLS.iter().any(|w| script.contains(w)) {
                            if let (Some(c), false) = (whole_copy, manifest_copied) {
                                out.push(ctx.finding(&META, c, "The whole source is copied before dependencies are installed; copy the dependency manifest first, install, then copy the source"));
                            }
                            break;
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

const MANIFESTS: &[&str] = &["requirements.txt", "requirements.in", "pyproject.toml", "poetry.lock", "Pipfile", "Pipfile.lock", "setup.py", "setup.cfg", "package.json", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "go.mod", "go.sum", "Cargo.toml", "Cargo.lock", "Gemfile", "Gemfile.lock", "composer.json", "composer.lock", "pom.xml", "build.gradle", "uv.lock"];
const INSTALLS: &[&str] = &["pip install", "pip3 install", "poetry install", "pipenv install", "uv sync", "uv pip install", "npm ci", "npm install", "yarn install", "pnpm install", "go mod download", "cargo fetch", "cargo build", "bundle install", "composer install", "mvn ", "gradle"];
