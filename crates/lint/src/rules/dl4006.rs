//! # DL4006: Set -o pipefail before RUN with a pipe
//!
//! Severity: warning. Semantics: hadolint's DL4006.
//!
//! A RUN with a pipe (`a | b`) when the stage has no `SHELL` that runs bash, zsh or ash with `-o pipefail`. As in hadolint 2.15.1, the program must be written `bash`, `zsh`, `ash` or `/bin/` followed by one of those (`/usr/bin/bash` is not recognised) (a PowerShell or cmd SHELL turns the rule off). As in hadolint, every FROM starts over, even one built on a stage that set SHELL, and ONBUILD triggers are not checked.
//!
//! ## Why
//!
//! A pipeline's status is its last command's: `curl ... | tar x` succeeds even when the download fails, and the build goes on with a broken layer.
//!
//! ## Bad
//!
//! ```dockerfile
//! RUN curl -fsSL https://example.com/install.sh | sh
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! SHELL ["/bin/bash", "-o", "pipefail", "-c"]
//! RUN curl -fsSL https://example.com/install.sh | bash
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl4006 { id: "DL4006", name: "pipefail", severity: Warning, origin: Hadolint, summary: "Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using /bin/sh in an alpine image or if your shell is symlinked to busybox then consider explicitly setting your SHELL to /bin/ash, or disable this check", source: include_str!("dl4006.rs"), fix: Unsafe }
    fn check(ctx, out) {
        let mut safe = false;
        for (i, ins) in ctx.instructions().iter().enumerate() {
            match ins.kind {
                Keyword::From => safe = false,
                Keyword::Shell => {
                    let text = if ins.json { ins.args.join(" ") } else { ins.args.first().cloned().unwrap_or_default() };
                    safe = ["pwsh", "powershell", "cmd"].iter().any(|p| text.starts_with(p)) || sets_pipefail(&text);
                }
                Keyword::Run if !safe => {
                    if ctx.runs()[i].as_ref().is_some_and(|r| r.script.has_pipes()) {
                        let shell = format!("{} [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n", fixes::keyword_like(ins, "SHELL"));
                        let fix = fixes::fix(Applicability::Unsafe, "Set SHELL with `-o pipefail` (needs bash in the image)", vec![Edit::insert(ins.span.start, shell)]);
                        out.push(ctx.summary(&META, ins).with_fix(fix));
                    }
                }
                _ => {}
            }
        }
    }
}

fn sets_pipefail(shell: &str) -> bool {
    dockstage_model::shell::ShellScript::parse_as_written(shell).commands().any(|c| {
        // hadolint 2.15.1 compares the program exactly: `/usr/bin/bash` is not recognised.
        matches!(c.name.as_str(), "/bin/bash" | "/bin/zsh" | "/bin/ash" | "bash" | "zsh" | "ash") && hs::has_flag(c, "o") && hs::has_arg(c, "pipefail")
    })
}
