//! `dockstage sbom IMAGE`: a software bill of materials (CycloneDX or SPDX JSON) of the
//! packages installed in an image, each with its package URL.
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use dockstage_image::sbom::{sbom_json, SbomFormat, SbomOptions};
use dockstage_image::{AnalyzeOptions, ReadOptions};

use crate::cmd_inspect::{fail, ProgressBar};

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// CycloneDX 1.5 JSON.
    CyclonedxJson,
    /// SPDX 2.3 JSON (its `created` time is SOURCE_DATE_EPOCH when set).
    SpdxJson,
}

#[derive(Args, Debug)]
pub struct SbomArgs {
    /// Image, as `inspect` takes it: a docker-archive or oci-archive tarball, an OCI layout
    /// directory (oci:DIR), docker://HOST[:PORT]/NAME[:TAG|@DIGEST], or a name in the engine.
    pub image: String,
    #[arg(long, value_enum, default_value_t = Format::CyclonedxJson)]
    pub format: Format,
    #[command(flatten)]
    pub registry: crate::registry_args::RegistryArgs,
    #[command(flatten)]
    pub out: crate::output::OutputArgs,
}

pub fn run(args: SbomArgs) -> ExitCode {
    let bar = ProgressBar::for_source(&args.image);
    let progress = |n: u64| bar.inc(n);
    let registry = args.registry.options();
    let opts = ReadOptions {
        progress: Some(&progress),
        registry: Some(&registry),
        ..Default::default()
    };
    let result = dockstage_image::analyze_source(&args.image, &opts, &AnalyzeOptions::default());
    bar.finish();
    let analysis = match result {
        Ok((a, _)) => a,
        Err(e) => return fail(&e.to_string()),
    };
    let format = match args.format {
        Format::CyclonedxJson => SbomFormat::CycloneDxJson,
        Format::SpdxJson => SbomFormat::SpdxJson,
    };
    let out = sbom_json(&analysis, format, &SbomOptions::from_env());
    match args.out.emit(out.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e.to_string()),
    }
}
