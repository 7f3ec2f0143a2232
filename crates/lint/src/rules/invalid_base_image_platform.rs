//! # InvalidBaseImagePlatform: Base image platform does not match the platform of the build
//!
//! Semantics: BuildKit's `InvalidBaseImagePlatform` build check, at severity style like the other BuildKit checks. A FROM whose base image's configuration says another OS or architecture than the stage is built for: the stage's `--platform` (with ARGs expanded), else the target platform (`--platform` of `dockstage lint`, else linux/amd64). BuildKit reads the configuration while it resolves the image; dockstage has no registry client in the linter, so the check needs the configuration from a source: `dockstage lint --base-image REF=SOURCE` reads it from an image source (`oci:DIR`, `docker-archive:FILE`, an engine's image name ...), or a library caller fills [`crate::Config::base_platforms`]. Without one the check cannot run, and `dockstage lint --platform` says so for each external base it could not check. Stages built on other stages and `scratch` are not checked.
//!
//! ## Why
//!
//! An image of another architecture runs under emulation, or not at all, and the built image
//! claims a platform its binaries are not for.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM debian:12
//! RUN true
//! ```
//!
//! (the configuration of `debian:12` given says `linux/arm64`, the build is for `linux/amd64`)
//!
//! ## Good
//!
//! ```dockerfile
//! FROM --platform=linux/arm64 debian:12 AS tools_arm64
//! RUN true
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    InvalidBaseImagePlatform { id: "InvalidBaseImagePlatform", name: "invalid-base-image-platform", severity: Style, origin: Buildkit, summary: "Base image platform does not match the platform of the build", source: include_str!("invalid_base_image_platform.rs") }
    fn check(ctx, out) {
        if ctx.config.base_platforms.is_empty() { return; }
        let globals = global_args(ctx);
        let lexer = Lexer::new(ctx.dockerfile.escape);
        let target = globals.values.get("TARGETPLATFORM").cloned().unwrap_or_default();
        for (stage, base) in external_bases(ctx) {
            let Some(actual) = ctx.config.base_platforms.get(&base) else { continue };
            let expected = match &stage.platform {
                Some(p) => match lexer.process_word(p, &globals.values) { Ok(p) => p, Err(_) => continue },
                None => target.clone(),
            };
            let (e, a) = (split_platform(&expected), split_platform(actual));
            if e.0 != a.0 || e.1 != a.1 {
                out.push(ctx.finding(&META, stage.from, format!("Base image {base} was pulled with platform {actual:?}, expected {expected:?} for current build")));
            }
        }
    }
}

/// The stages built on an image (not on another stage, not `scratch`), with the image reference
/// after ARG expansion.
fn external_bases<'c>(ctx: &'c Context) -> Vec<(&'c Stage<'c>, String)> {
    let globals = global_args(ctx);
    let lexer = Lexer::new(ctx.dockerfile.escape);
    let mut out = Vec::new();
    for (n, stage) in ctx.stages.iter().enumerate() {
        let written = stage.from.args.first().map(String::as_str).unwrap_or("");
        let Ok(base) = lexer.process_word(written, &globals.values) else { continue };
        let built_on_stage = ctx.stages[..n].iter().any(|s| s.name.as_deref().is_some_and(|name| name.eq_ignore_ascii_case(&base)));
        if !built_on_stage && !base.eq_ignore_ascii_case("scratch") && !base.is_empty() {
            out.push((stage, base));
        }
    }
    out
}

/// The base images of a file that InvalidBaseImagePlatform cannot check: no platform for them in
/// the configuration. Empty for a file that does not parse.
pub fn unchecked_base_images(source: &str, config: &crate::Config) -> Vec<String> {
    let Ok(dockerfile) = dockstage_syntax::parse(source) else { return Vec::new() };
    let ctx = Context::new(&dockerfile, source, config);
    let mut out: Vec<String> = external_bases(&ctx).into_iter().map(|(_, b)| b).filter(|b| !config.base_platforms.contains_key(b)).collect();
    out.dedup();
    out
}
