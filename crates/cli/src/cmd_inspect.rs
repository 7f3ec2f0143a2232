//! `dockstage inspect IMAGE`: what is really in an image, and CI thresholds (dive-compatible).
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use dockstage_image::ci::Rules;
use dockstage_image::{dockerfile_map, render, AnalyzeOptions, ReadOptions};

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    /// One self-contained HTML page: charts, treemap, tables.
    Html,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// Image: a docker-archive or oci-archive tarball, an OCI layout directory (oci:DIR), an
    /// image in a registry (docker://HOST[:PORT]/NAME[:TAG|@DIGEST]), or a name in the engine
    /// at DOCKER_HOST (docker-daemon:NAME, or any name that is not a path).
    pub image: String,
    /// The Dockerfile that built the image: layers are mapped to its instructions and lines.
    #[arg(long, value_name = "FILE")]
    pub dockerfile: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Check CI thresholds (dive's rules); exit code 1 when one fails. Implied by any threshold flag.
    #[arg(long)]
    pub ci: bool,
    /// dive-style rules file; read when it exists (default .dive-ci).
    #[arg(long, value_name = "FILE", default_value = ".dive-ci")]
    pub ci_config: PathBuf,
    /// Lowest allowed efficiency, a ratio 0-1 (default 0.9), or "disabled".
    #[arg(long, value_name = "RATIO")]
    pub lowest_efficiency: Option<String>,
    /// Highest allowed wasted bytes, e.g. 20MB or 1.5GiB (default disabled).
    #[arg(long, value_name = "SIZE")]
    pub highest_wasted_bytes: Option<String>,
    /// Highest allowed wasted/user bytes, a ratio 0-1 (default 0.1), or "disabled".
    #[arg(long, value_name = "RATIO")]
    pub highest_user_wasted_percent: Option<String>,
    /// How many entries the biggest-file and similar lists show.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    #[command(flatten)]
    pub registry: crate::registry_args::RegistryArgs,
    #[command(flatten)]
    pub out: crate::output::OutputArgs,
}

/// A progress bar on stderr while layers are read, only on a terminal and for big sources.
pub(crate) struct ProgressBar(Option<indicatif::ProgressBar>);

impl ProgressBar {
    pub(crate) fn for_source(spec: &str) -> ProgressBar {
        if crate::term::quiet() || !std::io::stderr().is_terminal() {
            return ProgressBar(None);
        }
        if spec.starts_with("docker://") {
            // The total is not known before the manifest is read: bytes and rate only.
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} downloading layers {binary_bytes} {binary_bytes_per_sec} {elapsed}",
                )
                .expect("valid template"),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
            return ProgressBar(Some(bar));
        }
        let total = source_bytes(spec);
        if total < 64 << 20 {
            return ProgressBar(None);
        }
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} reading layers {bar:30} {binary_bytes}/{binary_total_bytes} {elapsed}",
            )
            .expect("valid template"),
        );
        ProgressBar(Some(bar))
    }
    pub(crate) fn inc(&self, n: u64) {
        if let Some(b) = &self.0 {
            b.inc(n);
        }
    }
    pub(crate) fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

/// Bytes a file-system source holds (0 for an engine): what the reading progress counts to.
pub(crate) fn source_bytes(spec: &str) -> u64 {
    let path = std::path::Path::new(
        spec.split_once(':')
            .filter(|(p, _)| p.contains("archive") || *p == "oci")
            .map_or(spec, |(_, r)| r),
    );
    if path.is_dir() {
        dir_size(&path.join("blobs"))
    } else {
        std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
    }
}

fn dir_size(p: &std::path::Path) -> u64 {
    let Ok(rd) = std::fs::read_dir(p) else {
        return 0;
    };
    rd.flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// Resolves the CI rules: flags beat the rules file, which beats dive's defaults.
fn ci_rules(args: &InspectArgs) -> Result<Option<Rules>, String> {
    let flags = args.lowest_efficiency.is_some()
        || args.highest_wasted_bytes.is_some()
        || args.highest_user_wasted_percent.is_some();
    if !args.ci && !flags {
        return Ok(None);
    }
    let mut rules = if args.ci_config.exists() {
        let text = std::fs::read_to_string(&args.ci_config)
            .map_err(|e| format!("{}: {e}", args.ci_config.display()))?;
        Rules::from_dive_ci(&text, &args.ci_config.display().to_string())?
    } else {
        Rules::default()
    };
    if let Some(v) = &args.lowest_efficiency {
        rules.lowest_efficiency = v.clone();
    }
    if let Some(v) = &args.highest_wasted_bytes {
        rules.highest_wasted_bytes = v.clone();
    }
    if let Some(v) = &args.highest_user_wasted_percent {
        rules.highest_user_wasted_percent = v.clone();
    }
    rules.validate().map_err(|e| format!("CI rule {e}"))?;
    Ok(Some(rules))
}

pub fn run(args: InspectArgs) -> ExitCode {
    let rules = match ci_rules(&args) {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    let instructions = match &args.dockerfile {
        Some(p) => match std::fs::read_to_string(p) {
            Ok(t) => match dockstage_syntax::parse(&t) {
                Ok(df) => Some(dockerfile_map::instructions(&df)),
                Err(e) => return fail(&format!("{}:{e}", p.display())),
            },
            Err(e) => return fail(&format!("{}: {e}", p.display())),
        },
        None => None,
    };
    let bar = ProgressBar::for_source(&args.image);
    let progress = |n: u64| bar.inc(n);
    let registry = args.registry.options();
    let opts = ReadOptions {
        progress: Some(&progress),
        registry: Some(&registry),
        ..Default::default()
    };
    let result =
        dockstage_image::analyze_source(&args.image, &opts, &AnalyzeOptions { top: args.top });
    bar.finish();
    let (mut analysis, tree) = match result {
        Ok(r) => r,
        Err(e) => return fail(&e.to_string()),
    };
    if let Some(ins) = &instructions {
        dockerfile_map::map_layers(&mut analysis, ins);
    }
    let ci = rules.map(|r| r.evaluate(&analysis));
    let out = match args.format {
        Format::Text => render::inspect_text(&analysis, ci.as_ref()),
        Format::Json => render::inspect_json(&analysis, ci.as_ref()),
        Format::Html => crate::html::inspect_page(&analysis, &tree),
    };
    if let Err(e) = args.out.emit(out.as_bytes()) {
        return fail(&e.to_string());
    }
    match ci {
        Some(c) if !c.pass => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    }
}

pub(crate) fn fail(msg: &str) -> ExitCode {
    eprintln!("dockstage: {msg}");
    ExitCode::from(2)
}
