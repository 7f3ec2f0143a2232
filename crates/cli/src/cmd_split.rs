//! `dockstage split`: rewrite a single-stage Dockerfile into a builder stage and a slim runtime
//! stage. The rewrite itself is `dockstage_split`'s; this prints it or writes it.

use std::error::Error;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::input::read_source;
use crate::output::OutputArgs;

#[derive(clap::Args)]
pub struct Args {
    /// The single-stage Dockerfile (`-` for standard input).
    file: String,
    #[command(flatten)]
    output: OutputArgs,
    /// The runtime stage's base (default: the slim variant of the original base).
    #[arg(long, value_name = "IMAGE")]
    runtime_base: Option<String>,
    /// The builder stage's base (default: the original base).
    #[arg(long, value_name = "IMAGE")]
    builder_base: Option<String>,
    /// The build context, so split can read sources (`import "C"`, `Cargo.lock`) instead of assuming.
    #[arg(long, value_name = "DIR")]
    context: Option<PathBuf>,
    /// text: the rewritten Dockerfile; json: the rewrite with what moved and why.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Build the original and the rewrite with a real engine and compare the images; exit 1 when the proof fails.
    #[arg(long)]
    verify: bool,
    /// The engine --verify builds with: docker, podman or buildah (default: the first found).
    #[arg(long, value_name = "ENGINE", requires = "verify")]
    engine: Option<String>,
}

#[derive(clap::ValueEnum, Clone, Copy)]
enum Format {
    Text,
    Json,
}

pub fn run(args: Args) -> Result<ExitCode, Box<dyn Error>> {
    let src = read_source(&args.file)?;
    // No context unless given: without one, split assumes the safe side (CA certificates kept).
    let options = dockstage_split::SplitOptions { runtime_base: args.runtime_base, builder_base: args.builder_base, context: args.context.clone() };
    let split = match dockstage_split::split(&src.text, &options) {
        Ok(s) => s,
        Err(refusal) => {
            eprintln!("dockstage: {}:{}:{}: {}", src.name, refusal.line, refusal.column, refusal.message);
            return Ok(ExitCode::from(2));
        }
    };
    if args.verify {
        // The rewrite is proven before it is written: built beside the original with a real
        // engine, the two images compared. The report goes to stderr, so stdout (or -o) holds
        // only the Dockerfile, and only when the proof holds.
        if args.file == "-" {
            return Err("--verify needs the Dockerfile as a file (its build context is read from disk)".into());
        }
        let original = std::path::Path::new(&args.file);
        let context = args.context.clone().unwrap_or_else(|| original.parent().map(|d| d.to_path_buf()).filter(|d| !d.as_os_str().is_empty()).unwrap_or_else(|| PathBuf::from(".")));
        let report = dockstage_build::verify_with_engine(original, &split.dockerfile, &context, args.engine.as_deref()).map_err(|e| format!("--verify: {e}"))?;
        eprint!("{}", dockstage_build::render_text(&report));
        if !report.passed() {
            return Ok(ExitCode::from(1));
        }
    }
    let bytes = match args.format {
        Format::Text => split.dockerfile.into_bytes(),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&split)?;
            s.push('\n');
            s.into_bytes()
        }
    };
    args.output.emit(&bytes)?;
    Ok(ExitCode::SUCCESS)
}
