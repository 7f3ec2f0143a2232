//! # DS006: pip install should use --no-cache-dir or a cache mount
//!
//! Severity: style. One of dockstage's own multi-stage build checks. Style is below hadolint's default failure threshold (`info`), so these suggestions are shown but never fail a CI run that passed with hadolint; raise them with `override` or `--warning DS006`, or drop them with `ignored`.
//!
//! A RUN with `pip install` (or `pip3`, `python -m pip install`) without `--no-cache-dir`, without `PIP_NO_CACHE_DIR` set by ENV/ARG, and without a `--mount=type=cache`.
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
    Ds006 { id: "DS006", name: "pip-no-cache", severity: Style, origin: Dockstage, summary: "pip install should use --no-cache-dir or a cache mount", source: include_str!("ds006.rs") }
    fn check(ctx, out) {
        for stage in &ctx.stages {
            let mut env_off = false;
            for inst in &ctx.instructions()[stage.body.clone()] {
                match inst.kind {
                    Keyword::Env | Keyword::Arg if inst.args.iter().any(|a| a.starts_with("PIP_NO_CACHE_DIR")) => env_off = true,
                    Keyword::Run => {
                        let script = inst.args.join(" ");
                        let pip = script.contains("pip install") || script.contains("pip3 install");
                        let cache_mount = inst.flags.iter().any(|f| f.name == "mount" && f.value.as_deref().is_some_and(|v| v.contains("type=cache")));
                        if pip && !env_off && !cache_mount && !script.contains("--no-cache-dir") && !script.contains("PIP_NO_CACHE_DIR") {
                            out.push(ctx.finding(&META, inst, "pip install without --no-cache-dir or a cache mount keeps pip's download cache in the layer"));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}
