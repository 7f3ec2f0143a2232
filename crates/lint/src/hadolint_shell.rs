//! RUN instructions read the way hadolint reads them, for the `DL` shell rules.
//!
//! hadolint hands the text of every RUN to ShellCheck's bash parser and looks at the simple
//! commands it finds, as written: the command name is compared exactly (`apt-get`, not
//! `/usr/bin/apt-get`), `sudo apt-get ...` is a command named `sudo`, and the script of
//! `sh -c '...'` is just an argument. A RUN that ShellCheck cannot parse has no commands at all.
//! dockstage parses with tree-sitter-bash in its as-written mode ([`ShellScript::parse_as_written`])
//! and treats a RUN with a syntax error the same way. The `DS` rules read deeper, through wrappers.

use dockstage_model::shell::{ShellScript, SimpleCommand};
use dockstage_syntax::{Instruction, Keyword};

use crate::context::Context;

/// One RUN (or `ONBUILD RUN`) as hadolint sees it.
pub struct HadolintRun<'a> {
    /// The instruction as written: the `ONBUILD` for `ONBUILD RUN`; findings go on its line.
    pub outer: &'a Instruction,
    /// The RUN itself.
    pub run: &'a Instruction,
    /// The text hadolint parses: the shell-form line, the exec-form words joined by spaces, or
    /// the script of a `RUN <<EOF` heredoc.
    pub text: String,
    /// The commands; empty when the text does not parse.
    pub script: ShellScript,
}

impl HadolintRun<'_> {
    pub fn is_onbuild(&self) -> bool {
        self.outer.kind == Keyword::Onbuild
    }

    /// The simple commands in source order (commands in `$(...)` included).
    pub fn commands(&self) -> impl Iterator<Item = &SimpleCommand> {
        self.script.commands()
    }

    pub fn any(&self, f: impl Fn(&SimpleCommand) -> bool) -> bool {
        self.script.commands().any(f)
    }

    pub fn position(&self, f: impl Fn(&SimpleCommand) -> bool) -> Option<usize> {
        self.script.commands().position(f)
    }

    /// Whether the first command matching `install` comes before any matching `clean` (hadolint's
    /// "clean missing after install" shape); false when nothing installs.
    pub fn install_not_cleaned(&self, install: impl Fn(&SimpleCommand) -> bool, clean: impl Fn(&SimpleCommand) -> bool) -> bool {
        match (self.position(install), self.position(clean)) {
            (None, _) => false,
            (Some(i), Some(c)) => i >= c,
            (Some(_), None) => true,
        }
    }

    /// hadolint's command count (DL3059): ShellCheck's AST holds each simple command twice
    /// (the command and its redirection wrapper), so hadolint counts two per command.
    pub fn hadolint_command_count(&self) -> usize {
        2 * self.script.commands().count()
    }
}

/// Reads every RUN and ONBUILD RUN of a file; `None` for other instructions.
pub fn read_runs(instructions: &[Instruction]) -> Vec<Option<HadolintRun<'_>>> {
    instructions
        .iter()
        .map(|outer| {
            let run = outer.effective();
            (run.kind == Keyword::Run).then(|| {
                let text = run_text(run);
                let parsed = ShellScript::parse_as_written(&text);
                let script = if parsed.has_errors() { ShellScript::default() } else { parsed };
                HadolintRun { outer, run, text, script }
            })
        })
        .collect()
}

fn run_text(run: &Instruction) -> String {
    if run.json {
        return run.args.join(" ");
    }
    let line = run.args.first().map(String::as_str).unwrap_or("");
    if run.heredocs.is_empty() {
        return line.to_string();
    }
    let only_markers = line.split_whitespace().all(|w| w.trim_start_matches(|c: char| c.is_ascii_digit()).starts_with("<<"));
    if only_markers {
        return run.heredocs[0].effective_content();
    }
    dockstage_model::shell::line_with_heredocs(line, &run.heredocs)
}

/// `name` with one of `args` among its arguments (hadolint's `cmdHasArgs`).
pub fn cmd_has_args(c: &SimpleCommand, name: &str, args: &[&str]) -> bool {
    c.name == name && c.args.iter().any(|a| args.contains(&a.as_str()))
}

/// Whether an argument is flags (`-x`, `-xyz`, `--long`); `-` and `--` are not.
fn is_flag_word(a: &str) -> bool {
    a.starts_with('-') && a != "-" && a != "--"
}

/// The flags one argument gives: `--a=b` gives `a`, `-xy` gives `x` and `y`.
fn word_flags(a: &str) -> Vec<&str> {
    if !is_flag_word(a) {
        return Vec::new();
    }
    if let Some(long) = a.strip_prefix("--") {
        return vec![long.split('=').next().unwrap_or(long)];
    }
    let short = &a[1..];
    short.char_indices().map(|(i, c)| &short[i..i + c.len_utf8()]).collect()
}

pub fn count_flag(c: &SimpleCommand, flag: &str) -> usize {
    c.args.iter().map(|a| word_flags(a).iter().filter(|f| **f == flag).count()).sum()
}

pub fn has_flag(c: &SimpleCommand, flag: &str) -> bool {
    count_flag(c, flag) > 0
}

pub fn has_any_flag(c: &SimpleCommand, flags: &[&str]) -> bool {
    c.args.iter().any(|a| word_flags(a).iter().any(|f| flags.contains(f)))
}

pub fn has_arg(c: &SimpleCommand, arg: &str) -> bool {
    c.args.iter().any(|a| a == arg)
}

/// The arguments that are not flags, after dropping the word after each flag in `value_flags`
/// that has no inline `=value` (hadolint's `getArgsNoFlags . dropFlagArg`).
pub fn args_no_flags<'c>(c: &'c SimpleCommand, value_flags: &[&str]) -> Vec<&'c str> {
    let mut dropped = vec![false; c.args.len()];
    for (i, a) in c.args.iter().enumerate() {
        if !a.contains('=') && word_flags(a).iter().any(|f| value_flags.contains(f)) {
            if let Some(d) = dropped.get_mut(i + 1) {
                *d = true;
            }
        }
    }
    c.args.iter().enumerate().filter(|(i, a)| !dropped[*i] && !is_flag_word(a)).map(|(_, a)| a.as_str()).collect()
}

/// The word after each use of `flag` (hadolint's `getFlagArg`).
pub fn flag_args<'c>(c: &'c SimpleCommand, flag: &str) -> Vec<&'c str> {
    c.args.iter().enumerate().filter(|(_, a)| word_flags(a).contains(&flag)).filter_map(|(i, _)| c.args.get(i + 1).map(String::as_str)).collect()
}

/// `install` and the words before it removed (hadolint's `stripInstallPrefix`).
pub fn after_install<'s>(words: &[&'s str]) -> Vec<&'s str> {
    let from = words.iter().position(|w| *w == "install").unwrap_or(words.len());
    words[from..].iter().copied().skip_while(|w| *w == "install").collect()
}

/// hadolint's `hasCacheOrTmpfsMountWith`: a `--mount=type=cache` or `type=tmpfs` whose target
/// contains `fragment`.
pub fn has_cache_mount_with(run: &Instruction, fragment: &str) -> bool {
    dockstage_model::shell::checks::has_cache_mount_with(run, fragment)
}

/// hadolint's `isPipInstall`.
pub fn is_pip_install(c: &SimpleCommand) -> bool {
    let n = c.name.as_str();
    (n.starts_with("pip") && !n.starts_with("pipenv") && has_arg(c, "install"))
        || (n.starts_with("python") && c.has_arg_sequence(&["-m", "pip", "install"]))
}

/// The instruction streams hadolint's stateful rules fold over: the file as written (an `ONBUILD`
/// is its own kind of instruction there), and, for rules that also check ONBUILD triggers, the
/// triggers alone with a state of their own.
pub fn streams(instructions: &[Instruction]) -> [Vec<(usize, &Instruction)>; 2] {
    let main = instructions.iter().enumerate().collect();
    let onbuild = instructions
        .iter()
        .enumerate()
        .filter_map(|(i, ins)| ins.onbuild.as_deref().map(|inner| (i, inner)))
        .collect();
    [main, onbuild]
}

pub fn has_arg_in(c: &SimpleCommand, args: &[&str]) -> bool {
    c.args.iter().any(|a| args.contains(&a.as_str()))
}

/// `$NAME` written as `${NAME}`, the spelling hadolint's argument text has for every variable.
pub fn brace_vars(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 4);
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c != '$' || !chars.peek().is_some_and(|n| n.is_ascii_alphabetic() || *n == '_') {
            continue;
        }
        out.push('{');
        while let Some(n) = chars.peek().copied().filter(|n| n.is_ascii_alphanumeric() || *n == '_') {
            out.push(n);
            chars.next();
        }
        out.push('}');
    }
    out
}

/// A FROM as hadolint compares stages: two FROM lines with the same image, tag, digest, alias and
/// platform are the same stage to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FromKey {
    pub image: crate::image_ref::ImageRef,
    pub alias: Option<String>,
    pub platform: Option<String>,
}

impl FromKey {
    pub fn of(from: &Instruction) -> FromKey {
        FromKey {
            image: crate::image_ref::ImageRef::parse(from.args.first().map(String::as_str).unwrap_or("")),
            alias: from_alias(from),
            platform: from.flag("platform").and_then(|f| f.value.clone()),
        }
    }
}

/// The `AS` name of a FROM, as written.
pub fn from_alias(from: &Instruction) -> Option<String> {
    (from.args.len() >= 3 && from.args[1].eq_ignore_ascii_case("as")).then(|| from.args[2].clone())
}

/// The image name of a FROM reference (no registry, tag or digest), as hadolint keys stages.
pub fn base_name(reference: &str) -> String {
    crate::image_ref::ImageRef::parse(reference).name
}

/// The RUNs for which `forgot` holds, kept only where hadolint reports them: in the last stage of
/// each stream, or in a stage that a later FROM builds on (DL3009, DL3060).
pub fn forgot_in_used_stages<'a>(
    ctx: &Context<'a>,
    forgot: impl Fn(&HadolintRun<'a>) -> bool,
) -> Vec<usize> {
    let mut reported = Vec::new();
    for stream in streams(ctx.instructions()) {
        let mut from: Option<FromKey> = None;
        let mut bases: Vec<String> = Vec::new();
        let mut found: Vec<(usize, Option<FromKey>)> = Vec::new();
        for (i, ins) in stream {
            match ins.kind {
                Keyword::From => {
                    bases.push(base_name(ins.args.first().map(String::as_str).unwrap_or("")));
                    from = Some(FromKey::of(ins));
                }
                Keyword::Run => {
                    if ctx.runs()[i].as_ref().is_some_and(&forgot) {
                        found.push((i, from.clone()));
                    }
                }
                _ => {}
            }
        }
        for (i, stage) in found {
            let used_later = stage.as_ref().and_then(|s| s.alias.as_deref()).is_some_and(|a| bases.iter().any(|b| b == a));
            if stage == from || used_later {
                reported.push(i);
            }
        }
    }
    reported
}

/// The variables hadolint's DL3033/DL3041 accept in a package version: every ARG so far, and the
/// ENVs of the current stage (a stage built `FROM` another starts with that stage's ENVs).
#[derive(Debug, Default)]
pub struct StageVars {
    started: bool,
    stage: usize,
    aliases: std::collections::BTreeMap<usize, String>,
    envs: std::collections::HashMap<usize, std::collections::HashSet<String>>,
    args: std::collections::HashSet<String>,
}

impl StageVars {
    pub fn see(&mut self, ins: &Instruction) {
        match ins.kind {
            Keyword::Env => {
                let keys = ins.key_values().into_iter().map(|(k, _)| k.to_string());
                if !self.started {
                    self.start(0, String::new());
                }
                if let Some(set) = self.envs.get_mut(&self.stage) {
                    set.extend(keys);
                }
            }
            Keyword::Arg => {
                if !self.started {
                    self.start(0, String::new());
                }
                for a in &ins.args {
                    self.args.insert(a.split('=').next().unwrap_or(a).to_string());
                }
            }
            Keyword::From => {
                let alias = from_alias(ins).unwrap_or_default();
                if !self.started {
                    self.start(1, alias);
                    return;
                }
                let image = base_name(ins.args.first().map(String::as_str).unwrap_or(""));
                let parent = self.aliases.iter().find(|(_, a)| **a == image).map(|(i, _)| *i).unwrap_or(self.stage + 1);
                let inherited = self.envs.get(&parent).cloned().unwrap_or_default();
                self.stage += 1;
                self.aliases.insert(self.stage, alias);
                self.envs.insert(self.stage, inherited);
            }
            _ => {}
        }
    }

    fn start(&mut self, stage: usize, alias: String) {
        self.started = true;
        self.stage = stage;
        self.aliases = [(stage, alias)].into();
        self.envs = [(stage, Default::default())].into();
    }

    fn defined_in(&self, package: &str) -> bool {
        let used = |v: &String| package.contains(&format!("${{{v}}}"));
        self.started && (self.envs.get(&self.stage).is_some_and(|s| s.iter().any(used)) || self.args.iter().any(used))
    }

    /// hadolint's `name-version` test for yum/dnf packages.
    pub fn package_version_fixed(&self, package: &str) -> bool {
        let parts: Vec<&str> = package.split('-').collect();
        if parts.len() <= 1 {
            return false;
        }
        if package.ends_with(".rpm") {
            return true;
        }
        if package.contains('$') {
            return self.defined_in(package);
        }
        let version = &parts[1..];
        let valid = |p: &&str| p.chars().all(|c| c.is_ascii_alphanumeric() || ".~^_:+".contains(c));
        version.iter().all(valid) && version.iter().any(|p| p.starts_with(|c: char| c.is_ascii_digit()))
    }
}
