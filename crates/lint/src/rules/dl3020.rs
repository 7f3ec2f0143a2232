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
    Dl3020 { id: "DL3020", name: "copy-not-add", severity: Error, origin: Hadolint, summary: "Use COPY instead of ADD for files and folders", source: include_str!("dl3020.rs") }
    fn check(ctx, out) {
        const ARCHIVES: [&str; 15] = [".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz", ".tpz", ".txz", ".xz"];
        for inst in ctx.instructions() {
            if inst.kind != Keyword::Add || !inst.heredocs.is_empty() { continue; }
            let (srcs, _) = copy_paths(inst);
            let bad = srcs.iter().any(|s| {
                let s = drop_quotes(s);
                !(ARCHIVES.iter().any(|e| s.ends_with(e)) || s.starts_with("https://") || s.starts_with("http://"))
            });
            if bad { out.push(ctx.summary(&META, inst)); }
        }
    }
}
