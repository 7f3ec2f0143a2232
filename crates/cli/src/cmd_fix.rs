//! `dockstage lint --fix`: apply the rules' fixes, write each file atomically, report what is left.

use std::error::Error;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dockstage_lint::fix::{fix_source, FixOptions, FixOutcome};
use dockstage_lint::{Config, FileReport, LintOptions};
use dockstage_report::lint::Format;
use rayon::prelude::*;

use crate::input::read_source;

pub fn run(files: &[String], config: &Config, format: Format, only: &[String], unsafe_fixes: bool, diff: bool) -> Result<ExitCode, Box<dyn Error>> {
    let opts = FixOptions { unsafe_fixes, only: only.to_vec() };
    let results: Vec<Result<(String, String, FixOutcome), String>> = files
        .par_iter()
        .map(|path| {
            read_source(path).map(|src| {
                let on_disk = (path != "-").then(|| Path::new(path.as_str()));
                let out = fix_source(&src.name, &src.text, config, LintOptions { path: on_disk, target: None }, &opts);
                (path.clone(), src.text, out)
            })
        })
        .collect();

    let mut failed = false;
    let mut changed_any = false;
    let mut reports: Vec<FileReport> = Vec::new();
    let (mut applied, mut dropped) = (0, 0);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for r in results {
        let (path, original, outcome) = match r {
            Ok(x) => x,
            Err(e) => {
                eprintln!("dockstage: {e}");
                failed = true;
                continue;
            }
        };
        applied += outcome.applied.len();
        dropped += outcome.dropped.len();
        for d in &outcome.dropped {
            eprintln!("dockstage: {}:{}: fix of {} dropped: {}", outcome.remaining.file, d.line, d.rule, d.reason);
        }
        let changed = outcome.changed(&original);
        changed_any |= changed;
        if diff {
            write!(out, "{}", dockstage_report::text_diff::unified_diff(&outcome.remaining.file, &original, &outcome.fixed))?;
            for f in &outcome.new_files {
                let name = new_file_path(&path, &f.path).to_string_lossy().into_owned();
                write!(out, "{}", dockstage_report::text_diff::unified_diff(&name, "", &f.content))?;
            }
        } else if path == "-" {
            out.write_all(outcome.fixed.as_bytes())?;
        } else if changed {
            if let Err(e) = write_outcome(&path, &original, &outcome) {
                eprintln!("dockstage: {e}");
                failed = true;
                continue;
            }
        }
        reports.push(outcome.remaining);
    }
    if diff {
        out.flush()?;
        eprintln!("dockstage: {applied} fix(es) would apply");
        return Ok(if failed || changed_any { ExitCode::from(1) } else { ExitCode::SUCCESS });
    }
    if files.iter().any(|f| f == "-") {
        // The fixed text owns standard output; what remains goes to standard error.
        out.flush()?;
        let mut err = std::io::stderr().lock();
        dockstage_report::lint::render(format, &reports, false, &mut err)?;
    } else {
        dockstage_report::lint::render(format, &reports, false, &mut out)?;
        out.flush()?;
    }
    let remaining: usize = reports.iter().map(|r| r.findings.len()).sum();
    eprintln!("dockstage: fixed {applied} finding(s), {remaining} remaining{}", if dropped > 0 { format!(", {dropped} fix(es) dropped") } else { String::new() });
    if failed || dockstage_lint::is_failure(&reports, config) {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn new_file_path(dockerfile: &str, rel: &Path) -> PathBuf {
    Path::new(dockerfile).parent().unwrap_or(Path::new("")).join(rel)
}

fn write_outcome(path: &str, original: &str, outcome: &FixOutcome) -> Result<(), String> {
    if outcome.fixed != original {
        write_atomic(Path::new(path), outcome.fixed.as_bytes())?;
    }
    for f in &outcome.new_files {
        let target = new_file_path(path, &f.path);
        // A file that appeared meanwhile is the user's: never overwrite it.
        if !target.exists() {
            write_atomic(&target, f.content.as_bytes())?;
        }
    }
    Ok(())
}

/// Writes beside the file, then renames over it, so that a reader (or a crash) sees the old text
/// or the new, never half of one. The file's permissions are kept.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".{name}.dockstage-{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("{}: cannot write: {e}", path.display())
    })
}
