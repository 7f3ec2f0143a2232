//! SARIF 2.1.0, with the rules that fired described in `tool.driver.rules`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use dockstage_lint::{FileReport, Severity};
use serde_json::json;

pub fn render(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let mut rule_index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rules = Vec::new();
    for f in reports.iter().flat_map(|r| &r.findings) {
        if !rule_index.contains_key(f.rule) {
            rule_index.insert(f.rule, rules.len());
            let summary = dockstage_lint::find_rule(f.rule).map(|r| r.meta().summary).unwrap_or("The Dockerfile could not be parsed");
            rules.push(json!({"id": f.rule, "shortDescription": {"text": summary}}));
        }
    }
    let results: Vec<_> = reports
        .iter()
        .flat_map(|r| {
            let rule_index = &rule_index;
            r.findings.iter().map(move |f| {
                let level = match f.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    _ => "note",
                };
                let mut result = json!({
                    "ruleId": f.rule,
                    "ruleIndex": rule_index[f.rule],
                    "level": level,
                    "message": {"text": f.message},
                    "locations": [{"physicalLocation": {
                        "artifactLocation": {"uri": uri(&r.file)},
                        "region": {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line, "sourceLanguage": "dockerfile"}
                    }}]
                });
                if let Some(fix) = f.fix.as_ref().filter(|x| !x.edits.is_empty()) {
                    result["fixes"] = json!([sarif_fix(&r.source, &r.file, fix)]);
                }
                result
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dockstage",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/dockstage/dockstage",
                "rules": rules
            }},
            "results": results
        }]
    });
    serde_json::to_writer(&mut *out, &log)?;
    writeln!(out)
}

/// A relative URI reference for a path: forward slashes, spaces and `%` escaped.
fn uri(path: &str) -> String {
    let p = path.strip_prefix("./").unwrap_or(path).replace('\\', "/");
    let mut out = String::new();
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A SARIF 2.1.0 `fix`: one artifact change whose replacements are the edits (1-based lines
/// and character columns; an empty deleted region is an insertion).
fn sarif_fix(source: &str, file: &str, fix: &dockstage_lint::fix::Fix) -> serde_json::Value {
    let replacements: Vec<_> = fix
        .edits
        .iter()
        .map(|e| {
            let (sl, sc) = super::json::position(source, e.span.start);
            let (el, ec) = super::json::position(source, e.span.end);
            json!({
                "deletedRegion": {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec},
                "insertedContent": {"text": e.content}
            })
        })
        .collect();
    json!({
        "description": {"text": format!("{} ({})", fix.title, fix.applicability.as_str())},
        "artifactChanges": [{"artifactLocation": {"uri": uri(file)}, "replacements": replacements}]
    })
}
