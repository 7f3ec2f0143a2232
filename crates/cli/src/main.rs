//! `dockstage`: read container builds the way BuildKit does.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd_parse;
mod input;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(args) => cmd_parse::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("dockstage: {err}");
            ExitCode::from(2)
        }
    }
}
