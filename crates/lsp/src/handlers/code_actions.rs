//! Code actions: the fixes of `dockstage lint --fix` (safe ones preferred quick fixes, unsafe
//! ones marked), "ignore this rule on this line" (the pragma), "fix all safe problems", and
//! "split into a multi-stage build" where `dockstage split` accepts the file.

use std::collections::HashMap;

use dockstage_lint::fix::{Applicability, FixOptions};
use dockstage_lint::{Finding, LintOptions, PARSE_ERROR_RULE};
use lsp_types::*;

use super::Snapshot;
use crate::handlers::diagnostics::{finding_range, to_diagnostic};

fn overlaps(a: &Range, b: &Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

fn workspace_edit(snap: &Snapshot, edits: Vec<TextEdit>) -> Option<WorkspaceEdit> {
    let uri: Uri = snap.doc.uri.parse().ok()?;
    Some(WorkspaceEdit { changes: Some(HashMap::from([(uri, edits)])), ..Default::default() })
}

/// The pragma edit: a new `# hadolint ignore=` line above the instruction (or the rule added to
/// the pragma already there). hadolint's rules get hadolint's spelling so both tools honour it.
fn ignore_edit(snap: &Snapshot, f: &Finding) -> Option<TextEdit> {
    let text = &snap.doc.text;
    let idx = &snap.doc.index;
    let line = f.line.checked_sub(1)?;
    let (start, end) = idx.line_span(text, line);
    let indent: String = text[start..end].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
    let tool = if f.rule.starts_with("DL") || f.rule.starts_with("SC") { "hadolint" } else { "dockstage" };
    if line > 0 {
        let (ps, pe) = idx.line_span(text, line - 1);
        let prev = text[ps..pe].trim_end();
        let body = prev.trim_start().trim_start_matches('#').trim_start();
        if prev.trim_start().starts_with('#') && dockstage_lint::suppress::is_ignore_pragma(body) && !body.contains('#') {
            let at = ps + prev.len();
            return Some(TextEdit { range: snap.doc.range(at, at), new_text: format!(",{}", f.rule) });
        }
    }
    Some(TextEdit { range: snap.doc.range(start, start), new_text: format!("{indent}# {tool} ignore={}\n", f.rule) })
}

pub fn code_actions(snap: &Snapshot, p: CodeActionParams) -> Vec<CodeActionOrCommand> {
    let report = snap.lint();
    let only = p.context.only.clone();
    let wants = |kind: &CodeActionKind| only.as_ref().is_none_or_compat(|o| o.iter().any(|k| kind.as_str().starts_with(k.as_str())));
    let mut out = Vec::new();
    for f in &report.findings {
        let range = finding_range(snap.doc, f);
        if !overlaps(&range, &p.range) {
            continue;
        }
        let diagnostic = to_diagnostic(snap.doc, f, None);
        if let Some(fix) = &f.fix {
            if wants(&CodeActionKind::QUICKFIX) && fix.edits.iter().all(|e| e.span.end <= snap.doc.text.len()) {
                let edits: Vec<TextEdit> = fix.edits.iter().map(|e| TextEdit { range: snap.range(e.span), new_text: e.content.clone() }).collect();
                let mut edit = workspace_edit(snap, edits);
                // New files (a `.dockerignore`) are created only where none exists.
                let dir = snap.doc.path.as_ref().and_then(|p| p.parent().map(|d| d.to_path_buf()));
                if let (Some(we), Some(dir)) = (edit.as_mut(), dir) {
                    let mut ops = Vec::new();
                    for nf in &fix.new_files {
                        let path = dir.join(&nf.path);
                        let Ok(uri) = crate::uri::from_path(&path).parse::<Uri>() else { continue };
                        if path.exists() {
                            continue;
                        }
                        ops.push(DocumentChangeOperation::Op(ResourceOp::Create(CreateFile { uri: uri.clone(), options: None, annotation_id: None })));
                        ops.push(DocumentChangeOperation::Edit(TextDocumentEdit {
                            text_document: OptionalVersionedTextDocumentIdentifier { uri, version: None },
                            edits: vec![OneOf::Left(TextEdit { range: Range::default(), new_text: nf.content.clone() })],
                        }));
                    }
                    if !ops.is_empty() {
                        let changes = we.changes.take().unwrap_or_default();
                        for (uri, edits) in changes {
                            ops.insert(0, DocumentChangeOperation::Edit(TextDocumentEdit {
                                text_document: OptionalVersionedTextDocumentIdentifier { uri, version: Some(snap.doc.version) },
                                edits: edits.into_iter().map(OneOf::Left).collect(),
                            }));
                        }
                        we.document_changes = Some(DocumentChanges::Operations(ops));
                    }
                }
                let safe = fix.applicability == Applicability::Safe;
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: if safe { format!("{}: {}", f.rule, fix.title) } else { format!("{}: {} (unsafe: may change the image)", f.rule, fix.title) },
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit,
                    is_preferred: Some(safe),
                    ..Default::default()
                }));
            }
        }
        if f.rule != PARSE_ERROR_RULE && wants(&CodeActionKind::QUICKFIX) {
            if let Some(edit) = ignore_edit(snap, f) {
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Ignore {} on this line", f.rule),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic]),
                    edit: workspace_edit(snap, vec![edit]),
                    is_preferred: Some(false),
                    ..Default::default()
                }));
            }
        }
    }
    let any_safe = report.findings.iter().any(|f| f.fix.as_ref().is_some_and(|x| x.applicability == Applicability::Safe));
    if any_safe && wants(&CodeActionKind::SOURCE_FIX_ALL) {
        let name = snap.doc.path.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| snap.doc.uri.clone());
        let options = LintOptions { path: snap.doc.path.as_deref(), target: None };
        let outcome = dockstage_lint::fix::fix_source(&name, &snap.doc.text, &snap.config, options, &FixOptions::default());
        if outcome.fixed != snap.doc.text && !outcome.applied.is_empty() {
            let whole = snap.doc.range(0, snap.doc.text.len());
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Fix all safe problems ({} fixes)", outcome.applied.len()),
                kind: Some(CodeActionKind::SOURCE_FIX_ALL),
                edit: workspace_edit(snap, vec![TextEdit { range: whole, new_text: outcome.fixed }]),
                ..Default::default()
            }));
        }
    }
    if wants(&CodeActionKind::REFACTOR_REWRITE) {
        if let Some(action) = split_action(snap) {
            out.push(action);
        }
    }
    out
}

/// "Split into a multi-stage build": offered when `dockstage split` accepts the whole file, so
/// the user sees the same rewrite the command prints (its comments say why each move was made).
fn split_action(snap: &Snapshot) -> Option<CodeActionOrCommand> {
    if snap.analysis.stages.len() != 1 {
        return None;
    }
    let out = dockstage_split::split(&snap.doc.text, &Default::default()).ok()?;
    if out.dockerfile == snap.doc.text {
        return None;
    }
    let whole = snap.doc.range(0, snap.doc.text.len());
    Some(CodeActionOrCommand::CodeAction(CodeAction {
        title: format!("Split into a multi-stage build (builder on {}, runtime on {})", out.builder_base, out.runtime_base),
        kind: Some(CodeActionKind::REFACTOR_REWRITE),
        edit: workspace_edit(snap, vec![TextEdit { range: whole, new_text: out.dockerfile }]),
        is_preferred: Some(false),
        ..Default::default()
    }))
}

trait OptionCompat<T> {
    fn is_none_or_compat(&self, f: impl FnOnce(&T) -> bool) -> bool;
}

impl<T> OptionCompat<T> for Option<&T> {
    fn is_none_or_compat(&self, f: impl FnOnce(&T) -> bool) -> bool {
        self.map_or(true, f)
    }
}
