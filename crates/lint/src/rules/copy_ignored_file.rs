//! # CopyIgnoredFile: A COPY or ADD source that the .dockerignore leaves out of the build context
//!
//! Semantics: BuildKit's `CopyIgnoredFile` build check, at severity style like the other BuildKit checks (`# check=error=true` makes it an error, `# check=skip=CopyIgnoredFile` turns it off). A COPY (without `--from`) or ADD source path that the `.dockerignore` excludes, itself or through a parent directory. As in BuildKit, the check is off when the `.dockerignore` has any `!` exception (whether a file inside an excluded directory is let back in cannot be told without the context), and the context root (`.` or `/`) counts as ignored only when a plain `*`, `**` or `**/*` line excludes everything. URLs, git sources and here-documents are not context paths. dockstage reads the ignore file the way DS012 finds it (`<Dockerfile>.dockerignore`, else `.dockerignore` beside the Dockerfile or in its parent directory); without a Dockerfile on disk (standard input) the check is silent. Sources with variables are not expanded and not checked.
//!
//! ## Why
//!
//! The file is not in the build context, so the build fails with "not found" (or, with a
//! wildcard, silently copies less than intended).
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM alpine:3.20
//! COPY secrets.env /app/
//! ```
//!
//! with a `.dockerignore` beside it:
//!
//! ```dockerignore
//! *.env
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM alpine:3.20
//! COPY app.conf /app/
//! ```
//!
//! with the same `.dockerignore`:
//!
//! ```dockerignore
//! *.env
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;
use dockstage_model::shell::ships::DockerIgnore;

declare_rule! {
    CopyIgnoredFile { id: "CopyIgnoredFile", name: "copy-ignored-file", severity: Style, origin: Buildkit, summary: "Attempting to Copy file that is excluded by .dockerignore", source: include_str!("copy_ignored_file.rs") }
    fn check(ctx, out) {
        let Some(path) = ctx.options.path else { return };
        let Some(file) = super::ds012::find_ignore_file(path) else { return };
        let Ok(text) = std::fs::read_to_string(&file) else { return };
        let ignore = DockerIgnore::parse(&text);
        if ignore.has_exceptions() { return; }
        let root_ignored = ignore.exclusion_patterns().any(|p| matches!(p, "*" | "**" | "**/*"));
        for inst in ctx.instructions() {
            let verb = match inst.kind {
                Keyword::Copy if inst.flag("from").is_none() => "Copy",
                Keyword::Add => "Add",
                _ => continue,
            };
            let (sources, _) = copy_paths(inst);
            for src in sources {
                if src.contains('$') || src.contains("://") || src.starts_with("git@") || src.starts_with("<<") || inst.heredocs.iter().any(|h| src.contains(&h.name)) {
                    continue;
                }
                let clean = clean_path(src);
                let hit = if clean == "." || clean == "/" { root_ignored && ignore.excludes(".") } else { ignore.excludes(&clean) };
                if hit {
                    out.push(ctx.finding(&META, inst, format!("Attempting to {verb} file {clean:?} that is excluded by .dockerignore")));
                }
            }
        }
    }
}

/// Go's `filepath.Clean` on a `/`-separated path.
fn clean_path(p: &str) -> String {
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            ".." if rooted => {}
            s => parts.push(s),
        }
    }
    match (rooted, parts.is_empty()) {
        (true, _) => format!("/{}", parts.join("/")),
        (false, true) => ".".to_string(),
        (false, false) => parts.join("/"),
    }
}
