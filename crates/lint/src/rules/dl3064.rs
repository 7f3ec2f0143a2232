//! # DL3064: Potentially sensitive data should not be used in the `ARG` or `ENV` commands
//!
//! Severity: warning. Semantics: hadolint's DL3064.
//!
//! ARG or ENV (also under ONBUILD) defining a well-known secret name (`GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY` ...) or a name containing `password`, `secret`, `token`, `api_key`, `client_key`, `private` or `username`.
//!
//! ## Why
//!
//! ARG and ENV values are stored in the image history and config, readable by anyone with the image. Use build secrets.
//!
//! ## Bad
//!
//! ```dockerfile
//! ARG NPM_TOKEN
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! RUN --mount=type=secret,id=npm_token npm ci
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3064 { id: "DL3064", name: "sensitive-arg-env", severity: Warning, origin: Hadolint, summary: "Potentially sensitive data should not be used in the `ARG` or `ENV` commands", source: include_str!("dl3064.rs") }
    fn check(ctx, out) {
        for top in ctx.instructions() {
            let inst = top.effective();
            let names: Vec<String> = match inst.kind {
                Keyword::Arg => inst.args.iter().map(|a| a.split('=').next().unwrap_or("").to_string()).collect(),
                Keyword::Env => inst.key_values().iter().map(|(k, _)| k.to_string()).collect(),
                _ => continue,
            };
            if names.iter().any(|n| sensitive(n)) { out.push(ctx.summary(&META, top)); }
        }
    }
}

const KNOWN: &[&str] = &["ACCESS_TOKEN", "APPLICATION_KEY", "APP_SECRET", "AUTH_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "BITTREX_API_KEY", "BITTREX_API_SECRET", "CF_PASSWORD", "CF_USERNAME", "CIRCLE_TOKEN", "CI_DEPLOY_PASSWORD", "CI_DEPLOY_USER", "DOCKERHUB_PASSWORD", "DOCKER_EMAIL", "DOCKER_PASSWORD", "DOCKER_USERNAME", "FACEBOOK_ACCESS_TOKEN", "FACEBOOK_APP_ID", "FACEBOOK_APP_SECRET", "FIREBASE_API_TOKEN", "FIREBASE_TOKEN", "FOSSA_API_KEY", "GH_ENTERPRISE_TOKEN", "GH_TOKEN", "GITHUB_ENTERPRISE_TOKEN", "GITHUB_TOKEN", "HEROKU_API_KEY", "HEROKU_API_USER", "NPM_AUTH_TOKEN", "NPM_TOKEN", "OKTA_AUTHN_GROUPID", "OKTA_CLIENT_ORGURL", "OKTA_CLIENT_TOKEN", "OKTA_OAUTH2_CLIENTID", "OKTA_OAUTH2_CLIENTSECRET", "OPENAI_API_KEY", "OS_PASSWORD", "OS_USERNAME", "POSTGRES_PASSWORD", "SLACK_TOKEN", "STRIPE_API_KEY", "STRIPE_DEVICE_NAME", "TRAVIS_OS_NAME", "TRAVIS_SECURE_ENV_VARS", "TRAVIS_SUDO", "VAULT_CLIENT_KEY", "VAULT_TOKEN"];
const SUSPICIOUS: &[&str] = &["api_key", "client_key", "password", "private", "secret", "token", "username"];

fn sensitive(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let lower = name.to_ascii_lowercase();
    KNOWN.contains(&upper.as_str()) || SUSPICIOUS.iter().any(|s| lower.contains(s))
}
