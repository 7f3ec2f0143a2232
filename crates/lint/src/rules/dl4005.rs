//! # DL4005: Use SHELL to change the default shell
//!
//! Severity: warning. Semantics: hadolint's DL4005.
//!
//! A RUN (also under ONBUILD) with an `ln` command that has `/bin/sh` as an argument.
//!
//! ## Why
//!
//! Replacing /bin/sh behind the builder’s back is fragile; the SHELL instruction says it openly.
//!
//! ## Bad
//!
//! ```dockerfile
//! RUN ln -sfv /bin/bash /bin/sh
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! SHELL ["/bin/bash", "-c"]
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl4005 { id: "DL4005", name: "use-shell-instruction", severity: Warning, origin: Hadolint, summary: "Use SHELL to change the default shell", source: include_str!("dl4005.rs") }
    fn check(ctx, out) {
        for top in ctx.instructions() {
            let inst = top.effective();
            if inst.kind != Keyword::Run { continue; }
            let script = inst.args.join(" ");
            if simple_commands(&script).iter().any(|cmd| cmd.first() == Some(&"ln") && cmd[1..].contains(&"/bin/sh")) {
                out.push(ctx.summary(&META, top));
            }
        }
    }
}
