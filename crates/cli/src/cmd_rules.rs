//! `dockstage rules` lists the lint rules; `dockstage rule ID` prints one rule's documentation.

use std::error::Error;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ListArgs {
    /// Print as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub struct ShowArgs {
    /// A rule id, e.g. DL3006 or JSONArgsRecommended.
    id: String,
}

pub fn list(args: ListArgs) -> Result<ExitCode, Box<dyn Error>> {
    let rules = dockstage_lint::registry();
    let mut out = String::new();
    if args.json {
        let items: Vec<_> = rules
            .iter()
            .map(|r| {
                let m = r.meta();
                serde_json::json!({"id": m.id, "name": m.name, "severity": m.severity, "origin": m.origin, "summary": m.summary})
            })
            .collect();
        out = serde_json::to_string_pretty(&items)? + "\n";
        return emit(&out);
    }
    for r in rules {
        let m = r.meta();
        let sev = if m.severity == dockstage_lint::Severity::Ignore { "off".to_string() } else { m.severity.to_string() };
        out.push_str(&format!("{:<32} {:<8} {}\n", m.id, sev, m.summary));
    }
    emit(&out)
}

pub fn show(args: ShowArgs) -> Result<ExitCode, Box<dyn Error>> {
    match dockstage_lint::find_rule(&args.id) {
        Some(r) => {
            emit(&r.meta().docs())
        }
        None => Err(format!("no rule {:?}; `dockstage rules` lists them", args.id).into()),
    }
}

fn emit(text: &str) -> Result<ExitCode, Box<dyn Error>> {
    crate::output::OutputArgs::default().emit(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
