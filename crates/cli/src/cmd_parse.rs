//! `dockstage parse`: BuildKit's view of each instruction, for scripts and for comparing with
//! BuildKit itself.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use crate::input::read_source;
use dockstage_syntax::legacy::{self, Command};

#[derive(clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Dockerfiles to parse; `-` reads standard input.
    #[arg(required = true)]
    files: Vec<String>,
    #[command(flatten)]
    out: crate::output::OutputArgs,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Serialize)]
struct FileReport {
    file: String,
    instructions: Vec<Command>,
    error: Option<ErrorReport>,
}

#[derive(Serialize)]
struct ErrorReport {
    line: usize,
    column: usize,
    message: String,
}

pub fn run(args: Args) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let mut reports = Vec::new();
    for path in &args.files {
        let report = match read_source(path) {
            Err(message) => FileReport { file: path.clone(), instructions: Vec::new(), error: Some(ErrorReport { line: 0, column: 0, message }) },
            Ok(source) => match dockstage_syntax::parse(&source.text) {
                Ok(df) => FileReport { file: source.name, instructions: legacy::commands(&df), error: None },
                Err(e) => FileReport {
                    file: source.name,
                    instructions: Vec::new(),
                    error: Some(ErrorReport { line: e.line, column: e.column, message: e.message }),
                },
            },
        };
        reports.push(report);
    }

    let mut out = Vec::new();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &reports)?;
            out.push(b'\n');
        }
        Format::Text => {
            for r in &reports {
                if r.error.is_some() {
                    continue;
                }
                if reports.len() > 1 {
                    writeln!(out, "==> {} <==", r.file)?;
                }
                for c in &r.instructions {
                    let lines = if c.start_line == c.end_line { c.start_line.to_string() } else { format!("{}-{}", c.start_line, c.end_line) };
                    let sub = c.sub_cmd.as_deref().map(|s| format!(" {s}")).unwrap_or_default();
                    let flags = if c.flags.is_empty() { String::new() } else { format!(" {}", c.flags.join(" ")) };
                    let form = if c.json { " (json)" } else { "" };
                    let values: Vec<String> = c.value.iter().map(|v| dockstage_syntax::words::go_quote(v)).collect();
                    writeln!(out, "{lines:>7}  {}{sub}{flags}{form} {}", c.cmd.to_uppercase(), values.join(" "))?;
                    for h in &c.heredocs {
                        writeln!(out, "{:>7}  <<{} ({} bytes)", "", h.name, h.content.len())?;
                    }
                }
            }
        }
    }
    args.out.emit(&out)?;

    let mut failed = false;
    for r in &reports {
        if let Some(e) = &r.error {
            failed = true;
            if e.line == 0 {
                eprintln!("dockstage: {}", e.message);
            } else {
                eprintln!("dockstage: {}:{}:{}: {}", r.file, e.line, e.column, e.message);
            }
        }
    }
    Ok(if failed { ExitCode::from(2) } else { ExitCode::SUCCESS })
}

