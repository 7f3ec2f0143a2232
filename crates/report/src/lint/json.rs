//! hadolint's `json`: one array of `{code, column, file, level, line, message}`.

use std::io::{self, Write};

use dockstage_lint::FileReport;
use serde_json::json;

pub fn render(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let items: Vec<_> = reports
        .iter()
        .flat_map(|r| {
            r.findings.iter().map(move |f| {
                json!({"code": f.rule, "column": f.column, "file": r.file, "level": f.severity.as_str(), "line": f.line, "message": f.message})
            })
        })
        .collect();
    serde_json::to_writer(&mut *out, &items)?;
    writeln!(out)
}
