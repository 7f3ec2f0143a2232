//! # ExposeProtoCasing: Protocol in EXPOSE instruction should be lowercase
//!
//! Semantics: BuildKit's `ExposeProtoCasing` build check. Reported at severity style: BuildKit's checks warn without failing a build, so by default they never change the exit status of a hadolint-compatible run; `# check=error=true` in the Dockerfile makes them errors, as in BuildKit, and `# check=skip=ExposeProtoCasing` (or `skip=all`) turns them off.
//!
//! EXPOSE with an upper-case protocol (`80/TCP`).
//!
//! ## Why
//!
//! Consistency with how ports are reported.
//!
//! ## Bad
//!
//! ```dockerfile
//! EXPOSE 80/TCP
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! EXPOSE 80/tcp
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    ExposeProtoCasing { id: "ExposeProtoCasing", name: "expose-proto-casing", severity: Style, origin: Buildkit, summary: "Protocol in EXPOSE instruction should be lowercase", source: include_str!("expose_proto_casing.rs"), fix: Safe }
    fn check(ctx, out) {
        for inst in ctx.instructions() {
            if inst.kind != Keyword::Expose { continue; }
            for p in &inst.args {
                if let Some((port, proto)) = p.rsplit_once('/') {
                    if proto != proto.to_lowercase() {
                        // Only the protocol: the port may be a variable, whose name is case-sensitive.
                        let lower = format!("{port}/{}", proto.to_lowercase());
                        let fix = fixes::replace_word(ctx, inst, p, &lower, Applicability::Safe, &format!("Write `{lower}`"));
                        out.push(ctx.finding(&META, inst, format!("Defined protocol '{p}' in EXPOSE instruction should be lowercase")).with_fix(fix));
                    }
                }
            }
        }
    }
}
