//! # DL3020: Use COPY instead of ADD for files and folders
//!
//! Severity: error. Semantics: hadolint's DL3020.
//!
//! ADD of a source that is neither a URL nor an archive (`.tar`, `.gz`, `.tgz`, `.xz` ...).
//!
//! ## Why
//!
//! ADD has surprising extra behaviour (auto-extraction, downloads); COPY says what it does.
//!
//! ## Bad
//!
//! ```dockerfile
//! ADD app.py /app/
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! COPY app.py /app/
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3020 { id: "DL3020", name: "copy-not-add", severity: Error, origin: Hadolint, summary: "Use COPY instead of ADD for files and folders", source: include_str!("dl3020.rs"), fix: Safe }
    fn check(ctx, out) {
        const ARCHIVES: [&str; 15] = [".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz", ".tpz", ".txz", ".xz"];
        for inst in ctx.instructions() {
            if inst.kind != Keyword::Add || !inst.heredocs.is_empty() { continue; }
            let (srcs, _) = copy_paths(inst);
            let bad = srcs.iter().any(|s| {
                let s = drop_quotes(s);
                !(ARCHIVES.iter().any(|e| s.ends_with(e)) || s.starts_with("https://") || s.starts_with("http://"))
            });
            if bad { out.push(ctx.summary(&META, inst).with_fix(copy_fix(inst, &srcs))); }
        }
    }
}

/// ADD with only local sources becomes COPY. ADD unpacks a local tar archive whatever its name,
/// so the fix is safe only when every source is a directory or has a name that is not an
/// archive's; ADD's own flags (`--checksum`, `--keep-git-dir`, `--unpack`) have no COPY spelling.
fn copy_fix(inst: &dockstage_syntax::Instruction, srcs: &[String]) -> Option<Fix> {
    if inst.onbuild.is_some() || inst.flags.iter().any(|f| !matches!(f.name.as_str(), "chown" | "chmod" | "link" | "exclude")) {
        return None;
    }
    if srcs.iter().any(|s| { let s = drop_quotes(s); s.contains("://") || s.starts_with("git@") }) {
        return None;
    }
    const PLAIN: [&str; 24] = [".py", ".sh", ".json", ".txt", ".conf", ".yml", ".yaml", ".js", ".ts", ".toml", ".cfg", ".ini", ".md", ".xml", ".properties", ".jar", ".war", ".html", ".css", ".rb", ".go", ".lock", ".env", ".pem"];
    let plain = srcs.iter().all(|s| { let s = drop_quotes(s); s == "." || s.ends_with('/') || PLAIN.iter().any(|e| s.ends_with(e)) });
    let applicability = if plain { Applicability::Safe } else { Applicability::Unsafe };
    fixes::fix(applicability, "Use COPY", vec![Edit::replace(fixes::keyword_span(inst), fixes::keyword_like(inst, "COPY"))])
}
