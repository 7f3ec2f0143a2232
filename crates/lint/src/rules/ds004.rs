//! # DS004: Copy dependency manifests before the source
//!
//! Severity: style. One of dockstage's own multi-stage build checks. Style is below hadolint's default failure threshold (`info`), so these suggestions are shown but never fail a CI run that passed with hadolint; raise them with `override` or `--warning DS004`, or drop them with `ignored`.
//!
//! In a stage the target needs, a COPY/ADD of source (anything but dependency manifests such as `requirements.txt`, `package.json`, `go.mod`) comes before a RUN that installs dependencies (pip, poetry, uv, npm, yarn, pnpm, go mod, bundle): every source change busts the cache of the install. This is the cache-busting `COPY . .` check.
//!
//! The check is `dockstage analyze`'s `manifests-first` practice (`dockstage_model::practices`), judged for the image that ships; this rule reports its failures.
//!
//! ## Why
//!
//! Copying the manifest first and installing before copying the source lets the dependency layer be reused when only the code changes.
//!
//! ## Bad
//!
//! ```dockerfile
//! COPY . /app
//! RUN pip install --no-cache-dir -r requirements.txt
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! COPY requirements.txt /app/
//! RUN pip install --no-cache-dir -r requirements.txt
//! COPY . /app
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Ds004 { id: "DS004", name: "manifest-before-source", severity: Style, origin: Dockstage, summary: "Copy dependency manifests before the source", source: include_str!("ds004.rs") }
    fn check(ctx, out) {
        report_practice(ctx, &META, "manifests-first", out);
    }
}
