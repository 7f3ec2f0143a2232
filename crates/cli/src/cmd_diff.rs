//! `dockstage diff A B`: two images' sizes, layers and the files only one side ships.
use std::process::ExitCode;

use clap::Args;
use dockstage_image::{diff, render, AnalyzeOptions, ReadOptions};

use crate::cmd_inspect::{fail, Format, ProgressBar};

#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The image to compare from (e.g. the single-stage build).
    pub a: String,
    /// The image to compare to (e.g. the multi-stage build).
    pub b: String,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    #[command(flatten)]
    pub registry: crate::registry_args::RegistryArgs,
    #[command(flatten)]
    pub out: crate::output::OutputArgs,
}

pub fn run(args: DiffArgs) -> ExitCode {
    let opts = AnalyzeOptions { top: args.top };
    let registry = args.registry.options();
    let mut sides = Vec::new();
    for spec in [&args.a, &args.b] {
        let bar = ProgressBar::for_source(spec);
        let progress = |n: u64| bar.inc(n);
        let result = dockstage_image::analyze_source(
            spec,
            &ReadOptions {
                progress: Some(&progress),
                registry: Some(&registry),
                ..Default::default()
            },
            &opts,
        );
        bar.finish();
        match result {
            Ok(side) => sides.push(side),
            Err(e) => return fail(&e.to_string()),
        }
    }
    let (b, tb) = sides.pop().expect("two sides");
    let (a, ta) = sides.pop().expect("two sides");
    let d = diff::diff(&a, &ta, &b, &tb, args.top);
    let out = match args.format {
        Format::Text => render::diff_text(&d),
        Format::Json => render::diff_json(&d),
        Format::Html => crate::html::diff_page(&a, &ta, &b, &tb),
    };
    match args.out.emit(out.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e.to_string()),
    }
}
