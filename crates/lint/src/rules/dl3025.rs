//! # DL3025: Use arguments JSON notation for CMD and ENTRYPOINT arguments
//!
//! Severity: warning. Semantics: hadolint's DL3025.
//!
//! CMD, ENTRYPOINT or HEALTHCHECK CMD written in shell form.
//!
//! ## Why
//!
//! Shell form runs under `/bin/sh -c`, which does not forward signals: the process is not PID 1 and `docker stop` waits for the kill timeout.
//!
//! ## Bad
//!
//! ```dockerfile
//! CMD python app.py
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! CMD ["python", "app.py"]
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3025 { id: "DL3025", name: "json-cmd", severity: Warning, origin: Hadolint, summary: "Use arguments JSON notation for CMD and ENTRYPOINT arguments", source: include_str!("dl3025.rs"), fix: Unsafe }
    fn check(ctx, out) {
        for inst in ctx.instructions() {
            let shell_form = match inst.kind {
                Keyword::Cmd | Keyword::Entrypoint => !inst.json,
                Keyword::Healthcheck => inst.args.first().is_some_and(|t| t.eq_ignore_ascii_case("cmd")) && !inst.json,
                _ => false,
            };
            if shell_form { out.push(ctx.summary(&META, inst).with_fix(fixes::exec_form(inst))); }
        }
    }
}
