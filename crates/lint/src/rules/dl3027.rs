//! # DL3027: Do not use apt, use apt-get
//!
//! Severity: warning. Semantics: hadolint's DL3027.
//!
//! A RUN that runs `apt`.
//!
//! ## Why
//!
//! `apt`'s command-line interface is not stable and it warns so in scripts; `apt-get` and `apt-cache` are the scriptable tools.
//!
//! ## Bad
//!
//! ```dockerfile
//! RUN apt install -y curl
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! RUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3027 { id: "DL3027", name: "no-apt", severity: Warning, origin: Hadolint, summary: "Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead", source: include_str!("dl3027.rs"), fix: Safe }
    fn check(ctx, out) {
        for r in ctx.each_run() {
            if fires(r) { out.push(ctx.summary(&META, r.outer).with_fix(apt_get(ctx, r))); }
        }
    }
}

/// `apt` becomes `apt-get`, or `apt-cache` for the subcommands that live there.
fn apt_get(ctx: &Context, r: &HadolintRun) -> Option<Fix> {
    let t = fixes::run_text(ctx, r)?;
    let mut edits = Vec::new();
    for c in r.commands().filter(|c| c.name == "apt") {
        let words = fixes::command_words(&t, c)?;
        let (range, _) = words.iter().find(|(_, w)| *w == "apt")?;
        let sub = c.args.iter().find(|a| !a.starts_with('-')).map(String::as_str).unwrap_or("");
        let tool = match sub {
            "install" | "remove" | "purge" | "update" | "upgrade" | "full-upgrade" | "dist-upgrade" | "autoremove" | "clean" | "autoclean" | "satisfy" | "build-dep" | "download" | "source" | "changelog" => "apt-get",
            "search" | "show" | "policy" | "depends" | "rdepends" | "showsrc" => "apt-cache",
            // `apt list`, `apt edit-sources` ... have no apt-get spelling.
            _ => return None,
        };
        edits.push(t.replace(range.clone(), tool)?);
    }
    fixes::fix(Applicability::Safe, "Use `apt-get`/`apt-cache` instead of `apt`", edits)
}

fn fires(r: &HadolintRun) -> bool {
    r.any(|c| c.name == "apt")
}
