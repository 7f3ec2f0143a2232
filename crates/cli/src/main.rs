//! The `dockstage` command-line tool.
use std::process::ExitCode;

use clap::Parser;

mod cmd_diff;
mod cmd_inspect;

#[derive(Parser)]
#[command(name = "dockstage", version, about = "Read container builds the way BuildKit does")]
enum Cli {
    /// What is really in an image: layers, wasted bytes, efficiency, build leftovers.
    Inspect(cmd_inspect::InspectArgs),
    /// Compare two images: sizes, layers, and what only one of them ships.
    Diff(cmd_diff::DiffArgs),
}

fn main() -> ExitCode {
    match Cli::parse() {
        Cli::Inspect(args) => cmd_inspect::run(args),
        Cli::Diff(args) => cmd_diff::run(args),
    }
}
