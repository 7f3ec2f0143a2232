//! `dockstage lsp`: the language server on standard input and output (see `dockstage-lsp`).

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Accepted for editors that pass it; stdio is the only transport.
    #[arg(long)]
    stdio: bool,
}

pub fn run(_args: Args) -> Result<ExitCode, Box<dyn std::error::Error>> {
    dockstage_lsp::run_stdio()?;
    Ok(ExitCode::SUCCESS)
}
