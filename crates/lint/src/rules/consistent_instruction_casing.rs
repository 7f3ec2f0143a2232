//! # ConsistentInstructionCasing: All commands within the Dockerfile should use the same casing (either upper or lower)
//!
//! Semantics: BuildKit's `ConsistentInstructionCasing` build check. Reported at severity style: BuildKit's checks warn without failing a build, so by default they never change the exit status of a hadolint-compatible run; `# check=error=true` in the Dockerfile makes them errors, as in BuildKit, and `# check=skip=ConsistentInstructionCasing` (or `skip=all`) turns them off.
//!
//! An instruction keyword whose case differs from the majority of the file (or is mixed case, like `Run`). As in BuildKit, the ARGs before the first FROM are not counted or checked.
//!
//! ## Why
//!
//! Consistency.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM alpine:3.20
//! run echo hi
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM alpine:3.20
//! RUN echo hi
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    ConsistentInstructionCasing { id: "ConsistentInstructionCasing", name: "consistent-instruction-casing", severity: Style, origin: Buildkit, summary: "All commands within the Dockerfile should use the same casing (either upper or lower)", source: include_str!("consistent_instruction_casing.rs"), fix: Safe }
    fn check(ctx, out) {
        // BuildKit counts and checks the instructions of stages: the ARGs before the first FROM
        // are neither.
        let first_from = ctx.stages.first().map_or(usize::MAX, |s| s.from_index);
        let staged = ctx.instructions().get(first_from..).unwrap_or(&[]);
        let (mut lower, mut upper) = (0, 0);
        for inst in staged {
            let k = &inst.keyword;
            if *k == k.to_lowercase() { lower += 1 } else if *k == k.to_uppercase() { upper += 1 }
        }
        let majority_lower = lower > upper;
        for inst in staged {
            let k = &inst.keyword;
            let wrong = if majority_lower { *k != k.to_lowercase() } else { *k != k.to_uppercase() };
            if wrong {
                let casing = if majority_lower { "lowercase" } else { "uppercase" };
                let want = if majority_lower { k.to_lowercase() } else { k.to_uppercase() };
                let fix = fixes::fix(Applicability::Safe, &format!("Write `{want}`"), vec![Edit::replace(fixes::keyword_span(inst), want.clone())]);
                out.push(ctx.finding(&META, inst, format!("Command '{k}' should match the case of the command majority ({casing})")).with_fix(fix));
            }
        }
    }
}
