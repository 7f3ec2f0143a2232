//! Go to definition, references, document highlight and rename, for stage names and ARG/ENV
//! variables with BuildKit's scoping (see [`crate::analysis`]).

use std::collections::HashMap;

use lsp_types::*;

use super::{HandlerError, Snapshot};
use crate::analysis::Symbol;

fn symbol_at(snap: &Snapshot, pos: Position) -> Option<Symbol> {
    snap.analysis.symbol_at(snap.offset(pos)?)
}

fn location(snap: &Snapshot, span: dockstage_syntax::Span) -> Option<Location> {
    Some(Location { uri: snap.doc.uri.parse().ok()?, range: snap.range(span) })
}

pub fn definition(snap: &Snapshot, p: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
    let offset = snap.offset(p.text_document_position_params.position)?;
    let a = &snap.analysis;
    let span = match a.symbol_at(offset)? {
        Symbol::Stage(s) => {
            let st = &a.stages[s];
            st.name_span.unwrap_or(a.instrs[st.from_instr].keyword)
        }
        Symbol::Var(d) => {
            let decl = &a.vars[d];
            // On a stage's `ARG NAME` itself, its definition is the meta-ARG it takes the value of.
            match decl.imports {
                Some(m) if decl.span.start <= offset && offset <= decl.span.end => a.vars[m].span,
                _ => decl.span,
            }
        }
    };
    location(snap, span).map(GotoDefinitionResponse::Scalar)
}

pub fn references(snap: &Snapshot, p: ReferenceParams) -> Option<Vec<Location>> {
    let sym = symbol_at(snap, p.text_document_position.position)?;
    let with_decl = p.context.include_declaration;
    Some(snap.analysis.occurrences(sym).into_iter().filter(|(_, def)| with_decl || !def).filter_map(|(s, _)| location(snap, s)).collect())
}

pub fn highlight(snap: &Snapshot, p: DocumentHighlightParams) -> Option<Vec<DocumentHighlight>> {
    let sym = symbol_at(snap, p.text_document_position_params.position)?;
    Some(
        snap.analysis
            .occurrences(sym)
            .into_iter()
            .map(|(s, def)| DocumentHighlight { range: snap.range(s), kind: Some(if def { DocumentHighlightKind::WRITE } else { DocumentHighlightKind::READ }) })
            .collect(),
    )
}

pub fn prepare_rename(snap: &Snapshot, p: TextDocumentPositionParams) -> Option<PrepareRenameResponse> {
    let offset = snap.offset(p.position)?;
    let sym = snap.analysis.symbol_at(offset)?;
    let (span, _) = snap.analysis.occurrences(sym).into_iter().find(|(s, _)| s.start <= offset && offset <= s.end)?;
    Some(PrepareRenameResponse::RangeWithPlaceholder { range: snap.range(span), placeholder: snap.text(span).to_string() })
}

pub fn valid_stage_name(name: &str) -> bool {
    let b = name.as_bytes();
    b.first().is_some_and(u8::is_ascii_alphabetic) && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

pub fn valid_var_name(name: &str) -> bool {
    let b = name.as_bytes();
    b.first().is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_') && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

pub fn rename(snap: &Snapshot, p: RenameParams) -> Result<Option<WorkspaceEdit>, HandlerError> {
    let Some(sym) = symbol_at(snap, p.text_document_position.position) else { return Ok(None) };
    let ok = match sym {
        Symbol::Stage(_) => valid_stage_name(&p.new_name),
        Symbol::Var(_) => valid_var_name(&p.new_name),
    };
    if !ok {
        let what = if matches!(sym, Symbol::Stage(_)) { "a stage name (a letter, then letters, digits, '-', '_' or '.')" } else { "a variable name (a letter or '_', then letters, digits or '_')" };
        return Err(HandlerError::invalid(format!("{:?} is not {what}", p.new_name)));
    }
    let new_text = if matches!(sym, Symbol::Stage(_)) { p.new_name.to_ascii_lowercase() } else { p.new_name };
    let edits = snap.analysis.occurrences(sym).into_iter().map(|(s, _)| TextEdit { range: snap.range(s), new_text: new_text.clone() }).collect();
    let Ok(uri) = snap.doc.uri.parse::<Uri>() else { return Ok(None) };
    Ok(Some(WorkspaceEdit { changes: Some(HashMap::from([(uri, edits)])), ..Default::default() }))
}
