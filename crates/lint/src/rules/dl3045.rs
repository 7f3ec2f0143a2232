//! # DL3045: `COPY` to a relative destination without `WORKDIR` set.
//!
//! Severity: warning. Semantics: hadolint's DL3045.
//!
//! COPY into a relative destination in a stage where no WORKDIR was set (in it or, through stage names, in the stage it builds on).
//!
//! ## Why
//!
//! The destination then depends on the base image’s working directory.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM debian:12
//! COPY app.py app/
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM debian:12
//! WORKDIR /srv
//! COPY app.py app/
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3045 { id: "DL3045", name: "copy-relative-no-workdir", severity: Warning, origin: Hadolint, summary: "`COPY` to a relative destination without `WORKDIR` set.", source: include_str!("dl3045.rs") }
    fn check(ctx, out) {
        use std::collections::HashMap;
        let mut set: HashMap<Option<String>, bool> = HashMap::new();
        let mut current: Option<String> = None;
        for inst in ctx.instructions() {
            match inst.kind {
                Keyword::From => {
                    let image = ImageRef::parse(inst.args.first().map(String::as_str).unwrap_or(""));
                    let key = if inst.args.len() >= 3 && inst.args[1].eq_ignore_ascii_case("as") { inst.args[2].clone() } else { image.name.clone() };
                    let parent = set.get(&Some(image.name.clone())).copied().unwrap_or(false);
                    set.insert(Some(key.clone()), parent);
                    current = Some(key);
                }
                Keyword::Workdir => { set.insert(current.clone(), true); }
                Keyword::Copy => {
                    if set.get(&current).copied().unwrap_or(false) { continue; }
                    let Some(dest) = copy_paths(inst).1 else { continue };
                    let d = drop_quotes(dest);
                    if d.starts_with('/') || is_windows_absolute(d) || d.starts_with('$') { continue; }
                    out.push(ctx.summary(&META, inst));
                }
                _ => {}
            }
        }
    }
}
