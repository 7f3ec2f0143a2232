//! # SecretsUsedInArgOrEnv: Sensitive data should not be used in the ARG or ENV commands
//!
//! Semantics: BuildKit's `SecretsUsedInArgOrEnv` build check. Reported at severity style: BuildKit's checks warn without failing a build, so by default they never change the exit status of a hadolint-compatible run; `# check=error=true` in the Dockerfile makes them errors, as in BuildKit, and `# check=skip=SecretsUsedInArgOrEnv` (or `skip=all`) turns them off.
//!
//! An ARG (declared in a stage: BuildKit does not check the ARGs before the first FROM) or ENV name whose first or last `_`-separated word (or whole name) is a secret word (`password`, `secret`, `token`, `key`, `auth`, `apikey`, `credential(s)`, `pword`, `passwd`), unless such a word is `public`, `file` or `version`.
//!
//! ## Why
//!
//! Values of ARG and ENV are kept in the image.
//!
//! ## Bad
//!
//! ```dockerfile
//! ENV DB_PASSWORD=hunter2
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! RUN --mount=type=secret,id=db_password ./migrate
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    SecretsUsedInArgOrEnv { id: "SecretsUsedInArgOrEnv", name: "secrets-used-in-arg-or-env", severity: Style, origin: Buildkit, summary: "Sensitive data should not be used in the ARG or ENV commands", source: include_str!("secrets_used_in_arg_or_env.rs") }
    fn check(ctx, out) {
        // BuildKit checks ARGs when a stage declares them: those before the first FROM are not.
        let first_from = ctx.stages.first().map_or(usize::MAX, |s| s.from_index);
        for inst in ctx.instructions().iter().skip(first_from) {
            let (name, keys): (&str, Vec<String>) = match inst.kind {
                Keyword::Arg => ("ARG", inst.args.iter().map(|a| a.split('=').next().unwrap_or("").to_string()).collect()),
                Keyword::Env => ("ENV", inst.key_values().iter().map(|(k, _)| k.to_string()).collect()),
                _ => continue,
            };
            for k in keys {
                if has_token(&k, DENY) && !has_token(&k, ALLOW) {
                    out.push(ctx.finding(&META, inst, format!("Do not use ARG or ENV instructions for sensitive data ({name} {k:?})")));
                }
            }
        }
    }
}

const DENY: &[&str] = &["apikey", "auth", "credential", "credentials", "key", "password", "pword", "passwd", "secret", "token"];
const ALLOW: &[&str] = &["public", "file", "version"];

/// Whether a token is the whole name, or its first or last `_`-separated part.
fn has_token(name: &str, tokens: &[&str]) -> bool {
    let lower = name.to_ascii_lowercase();
    tokens.iter().any(|t| {
        lower == *t || lower.starts_with(&format!("{t}_")) || lower.ends_with(&format!("_{t}")) || lower.contains(&format!("_{t}_"))
    })
}
