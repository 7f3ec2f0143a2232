//! hadolint's `json`: one array of `{code, column, file, level, line, message}`.

use std::io::{self, Write};

use dockstage_lint::FileReport;
use serde_json::json;

pub fn render(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let items: Vec<_> = reports
        .iter()
        .flat_map(|r| {
            r.findings.iter().map(move |f| {
                let mut item = json!({"code": f.rule, "column": f.column, "file": r.file, "level": f.severity.as_str(), "line": f.line, "message": f.message});
                if let Some(fix) = &f.fix {
                    item["fix"] = fix_json(&r.source, fix);
                }
                item
            })
        })
        .collect();
    serde_json::to_writer(&mut *out, &items)?;
    writeln!(out)
}

/// A fix as `{"safety", "title", "edits": [{"start": {"line", "column"}, "end", "content"}]}`,
/// positions 1-based, columns in characters.
pub fn fix_json(source: &str, fix: &dockstage_lint::fix::Fix) -> serde_json::Value {
    let edits: Vec<_> = fix
        .edits
        .iter()
        .map(|e| {
            let (sl, sc) = position(source, e.span.start);
            let (el, ec) = position(source, e.span.end);
            json!({"start": {"line": sl, "column": sc}, "end": {"line": el, "column": ec}, "content": e.content})
        })
        .collect();
    let files: Vec<_> = fix.new_files.iter().map(|f| json!({"path": f.path, "content": f.content})).collect();
    let mut v = json!({"safety": fix.applicability, "title": fix.title, "edits": edits});
    if !files.is_empty() {
        v["new_files"] = json!(files);
    }
    v
}

/// The 1-based line and character column of a byte offset.
pub fn position(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..offset];
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
}
