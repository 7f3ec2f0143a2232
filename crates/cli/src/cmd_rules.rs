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
            let docs = r.meta().docs();
            let mut text = with_fix_line(&docs, r.meta().fix_label());
            if let Some(fixed) = fixed_example(r.meta().id, &docs) {
                text.push_str(&format!("\n## Fixed\n\nThe Bad example after `dockstage lint --fix --unsafe-fixes --fix-only {}`:\n\n```dockerfile\n{fixed}```\n", r.meta().id));
            }
            emit(&text)
        }
        None => Err(format!("no rule {:?}; `dockstage rules` lists them", args.id).into()),
    }
}

/// The docs with `Fix: safe|unsafe|none` after the severity line.
fn with_fix_line(docs: &str, label: &str) -> String {
    let mut out = String::with_capacity(docs.len() + 16);
    let mut done = false;
    for line in docs.split_inclusive('\n') {
        out.push_str(line);
        if !done && line.starts_with("Severity:") {
            out.push_str(&format!("\nFix: {label}\n"));
            done = true;
        }
    }
    if !done {
        out.push_str(&format!("\nFix: {label}\n"));
    }
    out
}

/// The rule's Bad example with the rule's own fixes applied, computed rather than written so it
/// cannot drift from what `--fix` does; `None` when nothing changes.
fn fixed_example(id: &str, docs: &str) -> Option<String> {
    let bad = docs.split("## Bad").nth(1)?;
    let block = bad.split("```dockerfile\n").nth(1)?.split("```").next()?;
    let opts = dockstage_lint::fix::FixOptions { unsafe_fixes: true, only: vec![id.to_string()] };
    let out = dockstage_lint::fix::fix_source("Dockerfile", block, &dockstage_lint::Config::default(), Default::default(), &opts);
    (out.fixed != block).then_some(out.fixed)
}

fn emit(text: &str) -> Result<ExitCode, Box<dyn Error>> {
    crate::output::OutputArgs::default().emit(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
