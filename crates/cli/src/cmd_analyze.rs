//! `dockstage analyze`: stages, flow, best practices, size and commands for one Dockerfile.

use std::io::Write;
use std::process::ExitCode;

use crate::load::{load, terminal_width, use_color};
use dockstage_report::text::TextOptions;

#[derive(clap::Args)]
pub struct Args {
    /// Stage to analyze as the final image (default: the last stage).
    #[arg(long)]
    target: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Plain ASCII instead of box drawing.
    #[arg(long)]
    ascii: bool,
    /// The Dockerfile; `-` reads standard input.
    file: String,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
    Markdown,
}

pub fn run(args: Args) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let loaded = load(&args.file, args.target.as_deref())?;
    let analysis = dockstage_report::analyze(&loaded.build, &loaded.plan, &loaded.setup);
    let out = match args.format {
        Format::Text => dockstage_report::text::render(&analysis, &TextOptions { width: terminal_width(), ascii: args.ascii, color: use_color() }),
        Format::Json => dockstage_report::render_json(&analysis),
        Format::Markdown => dockstage_report::markdown::render(&analysis),
    };
    std::io::stdout().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
