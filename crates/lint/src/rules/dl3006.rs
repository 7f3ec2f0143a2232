//! # DL3006: Always tag the version of an image explicitly
//!
//! Severity: warning. Semantics: hadolint's DL3006.
//!
//! A FROM image without a tag or digest (other than `scratch`, a variable, or an earlier stage name).
//!
//! ## Why
//!
//! Untagged images mean `latest`, which changes without notice and makes builds unreproducible.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM ubuntu
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM ubuntu:24.04
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3006 { id: "DL3006", name: "tag-image-version", severity: Warning, origin: Hadolint, summary: "Always tag the version of an image explicitly", source: include_str!("dl3006.rs") }
    fn check(ctx, out) {
        let mut aliases: Vec<&str> = Vec::new();
        for stage in &ctx.stages {
            let img = &stage.image;
            let name = &img.name;
            let fine = img.tag.is_some() || img.digest.is_some() || name == "scratch" || name.starts_with('$') || aliases.contains(&name.as_str());
            if let Some(a) = &stage.name { aliases.push(a); }
            if !fine { out.push(ctx.summary(&META, stage.from)); }
        }
    }
}
