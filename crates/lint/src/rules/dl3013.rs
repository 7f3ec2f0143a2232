//! # DL3013: Pin versions in pip install
//!
//! Severity: warning. Semantics: hadolint's DL3013.
//!
//! A `pip install` (any `pip*` command but `pipenv`, or `python* -m pip install`) naming a package without a version specifier (`==`, `>=`, `~=` ...). Requirement files (`-r`, `--requirement`), constraints (`-c`), `.`, paths with `/`, `.whl` and `.tar.gz` files and VCS URLs with `@ref` are fine. As in hadolint, a name that starts like a VCS scheme (`git...`, `svn...`) is taken for a URL and needs an `@`.
//!
//! ## Why
//!
//! Unpinned packages resolve to the newest release at build time.
//!
//! ## Bad
//!
//! ```dockerfile
//! RUN pip install --no-cache-dir requests
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! RUN pip install --no-cache-dir requests==2.32.3
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3013 { id: "DL3013", name: "pip-pin-versions", severity: Warning, origin: Hadolint, summary: "Pin versions in pip. Instead of `pip install <package>` use `pip install <package>==<version>` or `pip install --requirement <requirements file>`", source: include_str!("dl3013.rs") }
    fn check(ctx, out) {
        for r in ctx.each_run() {
            if fires(r) { out.push(ctx.summary(&META, r.outer)); }
        }
    }
}

const VALUE_FLAGS: &[&str] = &[
    "abi", "b", "build", "e", "editable", "extra-index-url", "f", "find-links", "i", "index-url", "implementation", "no-binary",
    "only-binary", "platform", "prefix", "progress-bar", "proxy", "python", "python-version", "root", "root-user-action", "src", "t",
    "target", "trusted-host", "upgrade-strategy",
];

const VCS: &[&str] = &[
    "git+file", "git+https", "git+ssh", "git+http", "git+git", "git", "hg+file", "hg+http", "hg+https", "hg+ssh", "hg+static-http",
    "svn", "svn+svn", "svn+http", "svn+https", "svn+ssh", "bzr+http", "bzr+https", "bzr+ssh", "bzr+sftp", "bzr+ftp", "bzr+lp",
];

fn fires(r: &HadolintRun) -> bool {
    r.any(|c| {
        if !hs::is_pip_install(c) || hs::has_flag(c, "constraint") || hs::has_flag(c, "c") {
            return false;
        }
        if hs::has_arg_in(c, &["--requirement", "-r", "."]) {
            return false;
        }
        let words = hs::args_no_flags(c, VALUE_FLAGS);
        !hs::after_install(&words).iter().all(|p| version_fixed(p))
    })
}

fn version_fixed(p: &str) -> bool {
    let vcs = VCS.iter().any(|s| p.starts_with(s));
    ["==", ">=", "<=", ">", "<", "!=", "~=", "==="].iter().any(|s| p.contains(s))
        || (vcs && p.contains('@'))
        || p.ends_with(".whl")
        || p.ends_with(".tar.gz")
        || (!vcs && p.contains('/'))
}
