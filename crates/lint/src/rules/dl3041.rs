//! # DL3041: Pin versions in dnf install
//!
//! Severity: warning. Semantics: hadolint's DL3041.
//!
//! A `dnf`/`microdnf` `install` with a package without a `-version` suffix (after the first `-`, the parts must look like a version and one must start with a digit), or a `dnf module install` without a `:stream`. `.rpm` files are pinned; a package with a variable is pinned when the variable is an ARG, or an ENV of the stage.
//!
//! ## Why
//!
//! Unpinned packages make rebuilds pick up whatever the repository has that day.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM fedora:40
//! RUN dnf install -y httpd && dnf clean all
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM fedora:40
//! RUN dnf install -y httpd-2.4.62 && dnf clean all
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3041 { id: "DL3041", name: "dnf-pin-versions", severity: Warning, origin: Hadolint, summary: "Specify version with `dnf install -y <package>-<version>`.", source: include_str!("dl3041.rs") }
    fn check(ctx, out) {
        for stream in hs::streams(ctx.instructions()) {
            let mut vars = StageVars::default();
            for (i, ins) in stream {
                match ins.kind {
                    Keyword::Run => {
                        let Some(r) = &ctx.runs()[i] else { continue };
                        let packages_fixed = r
                            .commands()
                            .filter(|c| !(is_dnf(c) && hs::has_arg_in(c, &["module", "group"])))
                            .flat_map(|c| install_filter(c))
                            .all(|p| vars.package_version_fixed(&p));
                        let modules_fixed =
                            r.commands().filter(|c| is_dnf(c) && hs::has_arg(c, "module")).flat_map(|c| install_filter(c)).all(|m| m.contains(':'));
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

fn is_dnf(c: &SimpleCommand) -> bool {
    c.name == "dnf" || c.name == "microdnf"
}

fn install_filter(c: &SimpleCommand) -> Vec<String> {
    if !(is_dnf(c) && hs::has_arg(c, "install")) {
        return Vec::new();
    }
    hs::args_no_flags(c, &[]).into_iter().filter(|a| *a != "install" && *a != "module").map(hs::brace_vars).collect()
}
