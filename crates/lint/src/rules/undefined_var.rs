//! # UndefinedVar: Variables should be defined before their use
//!
//! Semantics: BuildKit's `UndefinedVar` build check. Reported at severity style: BuildKit's checks warn without failing a build, so by default they never change the exit status of a hadolint-compatible run; `# check=error=true` in the Dockerfile makes them errors, as in BuildKit, and `# check=skip=' + nm + '` (or `skip=all`) turns them off.
//!
//! A `$VAR` in ADD, COPY, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR or an ARG default that no ARG or ENV of the stage (or of the stages it builds on) defines. Without the base image’s configuration dockstage cannot know its ENV, so in stages built on an external image it only reports names that are declared somewhere else in the Dockerfile (the common mistake: a global ARG not redeclared in the stage, or a typo of a name).
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
    // Final environment of each stage, for stages built on it.
    let mut stage_envs: Vec<(Option<String>, HashMap<String, String>, bool)> = Vec::new();
    for stage in &ctx.stages {
        let parent = stage_envs.iter().rev().find(|(name, _, _)| name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(&stage.image.name)));
        let (mut env, external) = match parent {
            Some((_, env, external)) => (env.clone(), *external),
            None if stage.image.name == "scratch" => (HashMap::new(), false),
            None => (HashMap::from([("PATH".to_string(), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string())]), true),
        };
        let mut args: HashSet<String> = HashSet::new();
        for inst in &ctx.instructions()[stage.body.clone()] {
            let mut words: Vec<&str> = Vec::new();
            match inst.kind {
                Keyword::Arg => {
                    for a in &inst.args {
                        let name = arg_name(a);
                        let value = match a.split_once('=') {
                            Some((_, d)) => {
                                report(ctx, &lexer, inst, d, &env, &args, external, &declared_anywhere, out);
                                lexer.process_word(d, &env).ok()
                            }
                            None => globals.values.get(name).cloned(),
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
        stage_envs.push((stage.name.clone(), env, external));
    }
}

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
        let message = format!("Usage of undefined variable '${var}'");
        if out.iter().any(|f| f.line == inst.start_line && f.message == message) { continue; }
        out.push(ctx.finding(&META, inst, message));
    }
}
