//! # DL3007: Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag
//!
//! Severity: warning. Semantics: hadolint's DL3007.
//!
//! A FROM image tagged `latest` without a digest.
//!
//! ## Why
//!
//! `latest` moves; a build that worked yesterday may break today.
//!
//! ## Fix
//!
//! No automatic fix: the release tag to pin to is in the registry, and `dockstage lint` does not use
//! the network. Look the current release up (`skopeo list-tags`, the image's page) and write it.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM node:latest
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM node:22-bookworm
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3007 { id: "DL3007", name: "no-latest-tag", severity: Warning, origin: Hadolint, summary: "Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag", source: include_str!("dl3007.rs") }
    fn check(ctx, out) {
        for stage in &ctx.stages {
            if stage.image.tag.as_deref() == Some("latest") && stage.image.digest.is_none() {
                out.push(ctx.summary(&META, stage.from));
            }
        }
    }
}
