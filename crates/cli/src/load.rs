//! Loading a Dockerfile into the stage model, with errors that say where.

use std::path::{Path, PathBuf};

use dockstage_model::{Build, TargetPlan};
use dockstage_report::BuildSetup;
use dockstage_syntax::{Dockerfile, Keyword};

use crate::input::read_source;

pub struct Loaded {
    pub dockerfile: Dockerfile,
    pub source: String,
    pub build: Build,
    pub plan: TargetPlan,
    pub setup: BuildSetup,
}

pub fn load(path: &str, target: Option<&str>) -> Result<Loaded, String> {
    let source = read_source(path)?;
    let at = |line: usize, column: usize, msg: &str| {
        if line == 0 {
            format!("{}: {msg}", source.name)
        } else {
            format!("{}:{line}:{column}: {msg}", source.name)
        }
    };
    if source.text.trim().is_empty() {
        return Err(at(0, 0, "empty file: not a Dockerfile"));
    }
    let df = dockstage_syntax::parse(&source.text).map_err(|e| at(e.line, e.column, &e.message))?;
    let build = Build::from_dockerfile(&df).map_err(|e| at(e.line, e.column, &e.message))?;
    let plan = build.target(target).map_err(|e| at(e.line, e.column, &e.message))?;
    let setup = setup_for(path, &source.name, &df);
    Ok(Loaded { dockerfile: df, source: source.text, build, plan, setup })
}

/// Where the file is most likely built from: the nearest directory, starting at the
/// Dockerfile's own, in which every plain COPY/ADD source exists. Falls back to the
/// Dockerfile's directory.
fn setup_for(path: &str, name: &str, df: &Dockerfile) -> BuildSetup {
    if path == "-" {
        return BuildSetup { file: name.to_string(), dockerfile_flag: Some("-".into()), context: ".".into(), image: "app".into() };
    }
    let file = Path::new(path);
    let dir = file.parent().filter(|p| !p.as_os_str().is_empty()).map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    let sources: Vec<&str> = df
        .instructions
        .iter()
        .filter(|i| matches!(i.kind, Keyword::Copy | Keyword::Add) && i.flag("from").is_none() && i.heredocs.is_empty())
        .flat_map(|i| i.args.split_last().map(|(_, s)| s).unwrap_or(&[]))
        .map(String::as_str)
        .filter(|s| !s.contains(['*', '?', '[', '$']) && !s.contains("://"))
        .collect();
    let mut context = dir.clone();
    let mut candidate = Some(dir.as_path());
    for _ in 0..3 {
        let Some(c) = candidate else { break };
        let c = if c.as_os_str().is_empty() { Path::new(".") } else { c };
        if sources.iter().all(|s| c.join(s).exists()) {
            context = c.to_path_buf();
            break;
        }
        candidate = if c == Path::new(".") { None } else { c.parent() };
    }
    let default_file = context.join("Dockerfile");
    let dockerfile_flag = if default_file == file { None } else { Some(path.to_string()) };
    let abs = std::fs::canonicalize(&context).unwrap_or_else(|_| context.clone());
    let mut image = abs.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "app".into());
    let fname = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let variant = fname.strip_prefix("Dockerfile.").or_else(|| fname.strip_suffix(".Dockerfile").or_else(|| fname.strip_suffix(".dockerfile")));
    if let Some(v) = variant {
        image = format!("{image}-{v}");
    } else if dir != context {
        // e.g. bert-classifier/multistage/Dockerfile: name it after both directories.
        if let Some(d) = dir.file_name() {
            image = format!("{image}-{}", d.to_string_lossy());
        }
    }
    let image: String = image
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '-' })
        .collect();
    BuildSetup { file: name.to_string(), dockerfile_flag, context: context.to_string_lossy().to_string(), image }
}

/// Terminal width: `COLUMNS`, else the terminal's, else 80.
pub fn terminal_width() -> usize {
    if let Some(w) = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok()).filter(|&w| w >= 20) {
        return w;
    }
    80
}

/// Colour as `--color`, NO_COLOR and CLICOLOR_FORCE say; `-o FILE` is not a terminal.
pub fn use_color(to_file: bool) -> bool {
    crate::term::color_stdout(to_file)
}
