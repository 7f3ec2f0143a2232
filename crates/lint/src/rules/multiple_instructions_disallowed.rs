//! # MultipleInstructionsDisallowed: Multiple instructions of the same type should not be used in the same stage
//!
//! Semantics: BuildKit's `MultipleInstructionsDisallowed` build check. Reported at severity style: BuildKit's checks warn without failing a build, so by default they never change the exit status of a hadolint-compatible run; `# check=error=true` in the Dockerfile makes them errors, as in BuildKit, and `# check=skip=MultipleInstructionsDisallowed` (or `skip=all`) turns them off.
//!
//! More than one CMD, ENTRYPOINT or HEALTHCHECK in a stage; reported at each one that is overridden.
//!
//! ## Why
//!
//! Only the last one takes effect.
//!
//! ## Bad
//!
//! ```dockerfile
//! CMD ["a"]
//! CMD ["b"]
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! CMD ["b"]
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    MultipleInstructionsDisallowed { id: "MultipleInstructionsDisallowed", name: "multiple-instructions-disallowed", severity: Style, origin: Buildkit, summary: "Multiple instructions of the same type should not be used in the same stage", source: include_str!("multiple_instructions_disallowed.rs"), fix: Safe }
    fn check(ctx, out) {
        for stage in &ctx.stages {
            for kind in [Keyword::Cmd, Keyword::Entrypoint, Keyword::Healthcheck] {
                let all: Vec<_> = ctx.instructions()[stage.body.clone()].iter().filter(|i| i.kind == kind).collect();
                for inst in all.iter().rev().skip(1) {
                    let fix = fixes::delete_instruction(ctx, inst, &format!("Remove this {}: a later one replaces it", kind.as_str()));
                    out.push(ctx.finding(&META, inst, format!("Multiple {} instructions should not be used in the same stage because only the last one will be used", kind.as_str())).with_fix(fix));
                }
            }
        }
    }
}
