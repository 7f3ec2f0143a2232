//! `dockstage graph`: the stage graph as ASCII boxes, Mermaid or Graphviz DOT.

use std::process::ExitCode;

use crate::load::{load, terminal_width, use_color};
use dockstage_report::text::TextOptions;

#[derive(clap::Args)]
pub struct Args {
    /// Stage to build (default: the last stage); stages it does not need are drawn as skipped.
    #[arg(long)]
    target: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Ascii)]
    format: Format,
    /// With --format ascii: plain ASCII instead of box drawing.
    #[arg(long)]
    ascii: bool,
    /// The Dockerfile, a compose or bake file (or a directory holding one): one graph over all its
    /// services; `-` reads standard input.
    file: Option<String>,
    #[command(flatten)]
    compose: crate::project::ComposeFiles,
    #[command(flatten)]
    out: crate::output::OutputArgs,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Ascii,
    Mermaid,
    Dot,
}

pub fn run(args: Args) -> Result<ExitCode, Box<dyn std::error::Error>> {
    if let Some(files) = crate::project::chosen(args.file.as_deref(), &args.compose)? {
        let project = crate::project::load(&files)?;
        let format = match args.format {
            Format::Ascii => crate::project::GraphFormat::Ascii,
            Format::Mermaid => crate::project::GraphFormat::Mermaid,
            Format::Dot => crate::project::GraphFormat::Dot,
        };
        let out = crate::project::graph_text(&project, format)?;
        args.out.emit(out.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    let loaded = load(args.file.as_deref().unwrap_or("-"), args.target.as_deref())?;
    let analysis = dockstage_report::analyze(&loaded.build, &loaded.plan, &loaded.setup);
    let out = match args.format {
        Format::Ascii => dockstage_report::graph::ascii(&analysis, &TextOptions { width: terminal_width(), ascii: args.ascii, color: use_color(args.out.to_file()) }),
        Format::Mermaid => dockstage_report::graph::mermaid(&analysis),
        Format::Dot => dockstage_report::graph::dot(&analysis),
    };
    args.out.emit(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
