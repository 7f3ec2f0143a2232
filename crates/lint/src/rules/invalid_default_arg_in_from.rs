//! # InvalidDefaultArgInFrom: Default value for global ARG results in an empty or invalid base image name
//!
//! Semantics: BuildKit's `InvalidDefaultArgInFrom` build check. Reported at severity style: BuildKit's checks warn without failing a build, so by default they never change the exit status of a hadolint-compatible run; `# check=error=true` in the Dockerfile makes them errors, as in BuildKit, and `# check=skip=InvalidDefaultArgInFrom` (or `skip=all`) turns them off.
//!
//! A FROM image that, with the global ARGs at their defaults, expands to an empty or malformed image reference.
//!
//! ## Why
//!
//! The build fails unless every user passes the right `--build-arg`.
//!
//! ## Bad
//!
//! ```dockerfile
//! ARG TAG
//! FROM alpine:${TAG}
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! ARG TAG=3.20
//! FROM alpine:${TAG}
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    InvalidDefaultArgInFrom { id: "InvalidDefaultArgInFrom", name: "invalid-default-arg-in-from", severity: Style, origin: Buildkit, summary: "Default value for global ARG results in an empty or invalid base image name", source: include_str!("invalid_default_arg_in_from.rs") }
    fn check(ctx, out) {
        let globals = global_args(ctx);
        let lexer = Lexer::new(ctx.dockerfile.escape);
        for stage in &ctx.stages {
            let base = stage.from.args.first().cloned().unwrap_or_default();
            if !base.contains('$') { continue; }
            let Ok(result) = lexer.process_word(&base, &globals.values) else { continue };
            if !valid_reference(&result) {
                out.push(ctx.finding(&META, stage.from, format!("Default value for ARG {base} results in empty or invalid base image name")));
            }
        }
    }
}

/// A loose form of the distribution reference grammar: lower-case path components, an optional
/// tag of `[A-Za-z0-9_.-]` and an optional digest.
fn valid_reference(r: &str) -> bool {
    let (rest, digest) = r.split_once('@').map_or((r, None), |(a, b)| (a, Some(b)));
    if digest.is_some_and(|d| !d.contains(':') || d.ends_with(':')) {
        return false;
    }
    let img = ImageRef::parse(rest);
    let name_ok = !img.name.is_empty()
        && img.name.split('/').all(|c| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || matches!(ch, '.' | '_' | '-')));
    let tag_ok = img.tag.as_deref().map_or(true, |t| !t.is_empty() && t.len() <= 128 && t.chars().all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '.' | '-')));
    name_ok && tag_ok
}
