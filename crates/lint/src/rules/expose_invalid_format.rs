//! # ExposeInvalidFormat: IP address and host-port mapping should not be used in EXPOSE instruction. This will become an error in a future release
//!
//! Semantics: BuildKit's `ExposeInvalidFormat` build check. Reported at severity style: BuildKit's checks warn without failing a build, so by default they never change the exit status of a hadolint-compatible run; `# check=error=true` in the Dockerfile makes them errors, as in BuildKit, and `# check=skip=ExposeInvalidFormat` (or `skip=all`) turns them off.
//!
//! EXPOSE with an IP address or a host port (`8080:80`).
//!
//! ## Why
//!
//! EXPOSE documents container ports only; publishing is decided at run time.
//!
//! ## Bad
//!
//! ```dockerfile
//! EXPOSE 8080:80
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! EXPOSE 80
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    ExposeInvalidFormat { id: "ExposeInvalidFormat", name: "expose-invalid-format", severity: Style, origin: Buildkit, summary: "IP address and host-port mapping should not be used in EXPOSE instruction. This will become an error in a future release", source: include_str!("expose_invalid_format.rs") }
    fn check(ctx, out) {
        for inst in ctx.instructions() {
            if inst.kind != Keyword::Expose { continue; }
            for p in &inst.args {
                let port = p.split('/').next().unwrap_or("");
                if port.contains(':') { out.push(ctx.finding(&META, inst, format!("EXPOSE instruction should not define an IP address or host-port mapping, found '{p}'"))); }
            }
        }
    }
}
