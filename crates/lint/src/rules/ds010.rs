//! # DS010: Secret reaches the stage that ships
//!
//! Severity: style. One of dockstage's own multi-stage build checks. Style is below hadolint's default failure threshold (`info`), so these suggestions are shown but never fail a CI run that passed with hadolint; raise them with `override` or `--warning DS010`, or drop them with `ignored`.
//!
//! In the stage that ships: an ARG or ENV whose name looks like a secret (contains `PASSWORD`, `PASSWD`, `SECRET`, `TOKEN`, `API_KEY`, `APIKEY`, `PRIVATE_KEY`, `ACCESS_KEY` or `CREDENTIAL`), or a COPY/ADD whose source is a secret file or a repository's history: `.env`, `.env.*` (not `.example`/`.sample`), `.git`, `.npmrc`, `.pypirc`, `.netrc`, `id_rsa*`, `id_ed25519*`, `id_ecdsa*`, `*.pem`, `*.key`, `*.p12`, `*.pfx`. A builder stage may use them (its layers do not ship), though a secret mount is still better there.
//!
//! ## Why
//!
//! ENV values ship in the image config, ARG values in its history, copied files in a layer: anyone who can pull the image can read them, and deleting them later does not remove them from earlier layers.
//!
//! ## Bad
//!
//! ```dockerfile
//! FROM node:20-slim
//! COPY .npmrc package.json package-lock.json ./
//! RUN npm ci
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM node:20-slim
//! COPY package.json package-lock.json ./
//! RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;
use dockstage_model::shell::ships::secrets_in_shipping_stage;

declare_rule! {
    Ds010 { id: "DS010", name: "secret-in-shipping-stage", severity: Style, origin: Dockstage, summary: "Secret reaches the stage that ships", source: include_str!("ds010.rs") }
    fn check(ctx, out) {
        let Some(m) = ctx.model() else { return };
        report_stage_findings(ctx, &META, secrets_in_shipping_stage(&m.build, &m.plan), out);
    }
}
