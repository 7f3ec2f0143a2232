//! # UndefinedArgInFrom: FROM command must use declared ARGs
//!
//! Semantics: BuildKit's `UndefinedArgInFrom` build check. Reported at severity style: BuildKit's checks warn without failing a build, so by default they never change the exit status of a hadolint-compatible run; `# check=error=true` in the Dockerfile makes them errors, as in BuildKit, and `# check=skip=UndefinedArgInFrom` (or `skip=all`) turns them off.
//!
//! A variable in a FROM image or `--platform` that no ARG before the first FROM declares (the predefined platform args are always declared).
//!
//! ## Why
//!
//! An undeclared variable expands to nothing and the base image silently changes.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM node:${NODE_VERSION}
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! ARG NODE_VERSION=22
//! FROM node:${NODE_VERSION}
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    UndefinedArgInFrom { id: "UndefinedArgInFrom", name: "undefined-arg-in-from", severity: Style, origin: Buildkit, summary: "FROM command must use declared ARGs", source: include_str!("undefined_arg_in_from.rs") }
    fn check(ctx, out) {
        let globals = global_args(ctx);
        let lexer = Lexer::new(ctx.dockerfile.escape);
        for stage in &ctx.stages {
            let mut words = vec![stage.from.args.first().cloned().unwrap_or_default()];
            words.extend(stage.platform.clone());
            for word in &words {
                let Ok((_, _, unmatched)) = lexer.process_word_with_matches(word, &globals.values) else { continue };
                for var in unmatched {
                    if globals.declared.contains(&var) || PLATFORM_ARGS.contains(&var.as_str()) { continue; }
                    let hint = suggest(&var, globals.declared.iter().map(String::as_str).chain(PLATFORM_ARGS.iter().copied())).map(|s| format!(" (did you mean {s}?)")).unwrap_or_default();
                    out.push(ctx.finding(&META, stage.from, format!("FROM argument '{var}' is not declared{hint}")));
                }
            }
        }
    }
}
