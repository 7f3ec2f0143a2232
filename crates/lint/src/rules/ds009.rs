//! # DS009: Package-manager cache or lists left in the stage that ships
//!
//! Severity: style. One of dockstage's own multi-stage build checks. Style is below hadolint's default failure threshold (`info`), so these suggestions are shown but never fail a CI run that passed with hadolint; raise them with `override` or `--warning DS009`, or drop them with `ignored`.
//!
//! A RUN in the stage that ships installs packages and leaves the manager's cache in the layer: apt without `rm -rf /var/lib/apt/lists/*`, apk without `--no-cache` or removing `/var/cache/apk`, yum/dnf/microdnf without `clean all`, zypper without `clean`, npm or yarn without `cache clean`. pip's cache is DS006's: that rule covers every stage the target builds. A `--mount=type=cache` (or `tmpfs`) over the cache directory counts as clean. Builder stages are not reported: their caches do not ship.
//!
//! ## Why
//!
//! The cache only speeds up the next install, which never happens in a running container. Left in a layer it is shipped, pulled and stored with every copy of the image; removing it in a later RUN does not help, the earlier layer keeps it.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM debian:12-slim
//! RUN apt-get update && apt-get install -y --no-install-recommends curl
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM debian:12-slim
//! RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;
use dockstage_model::shell::ships::caches_in_shipping_stage;

declare_rule! {
    Ds009 { id: "DS009", name: "cache-in-shipping-stage", severity: Style, origin: Dockstage, summary: "Package-manager cache or lists left in the stage that ships", source: include_str!("ds009.rs"), fix: Safe }
    fn check(ctx, out) {
        let Some(m) = ctx.model() else { return };
        let mut found = Vec::new();
        report_stage_findings(ctx, &META, caches_in_shipping_stage(&m.build, &m.plan), &mut found);
        for f in found {
            let fix = if f.message.contains("/var/lib/apt/lists") {
                ctx.each_run().find(|r| r.outer.start_line == f.line).and_then(|r| fixes::append_command(ctx, r, "rm -rf /var/lib/apt/lists/*"))
            } else {
                None
            };
            out.push(f.with_fix(fix.and_then(|e| fixes::fix(Applicability::Safe, "Remove the apt lists in the same RUN", vec![e]))));
        }
    }
}
