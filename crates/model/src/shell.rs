//! RUN commands read the way a shell reads them.
//!
//! A RUN body is parsed with tree-sitter-bash (see `docs/shell-parser-choice.md` for why), and the
//! tree is flattened into the simple commands the shell would run: through `&&`, `;`, `||`, pipes,
//! subshells, groups, loops and command substitutions, and through the wrappers people put in front
//! of commands (`sudo`, `env VAR=x`, `nice`, `sh -c '...'`). Rules then ask questions of plain
//! [`SimpleCommand`]s instead of matching text.
//!
//! Parsing never fails: tree-sitter recovers from syntax errors, so a RUN with a bash-ism or a typo
//! still yields every command around the broken part; [`ShellScript::has_errors`] says it happened.

mod packages;
pub mod checks;
pub mod ships;
mod run;
mod words;

pub use packages::{Package, PackageManager};
pub use run::{line_with_heredocs, run_bodies, shells_in_force, BodyOrigin, RunBody};

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use dockstage_syntax::Span;
use serde::Serialize;

/// The shell a RUN's shell form is handed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShellKind {
    /// The SHELL argv, `["/bin/sh", "-c"]` by default.
    pub argv: Vec<String>,
}

impl Default for ShellKind {
    fn default() -> Self {
        ShellKind { argv: vec!["/bin/sh".into(), "-c".into()] }
    }
}

impl ShellKind {
    pub fn new(argv: Vec<String>) -> Self {
        ShellKind { argv }
    }

    /// The program's base name: `bash` for `/usr/bin/bash`.
    pub fn program(&self) -> &str {
        let first = self.argv.first().map(String::as_str).unwrap_or("");
        first.rsplit(['/', '\\']).next().unwrap_or(first)
    }

    /// Whether the shell reads POSIX shell syntax; rules that read commands are skipped for
    /// PowerShell and cmd.exe, whose syntax is another language.
    pub fn is_posix(&self) -> bool {
        let p = self.program().to_ascii_lowercase();
        let p = p.strip_suffix(".exe").unwrap_or(&p);
        !matches!(p, "pwsh" | "powershell" | "cmd")
    }

    /// Whether `-o pipefail` is in force (`SHELL ["/bin/bash", "-o", "pipefail", "-c"]`).
    pub fn has_pipefail(&self) -> bool {
        self.argv.windows(2).any(|w| w[0] == "-o" && w[1] == "pipefail")
    }
}

/// One command as the shell would run it, after wrappers are peeled off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SimpleCommand {
    /// The program, unquoted: `apt-get`, `/usr/bin/pip3`.
    pub name: String,
    /// The arguments, unquoted where literal; expansions are kept as written (`$HOME`, `$(nproc)`).
    pub args: Vec<String>,
    /// `VAR=value` prefixes (`DEBIAN_FRONTEND=noninteractive apt-get ...`), and those given to `env`.
    pub assignments: Vec<(String, String)>,
    /// The wrappers this command was found inside, outermost first: `sudo`, `env`, `sh -c` ...
    pub wrappers: Vec<String>,
    /// Whether the command is one stage of a pipeline (`a | b`).
    pub in_pipeline: bool,
    /// Byte range in the text that was parsed (the RUN body); for commands found inside `sh -c`,
    /// the range of the whole `sh -c` command.
    pub span: Span,
}

impl SimpleCommand {
    /// The base name of the program: `pip3` for `/usr/local/bin/pip3`.
    pub fn program(&self) -> &str {
        self.name.rsplit('/').next().unwrap_or(&self.name)
    }

    pub fn is(&self, name: &str) -> bool {
        self.program() == name
    }

    /// The flags, hadolint's way: `--no-cache=x` gives `no-cache`, `-yq` gives `y` and `q`.
    pub fn flags(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for a in &self.args {
            if a == "-" || a == "--" {
                continue;
            }
            if let Some(long) = a.strip_prefix("--") {
                out.push(long.split('=').next().unwrap_or(long));
            } else if let Some(short) = a.strip_prefix('-') {
                for (i, c) in short.char_indices() {
                    out.push(&short[i..i + c.len_utf8()]);
                }
            }
        }
        out
    }

    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags().contains(&flag)
    }

    pub fn has_any_flag(&self, flags: &[&str]) -> bool {
        self.flags().iter().any(|f| flags.contains(f))
    }

    pub fn has_arg(&self, arg: &str) -> bool {
        self.args.iter().any(|a| a == arg)
    }

    /// The arguments that are not flags (flag values are kept: `-u 1000` keeps `1000`).
    pub fn positional(&self) -> impl Iterator<Item = &str> {
        self.args.iter().map(String::as_str).filter(|a| !a.starts_with('-') || *a == "-")
    }

    /// The values given to a flag: `-u 1000` or `--user=1000` or `--user 1000` for `user`/`u`.
    pub fn flag_values(&self, flag: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut it = self.args.iter().peekable();
        while let Some(a) = it.next() {
            let matches = if let Some(long) = a.strip_prefix("--") {
                match long.split_once('=') {
                    Some((k, v)) if k == flag => {
                        out.push(v);
                        false
                    }
                    _ => long == flag,
                }
            } else if let Some(short) = a.strip_prefix('-') {
                short.len() > 0 && short.ends_with(flag) && flag.len() == 1 && !a.starts_with("--")
            } else {
                false
            };
            if matches {
                if let Some(v) = it.peek() {
                    out.push(v.as_str());
                    it.next();
                }
            }
        }
        out
    }

    /// Whether the arguments contain `seq` as consecutive words (`["-m", "pip", "install"]`).
    pub fn has_arg_sequence(&self, seq: &[&str]) -> bool {
        !seq.is_empty() && self.args.windows(seq.len()).any(|w| w.iter().zip(seq).all(|(a, b)| a == b))
    }
}

/// A parsed shell script: its commands, flattened.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ShellScript {
    commands: Vec<SimpleCommand>,
    has_pipes: bool,
    has_errors: bool,
    /// Keep commands as written: no wrapper peeling, no `sh -c` script reading.
    #[serde(skip)]
    as_written: bool,
}

/// How deep `sh -c '...'` is followed; deeper nesting is kept as the `sh` command itself.
const MAX_NESTING: usize = 8;

thread_local! {
    static PARSER: RefCell<Option<tree_sitter::Parser>> = const { RefCell::new(None) };
}

/// Scripts already parsed, by text and mode, for a long-lived process that reads the same file
/// again after every keystroke (the language server): an edit changes one RUN at most, and
/// tree-sitter's parse of the others is most of a lint's time. Off unless turned on with
/// [`remember_parsed_scripts`]; a one-shot command would only fill it.
static PARSED: Mutex<Option<[ScriptsByText; 2]>> = Mutex::new(None);

/// One mode's scripts ([`ShellScript::parse`] at index 0, [`ShellScript::parse_as_written`] at 1).
type ScriptsByText = HashMap<Box<str>, ShellScript>;

/// Whether [`PARSED`] is on, read without its lock: one-shot commands lint files on several
/// threads and must not meet on a lock for every script.
static REMEMBERING: AtomicBool = AtomicBool::new(false);

/// How many scripts [`PARSED`] holds before it starts over: the RUNs of a few large files.
const PARSED_LIMIT: usize = 4096;

/// Turns the memo of parsed scripts on (emptied) or off, for the whole process.
pub fn remember_parsed_scripts(on: bool) {
    *PARSED.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = on.then(Default::default);
    REMEMBERING.store(on, Ordering::Release);
}

fn parse_remembered(text: &str, as_written: bool) -> ShellScript {
    if !REMEMBERING.load(Ordering::Acquire) {
        return ShellScript::parse_text(text, as_written);
    }
    let mode = usize::from(as_written);
    let memo = || PARSED.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(script) = memo().as_ref().and_then(|m| m[mode].get(text)) {
        return script.clone();
    }
    // Parsed outside the lock: another thread may parse the same text meanwhile, which only
    // costs the time.
    let script = ShellScript::parse_text(text, as_written);
    if let Some(m) = memo().as_mut() {
        if m[0].len() + m[1].len() >= PARSED_LIMIT {
            m.iter_mut().for_each(HashMap::clear);
        }
        m[mode].insert(text.into(), script.clone());
    }
    script
}

impl ShellScript {
    /// Parses `text` as a script for `shell`. A non-POSIX shell (PowerShell, cmd) gives an empty
    /// script: there are no POSIX commands to read.
    pub fn parse(text: &str, shell: &ShellKind) -> ShellScript {
        if !shell.is_posix() {
            return ShellScript::default();
        }
        parse_remembered(text, false)
    }

    fn parse_text(text: &str, as_written: bool) -> ShellScript {
        let mut script = ShellScript { as_written, ..ShellScript::default() };
        script.parse_into(text, 0, None, &[]);
        script
    }

    /// Parses `text` as bash and keeps every command as written: `sudo apt-get install x` is one
    /// command named `sudo`, and the script of `sh -c '...'` stays an argument. This is how
    /// hadolint reads RUN (through ShellCheck's parser), so rules that promise hadolint's
    /// semantics use it; the shell in force does not matter, hadolint reads every RUN as bash.
    pub fn parse_as_written(text: &str) -> ShellScript {
        parse_remembered(text, true)
    }

    /// All commands in the order the shell would meet them.
    pub fn commands(&self) -> impl Iterator<Item = &SimpleCommand> {
        self.commands.iter()
    }

    /// Whether any pipeline (`a | b`) appears.
    pub fn has_pipes(&self) -> bool {
        self.has_pipes
    }

    /// Whether the parser had to recover from a syntax error somewhere.
    pub fn has_errors(&self) -> bool {
        self.has_errors
    }

    pub fn any_command(&self, name: &str) -> bool {
        self.commands.iter().any(|c| c.is(name))
    }

    fn parse_into(&mut self, text: &str, depth: usize, outer_span: Option<Span>, wrappers: &[String]) {
        let tree = PARSER.with(|cell| {
            let mut slot = cell.borrow_mut();
            let parser = slot.get_or_insert_with(|| {
                let mut p = tree_sitter::Parser::new();
                // Only fails on an ABI mismatch between the two crates, which the lockfile pins.
                p.set_language(&tree_sitter_bash::LANGUAGE.into()).expect("tree-sitter-bash ABI");
                p
            });
            parser.parse(text, None)
        });
        let Some(tree) = tree else {
            self.has_errors = true;
            return;
        };
        let root = tree.root_node();
        if root.has_error() {
            self.has_errors = true;
        }
        // Depth-first, in source order, with an explicit stack: no recursion on deep input.
        let mut stack = vec![(root, false)];
        while let Some((node, in_pipe)) = stack.pop() {
            let kind = node.kind();
            if kind == "pipeline" {
                self.has_pipes = true;
            }
            let in_pipe = in_pipe || kind == "pipeline";
            if kind == "command" {
                self.add_command(node, text, in_pipe, depth, outer_span, wrappers);
                // Command substitutions inside the words run too.
            }
            let mut cursor = node.walk();
            let children: Vec<_> = node.children(&mut cursor).collect();
            for child in children.into_iter().rev() {
                // A command's own words are handled by add_command; still descend for `$(...)`.
                stack.push((child, in_pipe && child.kind() != "command_substitution"));
            }
        }
    }

    fn add_command(
        &mut self,
        node: tree_sitter::Node,
        text: &str,
        in_pipe: bool,
        depth: usize,
        outer_span: Option<Span>,
        wrappers: &[String],
    ) {
        let src = |n: tree_sitter::Node| text.get(n.byte_range()).unwrap_or("");
        let mut assignments = Vec::new();
        let mut name = None;
        let mut args = Vec::new();
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            match child.kind() {
                "variable_assignment" => {
                    let raw = src(child);
                    let (k, v) = raw.split_once('=').unwrap_or((raw, ""));
                    assignments.push((k.to_string(), words::unquote(v)));
                }
                "command_name" => name = Some(words::unquote(src(child))),
                "file_redirect" | "herestring_redirect" | "heredoc_redirect" | "comment" => {}
                _ if name.is_some() => args.push(words::unquote(src(child))),
                _ => {}
            }
        }
        let Some(name) = name else { return };
        let span = outer_span.unwrap_or(Span::new(node.start_byte(), node.end_byte()));
        let cmd = SimpleCommand {
            name,
            args,
            assignments,
            wrappers: wrappers.to_vec(),
            in_pipeline: in_pipe,
            span,
        };
        self.push_unwrapped(cmd, depth);
    }

    /// Peels wrappers off a command and records what runs.
    fn push_unwrapped(&mut self, mut cmd: SimpleCommand, depth: usize) {
        if self.as_written {
            self.commands.push(cmd);
            return;
        }
        loop {
            match unwrap_once(&cmd) {
                Unwrapped::Command(inner) => cmd = inner,
                Unwrapped::Script { wrapper, script } if depth < MAX_NESTING => {
                    // The wrapper itself still ran; keep it so rules can see `sh -c` was used.
                    let mut wrappers = cmd.wrappers.clone();
                    wrappers.push(wrapper);
                    let span = cmd.span;
                    self.commands.push(cmd);
                    self.parse_into(&script, depth + 1, Some(span), &wrappers);
                    return;
                }
                _ => break,
            }
        }
        self.commands.push(cmd);
    }
}

enum Unwrapped {
    None,
    Command(SimpleCommand),
    Script { wrapper: String, script: String },
}

pub(crate) const POSIX_SHELLS: &[&str] = &["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox-sh"];

fn unwrap_once(cmd: &SimpleCommand) -> Unwrapped {
    let program = cmd.program();
    let args = &cmd.args;
    let inner = |rest: &[String], wrapper: &str, assignments: Vec<(String, String)>| {
        let Some((name, args)) = rest.split_first() else { return Unwrapped::None };
        let mut wrappers = cmd.wrappers.clone();
        wrappers.push(wrapper.to_string());
        let mut all = cmd.assignments.clone();
        all.extend(assignments);
        Unwrapped::Command(SimpleCommand {
            name: name.clone(),
            args: args.to_vec(),
            assignments: all,
            wrappers,
            in_pipeline: cmd.in_pipeline,
            span: cmd.span,
        })
    };
    match program {
        "sudo" | "doas" => {
            // Options that take a value, so the value is not mistaken for the command.
            const WITH_VALUE: &[&str] = &["-u", "-g", "-C", "-h", "-p", "-U", "-r", "-t", "-D", "-R", "-T"];
            let mut i = 0;
            while i < args.len() && args[i].starts_with('-') {
                if args[i] == "--" {
                    i += 1;
                    break;
                }
                i += if WITH_VALUE.contains(&args[i].as_str()) { 2 } else { 1 };
            }
            inner(args.get(i..).unwrap_or(&[]), program, vec![])
        }
        "env" => {
            let mut i = 0;
            let mut assigned = Vec::new();
            while i < args.len() {
                let a = &args[i];
                if a == "-u" || a == "--unset" || a == "-C" || a == "--chdir" || a == "-S" {
                    i += 2;
                } else if a.starts_with('-') {
                    i += 1;
                } else if let Some((k, v)) = a.split_once('=') {
                    assigned.push((k.to_string(), v.to_string()));
                    i += 1;
                } else {
                    break;
                }
            }
            inner(args.get(i..).unwrap_or(&[]), "env", assigned)
        }
        "nice" | "nohup" | "time" | "stdbuf" | "ionice" | "chronic" | "eatmydata" => {
            let mut i = 0;
            while i < args.len() && args[i].starts_with('-') {
                // `nice -n 10 cmd`: the value of -n is a separate word.
                i += if matches!(args[i].as_str(), "-n" | "-c" | "-i" | "-o" | "-e") { 2 } else { 1 };
            }
            inner(args.get(i..).unwrap_or(&[]), program, vec![])
        }
        "exec" | "command" if !args.iter().any(|a| a == "-v" || a == "-V") => {
            let i = args.iter().take_while(|a| a.starts_with('-')).count();
            inner(args.get(i..).unwrap_or(&[]), program, vec![])
        }
        p if POSIX_SHELLS.contains(&p) => {
            // `sh -c 'script'`, `bash -ec 'script'`, `bash -o pipefail -c 'script'`.
            let mut i = 0;
            while i < args.len() {
                let a = &args[i];
                if a == "-o" || a == "+o" {
                    i += 2;
                    continue;
                }
                if a.starts_with('-') && !a.starts_with("--") && a.contains('c') {
                    return match args.get(i + 1) {
                        Some(script) => Unwrapped::Script { wrapper: format!("{p} -c"), script: script.clone() },
                        None => Unwrapped::None,
                    };
                }
                if !a.starts_with('-') && !a.starts_with('+') {
                    break;
                }
                i += 1;
            }
            Unwrapped::None
        }
        _ => Unwrapped::None,
    }
}
