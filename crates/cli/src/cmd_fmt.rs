//! `dockstage fmt`: format Dockerfiles in place, or check (`--check`) or show (`--diff`) what
//! would change.

use std::error::Error;
use std::process::ExitCode;

use crate::input::read_source;

#[derive(clap::Args)]
pub struct Args {
    /// Dockerfiles, compose or bake files (their services' Dockerfiles), directories to search, or
    /// `-` for standard input (formatted to standard output).
    /// (default: the current directory, unless --compose-file is given)
    paths: Vec<String>,
    #[command(flatten)]
    compose: crate::project::ComposeFiles,
    /// Write nothing; list the files that would change and exit 1 if any would.
    #[arg(long)]
    check: bool,
    /// Write nothing; print a unified diff and exit 1 if any file would change.
    #[arg(long)]
    diff: bool,
}

pub fn run(args: Args) -> Result<ExitCode, Box<dyn Error>> {
    let files = crate::cmd_lint::collect_files(&args.paths, &args.compose)?;
    let (mut failed, mut would_change) = (false, false);
    for path in &files {
        let src = match read_source(path) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("dockstage: {e}");
                failed = true;
                continue;
            }
        };
        let formatted = match dockstage_fmt::format(&src.text) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("dockstage: {}:{}:{}: {}", src.name, e.line, e.column, e.message);
                failed = true;
                continue;
            }
        };
        let changed = formatted != src.text;
        would_change |= changed;
        if args.diff {
            print!("{}", dockstage_report::text_diff::unified_diff(&src.name, &src.text, &formatted));
        } else if args.check {
            if changed {
                println!("{}", src.name);
            }
        } else if path == "-" {
            print!("{formatted}");
        } else if changed {
            if let Err(e) = crate::cmd_fix::write_atomic(std::path::Path::new(path), formatted.as_bytes()) {
                eprintln!("dockstage: {e}");
                failed = true;
            }
        }
    }
    let check_failed = (args.check || args.diff) && would_change;
    Ok(if failed || check_failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
