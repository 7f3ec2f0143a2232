//! # UndefinedVar: Variables should be defined before their use
//!
//! Semantics: BuildKit's `UndefinedVar` build check. Reported at severity style: BuildKit's checks warn without failing a build, so by default they never change the exit status of a hadolint-compatible run; `# check=error=true` in the Dockerfile makes them errors, as in BuildKit, and `# check=skip=UndefinedVar` (or `skip=all`) turns them off.
//!
//! A `$VAR` in ADD, COPY, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR or an ARG default that no ARG or ENV of the stage (or of the stages it builds on) defines. Without the base image’s configuration dockstage cannot know its ENV: for well-known official images (alpine, debian, ubuntu, python, node, golang, nginx ...) it uses the ENV their published Dockerfiles set; on any other external image it only reports names that are declared somewhere else in the Dockerfile (the common mistake: a global ARG not redeclared in the stage, or a typo of a name).
//!
//! ## Why
//!
//! Undefined variables expand to nothing, silently.
//!
//! ## Bad
//!
//! ```dockerfile
//! ARG VERSION=1
//! FROM alpine:3.20
//! COPY app-$VERSION.tgz /
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! ARG VERSION=1
//! FROM alpine:3.20
//! ARG VERSION
//! COPY app-$VERSION.tgz /
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    UndefinedVar { id: "UndefinedVar", name: "undefined-var", severity: Style, origin: Buildkit, summary: "Variables should be defined before their use", source: include_str!("undefined_var.rs") }
    fn check(ctx, out) {
        undefined_var(ctx, out);
    }
}

fn undefined_var(ctx: &Context, out: &mut Vec<Finding>) {
    use std::collections::{HashMap, HashSet};
    let globals = global_args(ctx);
    let lexer = Lexer::new(ctx.dockerfile.escape);
    let mut declared_anywhere: HashSet<String> = HashSet::new();
    for inst in ctx.instructions() {
        match inst.kind {
            Keyword::Arg => declared_anywhere.extend(inst.args.iter().map(|a| arg_name(a).to_string())),
            Keyword::Env => declared_anywhere.extend(inst.key_values().iter().map(|(k, _)| k.to_string())),
            _ => {}
        }
    }
    // Final environment of each stage and the ARGs it declared (BuildKit passes both on).
    let mut stage_envs: Vec<StageScope> = Vec::new();
    for stage in &ctx.stages {
        let parent = stage_envs.iter().rev().find(|(name, _, _, _)| name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(&stage.image.name)));
        let (mut env, external) = match parent {
            Some((_, env, external, _)) => (env.clone(), *external),
            None if stage.image.name == "scratch" => (HashMap::new(), false),
            None => {
                let mut env = HashMap::from([("PATH".to_string(), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string())]);
                match known_image_env(&stage.image.name) {
                    Some(names) => {
                        env.extend(names.iter().map(|n| (n.to_string(), String::new())));
                        (env, false)
                    }
                    None => (env, true),
                }
            }
        };
        let mut args: HashSet<String> = parent.map(|p| p.3.clone()).unwrap_or_default();
        for inst in &ctx.instructions()[stage.body.clone()] {
            let mut words: Vec<&str> = Vec::new();
            match inst.kind {
                Keyword::Arg => {
                    for a in &inst.args {
                        let name = arg_name(a);
                        let given = ctx.config.build_args.get(name).cloned();
                        let value = match a.split_once('=') {
                            // A value given with --build-arg replaces the default, which BuildKit
                            // then does not expand.
                            Some(_) if given.is_some() => given,
                            Some((_, d)) => {
                                report(ctx, &lexer, inst, d, &env, &args, external, &declared_anywhere, out);
                                lexer.process_word(d, &env).ok()
                            }
                            None => given.or_else(|| globals.values.get(name).cloned()),
                        };
                        args.insert(name.to_string());
                        if let Some(v) = value { env.insert(name.to_string(), v); }
                    }
                    continue;
                }
                Keyword::Env => {
                    let pairs = inst.key_values();
                    for (_, v) in &pairs { report(ctx, &lexer, inst, v, &env, &args, external, &declared_anywhere, out); }
                    for (k, v) in pairs {
                        let v = lexer.process_word(v, &env).unwrap_or_default();
                        env.insert(k.to_string(), v);
                    }
                    continue;
                }
                Keyword::Label => {
                    for (k, v) in inst.key_values() { words.push(k); words.push(v); }
                }
                Keyword::Add | Keyword::Copy | Keyword::Expose | Keyword::Stopsignal | Keyword::User | Keyword::Volume | Keyword::Workdir => {
                    words.extend(inst.args.iter().map(String::as_str));
                }
                _ => continue,
            }
            for w in words { report(ctx, &lexer, inst, w, &env, &args, external, &declared_anywhere, out); }
        }
        stage_envs.push((stage.name.clone(), env, external, args));
    }
}

/// The ENV of well-known official images, from their published Dockerfiles: with one of these as
/// the base, a name outside the list is undefined, as BuildKit (which reads the base image's
/// configuration) reports it. Other images' ENV is unknown.
fn known_image_env(image: &str) -> Option<&'static [&'static str]> {
    let name = image.strip_prefix("docker.io/").unwrap_or(image);
    let name = name.strip_prefix("library/").unwrap_or(name);
    Some(match name {
        "alpine" | "debian" | "ubuntu" | "busybox" | "fedora" | "centos" | "rockylinux" | "almalinux" | "amazonlinux" | "archlinux" | "oraclelinux" => &[],
        "python" => &["LANG", "GPG_KEY", "PYTHON_VERSION", "PYTHON_SHA256", "PYTHON_PIP_VERSION", "PYTHON_SETUPTOOLS_VERSION", "PYTHON_GET_PIP_URL", "PYTHON_GET_PIP_SHA256"],
        "node" => &["NODE_VERSION", "YARN_VERSION"],
        "golang" => &["GOLANG_VERSION", "GOPATH", "GOTOOLCHAIN"],
        "nginx" => &["NGINX_VERSION", "NJS_VERSION", "NJS_RELEASE", "PKG_RELEASE", "DYNPKG_RELEASE"],
        _ => return None,
    })
}

/// A stage's name, final environment, whether it is built on an image whose ENV is unknown, and
/// the ARGs it declared.
type StageScope = (Option<String>, std::collections::HashMap<String, String>, bool, std::collections::HashSet<String>);

fn arg_name(a: &str) -> &str {
    a.split('=').next().unwrap_or("")
}

#[allow(clippy::too_many_arguments)]
fn report(
    ctx: &Context,
    lexer: &Lexer,
    inst: &dockstage_syntax::Instruction,
    word: &str,
    env: &std::collections::HashMap<String, String>,
    args: &std::collections::HashSet<String>,
    external: bool,
    declared_anywhere: &std::collections::HashSet<String>,
    out: &mut Vec<Finding>,
) {
    if !word.contains('$') { return; }
    let Ok((_, _, unmatched)) = lexer.process_word_with_matches(word, env) else { return };
    for var in unmatched {
        if args.contains(&var) || (external && !declared_anywhere.contains(&var)) { continue; }
        let hint = suggest(&var, env.keys().map(String::as_str)).map(|s| format!(" (did you mean ${s}?)")).unwrap_or_default();
        let message = format!("Usage of undefined variable '${var}'{hint}");
        if out.iter().any(|f| f.line == inst.start_line && f.message == message) { continue; }
        out.push(ctx.finding(&META, inst, message));
    }
}
