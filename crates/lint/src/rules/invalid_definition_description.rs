//! # InvalidDefinitionDescription: Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`
//!
//! Semantics: BuildKit's `InvalidDefinitionDescription` build check. Reported at severity style when enabled (off by default, as BuildKit runs it only when experimental checks are on: enable it with `# check=experimental=InvalidDefinitionDescription` (or `experimental=all`) in the file or above one instruction, or with `--style InvalidDefinitionDescription`; `skip=` does not turn an experimental check off, as in BuildKit): BuildKit's checks warn without failing a build, so by default they never change the exit status of a hadolint-compatible run; `# check=error=true` in the Dockerfile makes them errors, as in BuildKit, and `# check=skip=InvalidDefinitionDescription` (or `skip=all`) turns them off.
//!
//! A comment directly above an ARG or a named FROM that does not start with the name it describes.
//!
//! ## Why
//!
//! Such comments are shown as descriptions by build tooling.
//!
//! ## Bad
//!
//! ```dockerfile
//! # the version
//! ARG VERSION=1
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! # VERSION the version to build
//! ARG VERSION=1
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    InvalidDefinitionDescription { id: "InvalidDefinitionDescription", name: "invalid-definition-description", severity: Ignore, origin: Buildkit, summary: "Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`", source: include_str!("invalid_definition_description.rs") }
    fn check(ctx, out) {
        for inst in ctx.instructions() {
            let Some(last) = inst.comments_before.last() else { continue };
            let (what, keys): (&str, Vec<String>) = match inst.kind {
                Keyword::Arg => ("ARG", inst.args.iter().map(|a| a.split('=').next().unwrap_or("").to_string()).collect()),
                Keyword::From if inst.args.len() >= 3 => ("FROM", vec![inst.args[2].clone()]),
                _ => continue,
            };
            let first = last.split(' ').next().unwrap_or("");
            if keys.iter().any(|k| k == first) { continue; }
            let example = if keys.len() > 1 { "<arg_key>".to_string() } else { keys[0].clone() };
            out.push(ctx.finding(&META, inst, format!("Comment for {what} should follow the format: `# {example} <description>`")));
        }
    }
}
