//! # NoEmptyContinuation: Empty continuation lines will become errors in a future release
//!
//! Semantics: BuildKit's `NoEmptyContinuation` build check. Reported at severity style: BuildKit's checks warn without failing a build, so by default they never change the exit status of a hadolint-compatible run; `# check=error=true` in the Dockerfile makes them errors, as in BuildKit, and `# check=skip=NoEmptyContinuation` (or `skip=all`) turns them off.
//!
//! A blank line inside a line continuation; reported at the instruction's last line, as BuildKit reports it.
//!
//! ## Why
//!
//! It will be an error in a future Dockerfile syntax.
//!
//! ## Bad
//!
//! ```dockerfile
//! RUN apt-get update && \
//!
//!     apt-get install -y curl
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! RUN apt-get update && \
//!     apt-get install -y curl
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    NoEmptyContinuation { id: "NoEmptyContinuation", name: "no-empty-continuation", severity: Style, origin: Buildkit, summary: "Empty continuation lines will become errors in a future release", source: include_str!("no_empty_continuation.rs") }
    fn check(ctx, out) {
        for w in &ctx.dockerfile.warnings {
            let inst = ctx.instructions().iter().find(|i| i.start_line <= w.line && w.line <= i.end_line);
            let mut f = match inst {
                Some(i) => ctx.finding(&META, i, "Empty continuation line"),
                None => continue,
            };
            // BuildKit points at the line where the continued instruction ends.
            f.line = w.line;
            f.column = 1;
            out.push(f);
        }
    }
}
