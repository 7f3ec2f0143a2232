//! From a RUN instruction to the scripts it runs, with the SHELL in force.

use dockstage_syntax::ast::{Dockerfile, Instruction, Keyword};
use serde::Serialize;

use super::{ShellKind, ShellScript, SimpleCommand, POSIX_SHELLS};
use dockstage_syntax::Span;

/// Where a RUN body came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum BodyOrigin {
    /// `RUN apt-get install ...`
    ShellForm,
    /// `RUN ["apt-get", "install", ...]`
    Exec,
    /// The body of `<<NAME`, read as a script.
    Heredoc { name: String },
}

/// One script a RUN runs.
#[derive(Debug, Clone, Serialize)]
pub struct RunBody {
    pub origin: BodyOrigin,
    /// The text that was parsed (for the exec form, the argv joined by spaces).
    pub text: String,
    /// The interpreter of a heredoc that is not a shell script (`RUN python3 <<EOF`), in which
    /// case `script` is empty: the body is not shell.
    pub interpreter: Option<String>,
    pub script: ShellScript,
}

/// The SHELL in force at each instruction, by index into `dockerfile.instructions`. A stage starts
/// with `/bin/sh -c`, or with the SHELL of the stage it is built `FROM`.
pub fn shells_in_force(dockerfile: &Dockerfile) -> Vec<ShellKind> {
    let mut by_stage: Vec<(String, ShellKind)> = Vec::new();
    let mut current = ShellKind::default();
    let mut current_name: Option<String> = None;
    let mut out = Vec::with_capacity(dockerfile.instructions.len());
    for ins in &dockerfile.instructions {
        match ins.kind {
            Keyword::From => {
                if let Some(name) = current_name.take() {
                    by_stage.push((name, current.clone()));
                }
                let base = ins.args.first().map(|s| s.to_ascii_lowercase()).unwrap_or_default();
                current = by_stage
                    .iter()
                    .rev()
                    .find(|(n, _)| *n == base)
                    .map(|(_, s)| s.clone())
                    .unwrap_or_default();
                current_name = match ins.args.as_slice() {
                    [_, as_kw, name, ..] if as_kw.eq_ignore_ascii_case("as") => Some(name.to_ascii_lowercase()),
                    _ => Some(String::new()),
                };
            }
            Keyword::Shell if ins.json && !ins.args.is_empty() => {
                current = ShellKind::new(ins.args.clone());
            }
            _ => {}
        }
        out.push(current.clone());
    }
    out
}

/// The scripts a RUN instruction runs (the inner instruction for `ONBUILD RUN`). Anything other
/// than RUN gives none.
pub fn run_bodies(instruction: &Instruction, shell: &ShellKind) -> Vec<RunBody> {
    let ins = instruction.effective();
    if ins.kind != Keyword::Run {
        return Vec::new();
    }
    if ins.json {
        let text = ins.args.join(" ");
        let script = ShellScript::from_argv(&ins.args);
        return vec![RunBody { origin: BodyOrigin::Exec, text, interpreter: None, script }];
    }
    let line = ins.args.first().map(String::as_str).unwrap_or("");
    if ins.heredocs.is_empty() {
        let script = ShellScript::parse(line, shell);
        return vec![RunBody { origin: BodyOrigin::ShellForm, text: line.to_string(), interpreter: None, script }];
    }
    let mut bodies = Vec::new();
    if only_heredoc_markers(line) {
        // `RUN <<EOF`: the first heredoc is the script, run by the SHELL unless it has a shebang.
        let doc = &ins.heredocs[0];
        let content = doc.effective_content();
        let interpreter = shebang_interpreter(&content);
        let is_shell = match &interpreter {
            Some(i) => POSIX_SHELLS.contains(&i.as_str()),
            None => shell.is_posix(),
        };
        let script = if is_shell { ShellScript::parse(&content, &ShellKind::default()) } else { ShellScript::default() };
        bodies.push(RunBody {
            origin: BodyOrigin::Heredoc { name: doc.name.clone() },
            text: content,
            interpreter: if is_shell { None } else { interpreter.or_else(|| Some(shell.program().to_string())) },
            script,
        });
        return bodies;
    }
    // `RUN cmd <<EOF ...`: the line is the script; give the parser the heredoc bodies too, so it
    // sees the same text the shell does.
    let full = line_with_heredocs(line, &ins.heredocs);
    let script = ShellScript::parse(&full, shell);
    // A heredoc fed to a shell (`RUN bash <<EOF`) is a script too; fed to `python3` it is data.
    let feeds_shell = script.commands().any(|c| {
        POSIX_SHELLS.contains(&c.program()) && !c.args.iter().any(|a| a.starts_with('-') && a.contains('c'))
    });
    let line_interpreter = script.commands().next().map(|c| c.program().to_string());
    bodies.push(RunBody { origin: BodyOrigin::ShellForm, text: full, interpreter: None, script });
    for doc in &ins.heredocs {
        let content = doc.effective_content();
        if feeds_shell {
            let script = ShellScript::parse(&content, &ShellKind::default());
            bodies.push(RunBody { origin: BodyOrigin::Heredoc { name: doc.name.clone() }, text: content, interpreter: None, script });
        } else {
            bodies.push(RunBody {
                origin: BodyOrigin::Heredoc { name: doc.name.clone() },
                text: content,
                interpreter: line_interpreter.clone(),
                script: ShellScript::default(),
            });
        }
    }
    bodies
}

/// Whether a RUN line is nothing but heredoc markers (`<<EOF`, `<<-"EOF"`, `<<A <<B`).
fn only_heredoc_markers(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    !words.is_empty() && words.iter().all(|w| w.starts_with("<<") || w.trim_start_matches(|c: char| c.is_ascii_digit()).starts_with("<<"))
}

/// `#!/usr/bin/env python3` gives `python3`; `#!/bin/bash -e` gives `bash`.
fn shebang_interpreter(content: &str) -> Option<String> {
    let first = content.lines().next()?.strip_prefix("#!")?;
    let mut words = first.split_whitespace();
    let prog = words.next()?;
    let base = prog.rsplit('/').next().unwrap_or(prog);
    if base == "env" {
        return words.find(|w| !w.starts_with('-')).map(str::to_string);
    }
    Some(base.to_string())
}

impl ShellScript {
    /// The script of an exec-form RUN: the argv is one command (wrappers and `sh -c` followed).
    pub fn from_argv(argv: &[String]) -> ShellScript {
        let mut script = ShellScript::default();
        if let Some((name, args)) = argv.split_first() {
            let cmd = SimpleCommand {
                name: name.clone(),
                args: args.to_vec(),
                assignments: Vec::new(),
                wrappers: Vec::new(),
                in_pipeline: false,
                span: Span::new(0, argv.iter().map(|a| a.len() + 1).sum::<usize>().saturating_sub(1)),
            };
            script.push_unwrapped(cmd, 0);
        }
        script
    }
}

/// The text a shell reads for `RUN cmd <<EOF ...`: the instruction line, then each heredoc body
/// and its terminator, as they stand in the file.
pub fn line_with_heredocs(line: &str, heredocs: &[dockstage_syntax::Heredoc]) -> String {
    let mut full = String::from(line);
    for doc in heredocs {
        full.push('\n');
        full.push_str(&doc.content);
        if !doc.content.ends_with('\n') && !doc.content.is_empty() {
            full.push('\n');
        }
        full.push_str(&doc.name);
    }
    full.push('\n');
    full
}
