//! `dockstage report FILE [--image A] [--compare B] -o report.html`: the analysis, the lint
//! findings and the measured images on one self-contained HTML page.

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The Dockerfile; `-` reads standard input.
    file: String,
    /// Stage to report on as the final image (default: the last stage).
    #[arg(long)]
    target: Option<String>,
    /// The built image of the target (docker-archive, oci-archive, oci:DIR, docker://registry/name or an engine name).
    #[arg(long, value_name = "IMAGE")]
    image: Option<String>,
    /// Another build of the same app to compare with, side by side.
    #[arg(long, value_name = "IMAGE", requires = "image")]
    compare: Option<String>,
    #[command(flatten)]
    registry: crate::registry_args::RegistryArgs,
    #[command(flatten)]
    out: crate::output::OutputArgs,
}

pub fn run(args: Args) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let report = crate::cmd_analyze::build(&args.file, args.target.as_deref(), args.image.as_deref(), args.compare.as_deref(), &args.registry)?;
    args.out.emit(report.html().as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
