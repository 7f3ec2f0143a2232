//! # DL3033: Pin versions in yum install
//!
//! Severity: warning. Semantics: hadolint's DL3033.
//!
//! A `yum install` with a package without a `-version` suffix (after the first `-`, the parts must look like a version and one must start with a digit), or a `yum module install` without a `:stream`. `.rpm` files are pinned; a package with a variable is pinned when the variable (written `${VAR}` or `$VAR`) is an ARG, or an ENV of the stage.
//!
//! ## Why
//!
//! Unpinned packages make rebuilds pick up whatever the repository has that day.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM centos:7
//! RUN yum install -y httpd && yum clean all
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM centos:7
//! RUN yum install -y httpd-2.4.6 && yum clean all
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3033 { id: "DL3033", name: "yum-pin-versions", severity: Warning, origin: Hadolint, summary: "Specify version with `yum install -y <package>-<version>`.", source: include_str!("dl3033.rs") }
    fn check(ctx, out) {
        for stream in hs::streams(ctx.instructions()) {
            let mut vars = StageVars::default();
            for (i, ins) in stream {
                match ins.kind {
                    Keyword::Run => {
                        let Some(r) = &ctx.runs()[i] else { continue };
                        let packages_fixed = r
                            .commands()
                            .filter(|c| !cmd_has_args(c, "yum", &["module"]))
                            .flat_map(|c| install_filter(c))
                            .all(|p| vars.package_version_fixed(&p));
                        let modules_fixed = r.commands().filter(|c| cmd_has_args(c, "yum", &["module"])).flat_map(|c| install_filter(c)).all(|m| m.contains(':'));
                        if !(packages_fixed && modules_fixed) {
                            out.push(ctx.summary(&META, &ctx.instructions()[i]));
                        }
                    }
                    _ => vars.see(ins),
                }
            }
        }
    }
}

fn install_filter(c: &SimpleCommand) -> Vec<String> {
    if !cmd_has_args(c, "yum", &["install"]) {
        return Vec::new();
    }
    hs::args_no_flags(c, &[]).into_iter().filter(|a| *a != "install" && *a != "module").map(hs::brace_vars).collect()
}
