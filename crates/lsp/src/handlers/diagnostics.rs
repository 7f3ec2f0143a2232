//! Lint findings and parse errors as LSP diagnostics, each with its rule id as the code and a
//! link to the rule's documentation.

use std::collections::HashSet;
use std::path::PathBuf;

use dockstage_lint::{Config, Finding, Severity};
use lsp_types::{CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString, Range, Uri};

use crate::document::Document;

/// The rule documentation as Markdown files on disk (`dockstage rule ID` text), so that a
/// diagnostic's link opens the docs of the rule exactly as this version implements it, offline.
pub struct RuleDocs {
    dir: PathBuf,
    written: HashSet<String>,
}

impl RuleDocs {
    pub fn new() -> RuleDocs {
        RuleDocs { dir: crate::main_loop::rule_docs_dir(), written: HashSet::new() }
    }

    pub fn link(&mut self, rule: &str) -> Option<Uri> {
        let meta = dockstage_lint::find_rule(rule)?.meta();
        let path = self.dir.join(format!("{}.md", meta.id));
        if !self.written.contains(meta.id) {
            std::fs::create_dir_all(&self.dir).ok()?;
            std::fs::write(&path, format!("# {} ({})\n\n{}", meta.id, meta.name, meta.docs())).ok()?;
            self.written.insert(meta.id.to_string());
        }
        crate::uri::from_path(&path).parse().ok()
    }
}

impl Default for RuleDocs {
    fn default() -> Self {
        Self::new()
    }
}

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Style | Severity::Ignore => DiagnosticSeverity::HINT,
    }
}

/// Where a finding is: its span, or from its column to the end of its line.
pub fn finding_range(doc: &Document, f: &Finding) -> Range {
    if !f.span.is_empty() && f.span.end <= doc.text.len() {
        return doc.range(f.span.start, f.span.end);
    }
    let line = f.line.saturating_sub(1).min(doc.index.line_count() - 1);
    let (start, end) = doc.index.line_span(&doc.text, line);
    let col = start + doc.text[start..end].char_indices().nth(f.column.saturating_sub(1)).map_or(end - start, |(i, _)| i);
    doc.range(col.min(end), end)
}

pub fn to_diagnostic(doc: &Document, f: &Finding, docs: Option<&mut RuleDocs>) -> Diagnostic {
    Diagnostic {
        range: finding_range(doc, f),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.rule.to_string())),
        code_description: docs.and_then(|d| d.link(f.rule)).map(|href| CodeDescription { href }),
        source: Some("dockstage".into()),
        message: f.message.clone(),
        ..Default::default()
    }
}

pub fn diagnostics(doc: &Document, config: &Config, docs: &mut RuleDocs) -> Vec<Diagnostic> {
    let report = doc.lint(config);
    report.findings.iter().map(|f| to_diagnostic(doc, f, Some(docs))).collect()
}
