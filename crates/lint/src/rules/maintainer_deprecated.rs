//! # MaintainerDeprecated: The MAINTAINER instruction is deprecated, use a label instead to define an image author
//!
//! Semantics: BuildKit's `MaintainerDeprecated` build check. Reported at severity style: BuildKit's checks warn without failing a build, so by default they never change the exit status of a hadolint-compatible run; `# check=error=true` in the Dockerfile makes them errors, as in BuildKit, and `# check=skip=MaintainerDeprecated` (or `skip=all`) turns them off.
//!
//! Any MAINTAINER.
//!
//! ## Why
//!
//! Deprecated; use `LABEL org.opencontainers.image.authors`.
//!
//! ## Bad
//!
//! ```dockerfile
//! MAINTAINER me
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! LABEL org.opencontainers.image.authors="me"
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    MaintainerDeprecated { id: "MaintainerDeprecated", name: "maintainer-deprecated", severity: Style, origin: Buildkit, summary: "The MAINTAINER instruction is deprecated, use a label instead to define an image author", source: include_str!("maintainer_deprecated.rs"), fix: Safe }
    fn check(ctx, out) {
        for inst in ctx.instructions() {
            if inst.kind == Keyword::Maintainer { out.push(ctx.finding(&META, inst, "Maintainer instruction is deprecated in favor of using label").with_fix(fixes::maintainer_to_label(ctx, inst))); }
        }
    }
}
