//! # DL3060: yarn cache clean after yarn install
//!
//! Severity: info. Semantics: hadolint's DL3060.
//!
//! A RUN with `yarn install` and no `yarn cache clean` (hadolint accepts any `yarn` command with a `cache` or `clean` argument), or with the clean before the install. As in hadolint it is only reported in the last stage or in a stage a later `FROM` builds on.
//!
//! A cache or tmpfs mount on `.cache/yarn` satisfies the rule, as in hadolint (`RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install`).
//!
//! ## Why
//!
//! yarn's cache holds a copy of every package downloaded; left in the layer it roughly doubles what `node_modules` costs.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM node:20
//! RUN yarn install --frozen-lockfile
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM node:20
//! RUN yarn install --frozen-lockfile && yarn cache clean
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3060 { id: "DL3060", name: "yarn-cache-clean", severity: Info, origin: Hadolint, summary: "`yarn cache clean` missing after `yarn install` was run.", source: include_str!("dl3060.rs"), fix: Safe }
    fn check(ctx, out) {
        let forgot = |r: &HadolintRun| {
            let install = r.position(|c| cmd_has_args(c, "yarn", &["install"]));
            let clean = r.position(|c| cmd_has_args(c, "yarn", &["cache", "clean"]));
            let missing = install.is_some() && clean.is_none() && !hs::has_cache_mount_with(r.run, ".cache/yarn");
            let before = matches!((install, clean), (Some(i), Some(c)) if c < i);
            missing || before
        };
        for i in hs::forgot_in_used_stages(ctx, forgot) {
            let r = ctx.runs()[i].as_ref();
            let fix = r.filter(|r| !r.any(|c| cmd_has_args(c, "yarn", &["cache", "clean"]))).and_then(|r| fixes::append_fix(ctx, r, "yarn cache clean", "Append `yarn cache clean`"));
            out.push(ctx.summary(&META, &ctx.instructions()[i]).with_fix(fix));
        }
    }
}
