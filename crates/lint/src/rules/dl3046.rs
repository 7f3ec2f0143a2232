//! # DL3046: useradd with a high UID needs -l
//!
//! Severity: warning. Semantics: hadolint's DL3046.
//!
//! `useradd` with `-u`/`--uid` given a value longer than five characters and without `-l`/`--no-log-init`.
//!
//! ## Why
//!
//! useradd reserves space in `/var/log/lastlog` and `faillog` up to the UID; a high UID makes a sparse file that many tools copy at full size into the layer.
//!
//! ## Bad
//!
//! ```dockerfile
//! RUN useradd -u 1000000 app
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! RUN useradd -l -u 1000000 app
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3046 { id: "DL3046", name: "useradd-no-log-init", severity: Warning, origin: Hadolint, summary: "`useradd` without flag `-l` and high UID will result in excessively large Image.", source: include_str!("dl3046.rs") }
    fn check(ctx, out) {
        for r in ctx.each_run() {
            if fires(r) { out.push(ctx.summary(&META, r.outer)); }
        }
    }
}

fn fires(r: &HadolintRun) -> bool {
    r.any(|c| {
        c.name == "useradd"
            && !hs::has_any_flag(c, &["l", "no-log-init"])
            && hs::has_any_flag(c, &["u", "uid"])
            && hs::flag_args(c, "u").iter().any(|u| u.chars().count() > 5)
    })
}
