//! # DS013: Named stage that no target uses
//!
//! Severity: style. One of dockstage's own multi-stage build checks. Style is below hadolint's default failure threshold (`info`), so these suggestions are shown but never fail a CI run that passed with hadolint; raise them with `override` or `--warning DS013`, or drop them with `ignored`.
//!
//! A stage that the last stage does not need (BuildKit skips it in a plain `docker build`) and that no other stage uses through `FROM`, `COPY --from`, `ADD --from` or `RUN --mount=from=`. A named one builds only with `--target <name>`; an unnamed one can never build. Stages named like conventional targets (`test`, `tests`, `testing`, `dev`, `develop`, `development`, `debug`, `lint`, `ci`, `docs`, `release`, `prod`, `production`) are taken as intended targets and not reported. A stage used only by such a target stage is used.
//!
//! ## Why
//!
//! A leftover stage is dead code: readers take it for part of the build, and edits to it are never tested by the default build. If it is a real target, a conventional name (or a `# hadolint ignore=DS013` comment) says so.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM node:20 AS assets
//! RUN npm ci && npm run build
//! FROM node:20 AS old-assets
//! RUN npm ci && npm run build:legacy
//! FROM nginx:1.27-alpine
//! COPY --from=assets /dist /usr/share/nginx/html
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM node:20 AS assets
//! RUN npm ci && npm run build
//! FROM assets AS test
//! RUN npm test
//! FROM nginx:1.27-alpine
//! COPY --from=assets /dist /usr/share/nginx/html
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;
use dockstage_model::shell::ships::unused_stages;

declare_rule! {
    Ds013 { id: "DS013", name: "unused-stage", severity: Style, origin: Dockstage, summary: "Named stage that no target uses", source: include_str!("ds013.rs") }
    fn check(ctx, out) {
        let Some(m) = ctx.model() else { return };
        report_stage_findings(ctx, &META, unused_stages(&m.build), out);
    }
}
