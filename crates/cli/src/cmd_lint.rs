//! `dockstage lint`: hadolint-compatible linting, with BuildKit's checks and our own.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dockstage_lint::{Config, FileReport, Severity};
use dockstage_report::lint::Format;
use rayon::prelude::*;

use crate::input::read_source;

#[derive(clap::Args)]
pub struct Args {
    /// Dockerfiles, compose or bake files (their services' Dockerfiles), directories to search
    /// (honouring .gitignore), or `-` for standard input.
    /// (default: the current directory, unless --compose-file is given)
    paths: Vec<String>,
    #[command(flatten)]
    compose: crate::project::ComposeFiles,
    /// Configuration file (default: .hadolint.yaml found the way hadolint finds it).
    #[arg(short, long)]
    config: Option<PathBuf>,
    /// Output format: tty, json, sarif, checkstyle, gitlab, github, junit, gnu.
    #[arg(short, long)]
    format: Option<String>,
    /// Rules to ignore.
    #[arg(long, value_name = "RULE")]
    ignore: Vec<String>,
    /// Report these rules as errors.
    #[arg(long, value_name = "RULE")]
    error: Vec<String>,
    /// Report these rules as warnings.
    #[arg(long, value_name = "RULE")]
    warning: Vec<String>,
    /// Report these rules as info.
    #[arg(long, value_name = "RULE")]
    info: Vec<String>,
    /// Report these rules as style.
    #[arg(long, value_name = "RULE")]
    style: Vec<String>,
    /// Fail only on findings at least this severe: error, warning, info, style, ignore, none.
    #[arg(short = 't', long)]
    failure_threshold: Option<String>,
    /// Always exit 0 when the files could be read.
    #[arg(long)]
    no_fail: bool,
    /// Allowed registries for DL3026 (repeatable; `*` wildcards at either end).
    #[arg(long, value_name = "REGISTRY")]
    trusted_registry: Vec<String>,
    /// Only labels in the schema may be set (DL3050).
    #[arg(long)]
    strict_labels: bool,
    /// Ignore `# hadolint ignore=` pragmas.
    #[arg(long)]
    disable_ignore_pragma: bool,
    /// No colour in tty output (hadolint's flag; the same as `--color never`).
    #[arg(long)]
    no_color: bool,
    /// Apply the safe fixes and write the files (standard input: print the fixed text).
    #[arg(long)]
    fix: bool,
    /// With --fix, apply the unsafe fixes too.
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print the fixes as a unified diff instead of writing them; exit 1 when there are any.
    #[arg(long)]
    diff: bool,
    /// Only fix these rules (implies --fix).
    #[arg(long, value_name = "RULE", num_args = 1..)]
    fix_only: Vec<String>,
    /// A build argument, as `docker build --check --build-arg` takes it: `KEY=VALUE`, or `KEY` to
    /// take the value from the environment (repeatable). `BUILDKIT_DOCKERFILE_CHECK` replaces the
    /// file's `# check=` directive.
    #[arg(long = "build-arg", value_name = "KEY[=VALUE]")]
    build_arg: Vec<String>,
    /// Check for this build target, as `docker build --check --target`: the stages it does not
    /// need are left out of BuildKit's build-time checks, and an unknown target is an error.
    #[arg(long, value_name = "STAGE")]
    target: Option<String>,
    /// The target platform (`os/arch[/variant]`), as `docker build --check --platform`: the value
    /// of TARGETPLATFORM, TARGETOS, TARGETARCH and TARGETVARIANT.
    #[arg(long, value_name = "PLATFORM")]
    platform: Option<String>,
    /// Where to read a base image's configuration for InvalidBaseImagePlatform: `REF=SOURCE`, the
    /// reference as the FROM line names it and an image source (`oci:DIR`, `docker-archive:FILE`,
    /// an engine's image name ...). Repeatable.
    #[arg(long, value_name = "REF=SOURCE")]
    base_image: Vec<String>,
    #[command(flatten)]
    out: crate::output::OutputArgs,
}

pub fn run(args: Args) -> Result<ExitCode, Box<dyn Error>> {
    let mut config = Config::default();
    let config_path = match &args.config {
        Some(p) => Some(p.clone()),
        None => dockstage_lint::config::find_config_file(&std::env::current_dir()?),
    };
    if let Some(path) = config_path {
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        config.apply_yaml(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    config.ignored.extend(args.ignore.iter().cloned());
    for (ids, sev) in [(&args.error, Severity::Error), (&args.warning, Severity::Warning), (&args.info, Severity::Info), (&args.style, Severity::Style)] {
        for id in ids {
            config.overrides.insert(id.clone(), sev);
        }
    }
    if let Some(t) = &args.failure_threshold {
        config.failure_threshold = Severity::parse(t).ok_or_else(|| format!("invalid failure threshold {t:?}"))?;
    }
    config.no_fail |= args.no_fail;
    config.strict_labels |= args.strict_labels;
    config.disable_ignore_pragma |= args.disable_ignore_pragma;
    config.no_color |= args.no_color;
    config.trusted_registries.extend(args.trusted_registry.iter().cloned());
    for arg in &args.build_arg {
        match arg.split_once('=') {
            Some((k, v)) => {
                config.build_args.insert(k.to_string(), v.to_string());
            }
            // docker build takes a bare KEY from the environment, and drops it when unset.
            None => {
                if let Ok(v) = std::env::var(arg) {
                    config.build_args.insert(arg.clone(), v);
                }
            }
        }
    }
    if let Some(p) = &args.platform {
        let parts: Vec<&str> = p.split('/').collect();
        if !(2..=3).contains(&parts.len()) || parts.iter().any(|s| s.is_empty() || !s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))) {
            return Err(format!("invalid --platform {p:?}: expected os/arch[/variant]").into());
        }
        config.platform = Some(p.to_ascii_lowercase());
    }
    for spec in &args.base_image {
        let (reference, source) = spec.split_once('=').ok_or_else(|| format!("invalid --base-image {spec:?}: expected REF=SOURCE"))?;
        config.base_platforms.insert(reference.to_string(), base_image_platform(source)?);
    }
    let format_name = args.format.clone().or(config.format.clone()).unwrap_or_else(|| "tty".into());
    let format = Format::parse(&format_name).ok_or_else(|| format!("unknown format {format_name:?} (one of {})", Format::NAMES.join(", ")))?;

    let files = collect_files(&args.paths, &args.compose)?;
    if args.fix || args.diff || !args.fix_only.is_empty() {
        return crate::cmd_fix::run(&files, &config, format, &args.fix_only, args.unsafe_fixes, args.diff);
    }
    let results: Vec<Result<FileReport, String>> = files
        .par_iter()
        .map(|path| {
            read_source(path).and_then(|src| {
                // Standard input has no directory, so rules that look beside the file stay silent.
                let on_disk = (path != "-").then(|| Path::new(path.as_str()));
                if let Some(target) = &args.target {
                    check_target(&src.name, &src.text, target)?;
                }
                let options = dockstage_lint::LintOptions { path: on_disk, target: args.target.as_deref() };
                Ok(dockstage_lint::lint_source_with(&src.name, &src.text, &config, options))
            })
        })
        .collect();
    // BuildKit reads every base image's configuration; without a source dockstage cannot, and
    // says so when the platform matters (a --platform or --base-image was asked for).
    if args.platform.is_some() || !args.base_image.is_empty() {
        for (path, result) in files.iter().zip(&results) {
            if let Ok(report) = result {
                for image in dockstage_lint::rules::unchecked_base_images(&report.source, &config) {
                    eprintln!("dockstage: {path}: InvalidBaseImagePlatform not checked for {image}: no configuration for it (give --base-image {image}=SOURCE)");
                }
            }
        }
    }
    let mut reports = Vec::with_capacity(results.len());
    let mut read_failed = false;
    for r in results {
        match r {
            Ok(rep) => reports.push(rep),
            Err(e) => {
                eprintln!("dockstage: {e}");
                read_failed = true;
            }
        }
    }
    if format == Format::Tty {
        // Name the services a Dockerfile builds; machine formats keep the plain path.
        let services = project_services(&args.paths, &args.compose);
        for rep in &mut reports {
            if let Some(s) = services.get(&rep.file) {
                for f in &mut rep.findings {
                    f.message = format!("{} [{s}]", f.message);
                }
            }
        }
    }
    let color = format == Format::Tty && !config.no_color && crate::term::color_stdout(args.out.to_file());
    let mut rendered = Vec::new();
    dockstage_report::lint::render(format, &reports, color, &mut rendered)?;
    args.out.emit(&rendered)?;
    if read_failed || dockstage_lint::is_failure(&reports, &config) {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// The platform an image's configuration declares, as `os/arch[/variant]`.
fn base_image_platform(spec: &str) -> Result<String, String> {
    let opened = dockstage_image::open_source(&dockstage_image::Source::parse(spec), &dockstage_image::ReadOptions::default()).map_err(|e| format!("--base-image {spec}: {e}"))?;
    let config = opened.config();
    match (config.os.as_deref(), config.architecture.as_deref()) {
        (Some(os), Some(arch)) if !os.is_empty() && !arch.is_empty() => Ok(format!("{os}/{arch}")),
        _ => Err(format!("--base-image {spec}: the image configuration names no OS and architecture")),
    }
}

/// BuildKit stops with an error when `--target` names no stage; so does lint. A file that does
/// not parse is left to the linter, which reports it.
fn check_target(name: &str, text: &str, target: &str) -> Result<(), String> {
    let Ok(dockerfile) = dockstage_syntax::parse(text) else { return Ok(()) };
    let Ok(build) = dockstage_model::Build::from_dockerfile(&dockerfile) else { return Ok(()) };
    build.target(Some(target)).map(|_| ()).map_err(|e| format!("{name}: {}", e.message))
}

/// Whether a file name is a Dockerfile by convention.
pub fn is_dockerfile_name(name: &str) -> bool {
    if name.ends_with(".dockerignore") {
        return false;
    }
    name == "Dockerfile"
        || name == "Containerfile"
        || name.starts_with("Dockerfile.")
        || name.starts_with("Containerfile.")
        || name.ends_with(".Dockerfile")
        || name.ends_with(".dockerfile")
        || name.ends_with(".Containerfile")
}

/// The paths to read: those given, or the current directory when neither paths nor
/// `--compose-file` are.
fn paths_or_here(paths: &[String], compose: &crate::project::ComposeFiles) -> Vec<String> {
    if paths.is_empty() && compose.compose_file.is_empty() {
        vec![".".into()]
    } else {
        paths.to_vec()
    }
}

/// The compose and bake projects the command line names: the `--compose-file`s (merged), each
/// compose or bake file given, and the one each directory given holds (found as `analyze` finds
/// it). Each comes with the name messages give it.
fn projects(paths: &[String], compose: &crate::project::ComposeFiles) -> Result<Vec<(String, dockstage_project::Project)>, String> {
    let mut out = Vec::new();
    if !compose.compose_file.is_empty() {
        let label = compose.compose_file.iter().map(|f| f.to_string_lossy()).collect::<Vec<_>>().join(" + ");
        out.push((label, crate::project::load(&compose.compose_file)?));
    }
    for p in paths_or_here(paths, compose) {
        if p == "-" || !(Path::new(&p).is_dir() || dockstage_project::is_project_file(Path::new(&p)) && Path::new(&p).is_file()) {
            continue;
        }
        let Some(files) = crate::project::project_files(&p) else { continue };
        let label = files.iter().map(|f| f.to_string_lossy()).collect::<Vec<_>>().join(" + ");
        out.push((label, crate::project::load(&files)?));
    }
    Ok(out)
}

/// For each Dockerfile a compose or bake project on the command line builds: "service a, b of FILE".
fn project_services(paths: &[String], compose: &crate::project::ComposeFiles) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    for (label, project) in projects(paths, compose).unwrap_or_default() {
        for (file, services) in crate::project::dockerfiles(&project) {
            let what = if services.len() == 1 { "service" } else { "services" };
            out.insert(file, format!("{what} {} of {label}", services.join(", ")));
        }
    }
    out
}

/// Files named on the command line are linted as given; compose and bake files stand for the
/// Dockerfiles their services build; a directory stands for the Dockerfiles of the compose or
/// bake project it holds (as `analyze` reads it, so a service's Dockerfile outside the
/// directory is included) and, besides those, every Dockerfile under it, skipping what
/// .gitignore (and .ignore) exclude: a loose Dockerfile no service builds is still read.
/// Each file once; results are sorted per directory so output is stable.
pub fn collect_files(paths: &[String], compose: &crate::project::ComposeFiles) -> Result<Vec<String>, Box<dyn Error>> {
    let mut files: Vec<String> = Vec::new();
    // `./app/Dockerfile` (walked from `.`) and `app/Dockerfile` (a service's) are one file.
    let key = |f: &str| -> String {
        let mut f = f;
        while let Some(rest) = f.strip_prefix("./") {
            f = rest;
        }
        f.to_string()
    };
    let push = |files: &mut Vec<String>, f: String| {
        if !files.iter().any(|e| key(e) == key(&f)) {
            files.push(f);
        }
    };
    if !compose.compose_file.is_empty() {
        let project = crate::project::load(&compose.compose_file)?;
        for (f, _) in crate::project::dockerfiles(&project) {
            push(&mut files, f);
        }
    }
    for p in paths_or_here(paths, compose) {
        if p != "-" && dockstage_project::is_project_file(Path::new(&p)) && Path::new(&p).is_file() {
            let project = crate::project::load(&[Path::new(&p).to_path_buf()])?;
            for (f, _) in crate::project::dockerfiles(&project) {
                push(&mut files, f);
            }
            continue;
        }
        if p == "-" || !Path::new(&p).is_dir() {
            files.push(p.clone());
            continue;
        }
        if let Some(project_files) = crate::project::project_files(&p) {
            let project = crate::project::load(&project_files)?;
            for (f, _) in crate::project::dockerfiles(&project) {
                push(&mut files, f);
            }
        }
        let mut found = Vec::new();
        for entry in ignore::WalkBuilder::new(&p).hidden(false).filter_entry(|e| e.file_name() != ".git").build() {
            let entry = entry?;
            if entry.file_type().is_some_and(|t| t.is_file()) && entry.file_name().to_str().is_some_and(is_dockerfile_name) {
                found.push(entry.path().to_string_lossy().into_owned());
            }
        }
        found.sort();
        for f in found {
            push(&mut files, f);
        }
    }
    Ok(files)
}
