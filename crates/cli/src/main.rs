//! `dockstage`: read container builds the way BuildKit does.

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

mod cmd_analyze;
mod cmd_diff;
mod cmd_explore;
mod cmd_inspect;
mod cmd_graph;
mod cmd_fix;
mod cmd_fmt;
mod cmd_lint;
mod cmd_lsp;
mod cmd_parse;
mod cmd_report;
mod cmd_rules;
mod cmd_sbom;
mod cmd_shell;
mod cmd_split;
mod html;
mod input;
mod load;
mod output;
mod registry_args;
mod project;
mod term;

#[derive(Parser)]
#[command(name = "dockstage", version, about = "Read container builds the way BuildKit does: parse, lint, analyze, inspect")]
#[command(after_help = "Exit codes: 0 success; 1 lint findings at or above the failure threshold, or any lint error \
(as hadolint), or a failed `inspect --ci` rule; 2 any other error; 101 a bug in dockstage.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to colour output: auto (on a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces it), always, never.
    #[arg(long, global = true, value_enum, default_value_t = term::ColorWhen::Auto, value_name = "WHEN")]
    color: term::ColorWhen,
    /// No progress bars, notes or summaries; reports and errors only.
    #[arg(short, long, global = true)]
    quiet: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Parse Dockerfiles and print BuildKit's view of each instruction.
    Parse(cmd_parse::Args),
    /// Stages, the flow between them, best practices, size and build commands.
    Analyze(cmd_analyze::Args),
    /// The stage graph as ASCII, Mermaid or Graphviz DOT.
    Graph(cmd_graph::Args),
    /// Lint Dockerfiles (hadolint-compatible rules, config and output, plus BuildKit's checks).
    Lint(cmd_lint::Args),
    /// Format Dockerfiles (keywords upper case, one space after them); --check for CI.
    Fmt(cmd_fmt::Args),
    /// A language server (LSP over stdio) for editors: diagnostics, fixes, navigation, completion.
    Lsp(cmd_lsp::Args),
    /// List the lint rules.
    Rules(cmd_rules::ListArgs),
    /// Print a lint rule's documentation.
    Rule(cmd_rules::ShowArgs),
    /// What is really in an image: layers, wasted bytes, efficiency, build leftovers, CI rules.
    Inspect(cmd_inspect::InspectArgs),
    /// Compare two images: sizes, layers, and what only one of them ships.
    Diff(cmd_diff::DiffArgs),
    /// A bill of materials (CycloneDX or SPDX JSON) of the packages installed in an image.
    Sbom(cmd_sbom::SbomArgs),
    /// Rewrite a single-stage Dockerfile into a builder stage and a slim runtime stage.
    Split(cmd_split::Args),
    /// Explore an image interactively: layers, each layer's file tree, waste and leftovers.
    Explore(cmd_explore::ExploreArgs),
    /// One self-contained HTML page: stage graph, checks, findings, the Dockerfile, the images.
    Report(cmd_report::Args),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(cmd_shell::CompletionArgs),
    /// Write man pages: dockstage.1 and one per command (dockstage-lint.1, ...).
    Man(cmd_shell::ManArgs),
}

pub(crate) fn command() -> clap::Command {
    Cli::command()
}

fn main() -> ExitCode {
    restore_sigpipe();
    std::panic::set_hook(Box::new(|info| {
        // A user should see one line that says it is our fault, not a backtrace.
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("dockstage: internal error: {what}{at}; please report this with the input that caused it");
    }));
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let color = early_color(&args);
    let cli = match Cli::command().color(term::clap_color(color)).try_get_matches_from(&args) {
        Ok(m) => <Cli as clap::FromArgMatches>::from_arg_matches(&m).expect("matches come from the same definition"),
        Err(e) => {
            let usage_error = e.use_stderr();
            let _ = e.print();
            if !usage_error {
                return ExitCode::SUCCESS; // --help, --version
            }
            // hadolint exits 1 for every error, bad flags included.
            let is_lint = args.iter().skip(1).find(|a| !a.to_string_lossy().starts_with('-')).is_some_and(|a| a == "lint");
            return ExitCode::from(if is_lint { 1 } else { 2 });
        }
    };
    term::init(cli.color, cli.quiet);
    let (result, error_code) = match cli.command {
        Command::Parse(args) => (cmd_parse::run(args), 2),
        Command::Analyze(args) => (cmd_analyze::run(args), 2),
        Command::Graph(args) => (cmd_graph::run(args), 2),
        Command::Lint(args) => (cmd_lint::run(args), 1),
        Command::Fmt(args) => (cmd_fmt::run(args), 1),
        Command::Lsp(args) => (cmd_lsp::run(args), 2),
        Command::Rules(args) => (cmd_rules::list(args), 2),
        Command::Rule(args) => (cmd_rules::show(args), 2),
        Command::Completions(args) => (cmd_shell::completions(args), 2),
        Command::Man(args) => (cmd_shell::man(args), 2),
        Command::Split(args) => (cmd_split::run(args), 2),
        Command::Report(args) => (cmd_report::run(args), 2),
        // These report their own errors: exit 1 is a failed CI rule, 2 an error.
        Command::Inspect(args) => return cmd_inspect::run(args),
        Command::Diff(args) => return cmd_diff::run(args),
        Command::Explore(args) => return cmd_explore::run(args),
        Command::Sbom(args) => return cmd_sbom::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) if is_broken_pipe(err.as_ref()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("dockstage: {err}");
            ExitCode::from(error_code)
        }
    }
}

/// `--color` as given, before parsing, so clap's own errors follow it too.
fn early_color(args: &[std::ffi::OsString]) -> term::ColorWhen {
    let mut when = term::ColorWhen::Auto;
    let mut it = args.iter().map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        let value = if a == "--color" { it.next().map(|v| v.to_string()) } else { a.strip_prefix("--color=").map(str::to_string) };
        match value.as_deref() {
            Some("always") => when = term::ColorWhen::Always,
            Some("never") => when = term::ColorWhen::Never,
            Some("auto") => when = term::ColorWhen::Auto,
            _ => {}
        }
    }
    when
}

fn is_broken_pipe(err: &(dyn std::error::Error + 'static)) -> bool {
    err.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Rust ignores SIGPIPE, so a closed pipe (`dockstage rules | head`) turns every later write into
/// an error, and `println!` into a panic. The default action ends the process quietly instead,
/// as it does `ls`.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is always valid.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
