//! The `dockstage` command-line tool.
use clap::Parser;

#[derive(Parser)]
#[command(name = "dockstage", version, about = "Read container builds the way BuildKit does")]
enum Cli {}

fn main() {
    let _ = Cli::parse();
}
