//! Formatting with `dockstage fmt`, as the minimal edits it makes.

use lsp_types::{DocumentFormattingParams, DocumentRangeFormattingParams, TextEdit};

use super::{HandlerError, Snapshot};

fn edits(snap: &Snapshot, range: std::ops::Range<usize>) -> Result<Vec<TextEdit>, HandlerError> {
    let edits = dockstage_fmt::format_range(&snap.doc.text, range).map_err(|e| HandlerError::failed(format!("cannot format: {}:{}: {}", e.line, e.column, e.message)))?;
    Ok(edits.into_iter().map(|e| TextEdit { range: snap.range(e.span), new_text: e.content }).collect())
}

pub fn format(snap: &Snapshot, _p: DocumentFormattingParams) -> Result<Vec<TextEdit>, HandlerError> {
    edits(snap, 0..snap.doc.text.len())
}

pub fn format_range(snap: &Snapshot, p: DocumentRangeFormattingParams) -> Result<Vec<TextEdit>, HandlerError> {
    let start = snap.doc.index.offset_clamped(&snap.doc.text, p.range.start);
    let end = snap.doc.index.offset_clamped(&snap.doc.text, p.range.end);
    edits(snap, start.min(end)..start.max(end))
}
