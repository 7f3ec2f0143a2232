//! `dockstage`: read container builds the way BuildKit does.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd_analyze;
mod cmd_diff;
mod cmd_inspect;
mod cmd_graph;
mod cmd_fix;
mod cmd_fmt;
mod cmd_lint;
mod cmd_lsp;
mod cmd_parse;
mod cmd_rules;
mod input;
mod load;

#[derive(Parser)]
#[command(name = "dockstage", version, about = "Read container builds the way BuildKit does: parse, lint, analyze, inspect")]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(args) => cmd_parse::run(args),
        Command::Analyze(args) => cmd_analyze::run(args),
        Command::Graph(args) => cmd_graph::run(args),
        Command::Lint(args) => cmd_lint::run(args),
        Command::Fmt(args) => cmd_fmt::run(args),
        Command::Lsp(args) => cmd_lsp::run(args),
        Command::Rules(args) => cmd_rules::list(args),
        Command::Rule(args) => cmd_rules::show(args),
        // These report their own errors: exit 1 is a failed CI rule, 2 an error.
        Command::Inspect(args) => return cmd_inspect::run(args),
        Command::Diff(args) => return cmd_diff::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("dockstage: {err}");
            ExitCode::from(2)
        }
    }
}
