//! # JSONArgsRecommended: JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals
//!
//! Semantics: BuildKit's `JSONArgsRecommended` build check. Reported at severity style: BuildKit's checks warn without failing a build, so by default they never change the exit status of a hadolint-compatible run; `# check=error=true` in the Dockerfile makes them errors, as in BuildKit, and `# check=skip=JSONArgsRecommended` (or `skip=all`) turns them off.
//!
//! CMD or ENTRYPOINT in shell form in a stage that has not set a SHELL, itself or in a stage it is built on (`FROM <stage>` inherits the SHELL).
//!
//! ## Why
//!
//! The shell form runs under `/bin/sh -c`, which does not pass signals to the process.
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
    JSONArgsRecommended { id: "JSONArgsRecommended", name: "json-args-recommended", severity: Style, origin: Buildkit, summary: "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals", source: include_str!("json_args_recommended.rs"), fix: Unsafe }
    fn check(ctx, out) {
        for (n, stage) in ctx.stages.iter().enumerate() {
            let mut shell_set = inherited(ctx, n, |i| i.kind == Keyword::Shell);
            for inst in &ctx.instructions()[stage.body.clone()] {
                match inst.kind {
                    Keyword::Shell => shell_set = true,
                    Keyword::Cmd | Keyword::Entrypoint if !inst.json && !shell_set => {
                        out.push(ctx.finding(&META, inst, format!("JSON arguments recommended for {} to prevent unintended behavior related to OS signals", inst.kind.as_str())).with_fix(fixes::exec_form(inst)));
                    }
                    _ => {}
                }
            }
        }
    }
}
