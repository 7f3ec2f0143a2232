//! # DS006: pip install should use --no-cache-dir or a cache mount
//!
//! Severity: style. One of dockstage's own multi-stage build checks. Style is below hadolint's default failure threshold (`info`), so these suggestions are shown but never fail a CI run that passed with hadolint; raise them with `override` or `--warning DS006`, or drop them with `ignored`.
//!
//! A RUN in a stage the target needs runs `pip install` without `--no-cache-dir`, without `PIP_NO_CACHE_DIR` set (ENV, ARG or on the command), and without a `--mount=type=cache`. Only the first such RUN is reported.
//!
//! The check is `dockstage analyze`'s `pip-no-cache` practice (`dockstage_model::practices`), judged for the image that ships; this rule reports its failures.
//!
//! ## Why
//!
//! pip keeps downloaded wheels in ~/.cache/pip; in an image layer that is dead weight.
//!
//! ## Bad
//!
//! ```dockerfile
//! RUN pip install -r requirements.txt
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! RUN pip install --no-cache-dir -r requirements.txt
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Ds006 { id: "DS006", name: "pip-no-cache", severity: Style, origin: Dockstage, summary: "pip install should use --no-cache-dir or a cache mount", source: include_str!("ds006.rs"), fix: Safe }
    fn check(ctx, out) {
        let mut found = Vec::new();
        report_practice(ctx, &META, "pip-no-cache", &mut found);
        for f in found {
            let edits = ctx
                .each_run()
                .find(|r| r.outer.start_line == f.line)
                .map(|r| fixes::insert_flag_after(ctx, r, |c| hs::is_pip_install(c) && !hs::has_arg(c, "--no-cache-dir") && c.name.starts_with("pip"), "install", "--no-cache-dir"))
                .unwrap_or_default();
            out.push(f.with_fix(fixes::fix(Applicability::Safe, "Add `--no-cache-dir`", edits)));
        }
    }
}
