//! # DL3054: Label `<label>` is not a valid SPDX identifier.
//!
//! Severity: warning. Semantics: hadolint's DL3054.
//!
//! With a `label-schema`: a label typed `spdx` whose value is not an SPDX license identifier (dockstage checks the form of an SPDX id and the common license list).
//!
//! ## Why
//!
//! Typed labels are only useful when tools can rely on their format.
//!
//! ## Bad
//!
//! ```dockerfile
//! LABEL license="GPL 2"
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! LABEL license="Apache-2.0"
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3054 { id: "DL3054", name: "label-spdx", severity: Warning, origin: Hadolint, summary: "Label `<label>` is not a valid SPDX identifier.", source: include_str!("dl3054.rs") }
    fn check(ctx, out) {
        for (label, ty) in &ctx.config.label_schema {
            if *ty != LabelType::Spdx { continue; }
            for inst in ctx.instructions() {
                if inst.kind != Keyword::Label { continue; }
                if inst.key_values().iter().any(|(k, v)| unquote(k) == *label && !is_spdx(&unquote(v))) {
                    out.push(ctx.finding(&META, inst, MESSAGE.replace("{}", label)));
                }
            }
        }
    }
}

const MESSAGE: &str = "Label `{}` is not a valid SPDX identifier.";

const SPDX: &[&str] = &["0BSD", "AFL-3.0", "AGPL-3.0", "AGPL-3.0-only", "AGPL-3.0-or-later", "Apache-1.1", "Apache-2.0", "APSL-2.0", "Artistic-2.0", "BSD-1-Clause", "BSD-2-Clause", "BSD-2-Clause-Patent", "BSD-3-Clause", "BSD-3-Clause-Clear", "BSD-4-Clause", "BSL-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "CDDL-1.0", "CDDL-1.1", "CECILL-2.1", "EPL-1.0", "EPL-2.0", "EUPL-1.1", "EUPL-1.2", "GPL-1.0", "GPL-2.0", "GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0", "GPL-3.0-only", "GPL-3.0-or-later", "ISC", "LGPL-2.0", "LGPL-2.0-only", "LGPL-2.0-or-later", "LGPL-2.1", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0", "LGPL-3.0-only", "LGPL-3.0-or-later", "MIT", "MIT-0", "MPL-1.1", "MPL-2.0", "MS-PL", "MS-RL", "NCSA", "OFL-1.1", "OpenSSL", "PHP-3.0", "PHP-3.01", "PostgreSQL", "Python-2.0", "Ruby", "Unlicense", "UPL-1.0", "Vim", "W3C", "WTFPL", "X11", "Zlib", "ZPL-2.1"];

fn is_spdx(v: &str) -> bool {
    SPDX.iter().any(|id| id.eq_ignore_ascii_case(v))
}
