//! Open documents: their text, the line index that converts LSP positions (lines and UTF-16
//! code units) to byte offsets, and incremental edits.
//!
//! Clients can send positions that do not exist: a line past the end, a character past the end
//! of its line, or a UTF-16 offset that falls inside a surrogate pair. The spec says a character
//! past the end of a line means the end of that line; we go further and never fail on any
//! position: an offset inside a character moves back to its start, a line past the end clamps to
//! the end of the text for edits and yields `None` for queries.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

use dockstage_lint::{Config, FileReport, LintOptions};

use crate::analysis::Analysis;

/// Byte offsets of line starts, for position conversion.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Offset of the first byte of each line; line 0 starts at 0.
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts, len: text.len() }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Bytes of line `line` without its line break.
    pub fn line_span(&self, text: &str, line: usize) -> (usize, usize) {
        let start = self.starts[line];
        let mut end = self.starts.get(line + 1).map_or(self.len, |&s| s - 1);
        if end > start && text.as_bytes()[end - 1] == b'\r' {
            end -= 1;
        }
        (start, end)
    }

    /// The byte offset of `pos`, or `None` when its line does not exist.
    pub fn offset(&self, text: &str, pos: Position) -> Option<usize> {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return None;
        }
        let (start, end) = self.line_span(text, line);
        let mut units = 0u32;
        for (i, c) in text[start..end].char_indices() {
            let next = units + c.len_utf16() as u32;
            if next > pos.character {
                return Some(start + i);
            }
            units = next;
        }
        Some(end)
    }

    /// Like [`LineIndex::offset`], with a line past the end meaning the end of the text.
    pub fn offset_clamped(&self, text: &str, pos: Position) -> usize {
        self.offset(text, pos).unwrap_or(self.len)
    }

    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(self.len);
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let character = text[self.starts[line]..offset].encode_utf16().count() as u32;
        Position { line: line as u32, character }
    }

    pub fn range(&self, text: &str, start: usize, end: usize) -> Range {
        Range { start: self.position(text, start), end: self.position(text, end.max(start)) }
    }
}

/// One open document and what is known about it.
pub struct Document {
    pub uri: String,
    /// The file on disk, for `file:` URIs: config lookup, `.dockerignore`, document links.
    pub path: Option<PathBuf>,
    pub version: i32,
    pub text: String,
    pub index: LineIndex,
    analysis: OnceLock<Arc<Analysis>>,
    lint: OnceLock<Arc<FileReport>>,
}

impl Document {
    pub fn new(uri: String, version: i32, text: String) -> Document {
        let path = crate::uri::to_path(&uri);
        let index = LineIndex::new(&text);
        Document { uri, path, version, text, index, analysis: OnceLock::new(), lint: OnceLock::new() }
    }

    /// Applies `didChange` events in order; a range-less event replaces the whole text.
    pub fn apply_changes(&mut self, version: i32, changes: Vec<TextDocumentContentChangeEvent>) {
        for change in changes {
            match change.range {
                None => self.text = change.text,
                Some(range) => {
                    let start = self.index.offset_clamped(&self.text, range.start);
                    let end = self.index.offset_clamped(&self.text, range.end);
                    let (start, end) = (start.min(end), start.max(end));
                    self.text.replace_range(start..end, &change.text);
                }
            }
            self.index = LineIndex::new(&self.text);
        }
        self.version = version;
        self.analysis = OnceLock::new();
        self.lint = OnceLock::new();
    }

    /// Drops the lint result, for when files beside the Dockerfile change.
    pub fn forget_lint(&mut self) {
        self.lint = OnceLock::new();
    }

    /// `dockstage lint` on the text, with the file's place on disk for the rules that look
    /// beside it; computed on first use after each change.
    pub fn lint(&self, config: &Config) -> Arc<FileReport> {
        self.lint
            .get_or_init(|| {
                let name = self.path.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| self.uri.clone());
                let options = LintOptions { path: self.path.as_deref(), target: None };
                Arc::new(dockstage_lint::lint_source_with(&name, &self.text, config, options))
            })
            .clone()
    }

    /// The parsed, analysed text; computed on first use after each change.
    pub fn analysis(&self) -> Arc<Analysis> {
        self.analysis.get_or_init(|| Arc::new(Analysis::new(&self.text))).clone()
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        self.index.range(&self.text, start, end)
    }

    pub fn offset(&self, pos: Position) -> Option<usize> {
        self.index.offset(&self.text, pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn utf16_positions() {
        let text = "FROM a\nRUN echo 😀x\n";
        let idx = LineIndex::new(text);
        // The emoji is two UTF-16 units and four bytes.
        assert_eq!(idx.offset(text, pos(1, 9)), Some(16));
        assert_eq!(idx.offset(text, pos(1, 11)), Some(20));
        // Inside the surrogate pair: the start of the character.
        assert_eq!(idx.offset(text, pos(1, 10)), Some(16));
        // Past the end of the line: the end of the line.
        assert_eq!(idx.offset(text, pos(0, 99)), Some(6));
        assert_eq!(idx.offset(text, pos(9, 0)), None);
        assert_eq!(idx.position(text, 20), pos(1, 11));
        assert_eq!(idx.position(text, 18), pos(1, 9));
    }

    #[test]
    fn incremental_edits() {
        let mut doc = Document::new("untitled:x".into(), 1, "FROM a\nRUN b\n".into());
        let change = |l1, c1, l2, c2, t: &str| TextDocumentContentChangeEvent {
            range: Some(Range { start: pos(l1, c1), end: pos(l2, c2) }),
            range_length: None,
            text: t.into(),
        };
        doc.apply_changes(2, vec![change(1, 4, 1, 5, "c d"), change(0, 5, 0, 6, "alpine")]);
        assert_eq!(doc.text, "FROM alpine\nRUN c d\n");
        // Reversed and out-of-range ranges are clamped, not refused.
        doc.apply_changes(3, vec![change(5, 0, 1, 7, "")]);
        assert_eq!(doc.text, "FROM alpine\nRUN c d");
    }
}
