//! A Dockerfile formatter.
//!
//! Formatting works one instruction at a time over the lossless syntax tree: everything between
//! instructions (comments, blank lines, parser directives) is kept as written, and each
//! instruction is rewritten only where the result means the same to BuildKit. Today that is the
//! instruction keyword in upper case (`run` -> `RUN`, `onbuild run` -> `ONBUILD RUN`) followed
//! by exactly one space.
//!
//! ```
//! assert_eq!(dockstage_fmt::format("from alpine\nrun echo hi\n").unwrap(), "FROM alpine\nRUN echo hi\n");
//! ```

use std::ops::Range;

pub use dockstage_syntax::{ParseError, Span};
use dockstage_syntax::{Dockerfile, Instruction};

/// Replace the bytes `span` of the formatted text with `content`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub content: String,
}

/// The whole file formatted. A file that does not parse is an error, and nothing is changed.
pub fn format(source: &str) -> Result<String, ParseError> {
    let edits = edits_for(source, 0..source.len())?;
    Ok(apply(source, &edits))
}

/// The edits that format the instructions overlapping `range` (bytes of `source`), for editors
/// that format a selection.
pub fn format_range(source: &str, range: Range<usize>) -> Result<Vec<Edit>, ParseError> {
    edits_for(source, range)
}

fn edits_for(source: &str, range: Range<usize>) -> Result<Vec<Edit>, ParseError> {
    let dockerfile = dockstage_syntax::parse(source)?;
    let mut edits = Vec::new();
    for inst in &dockerfile.instructions {
        if inst.span.end < range.start || inst.span.start > range.end {
            continue;
        }
        instruction_edits(source, &dockerfile, inst, &mut edits);
    }
    Ok(edits)
}

fn instruction_edits(source: &str, dockerfile: &Dockerfile, inst: &Instruction, edits: &mut Vec<Edit>) {
    let _ = dockerfile;
    keyword_edit(source, inst.span.start, inst, edits);
    if let Some(inner) = &inst.onbuild {
        // The inner keyword follows ONBUILD and blanks.
        let after = inst.span.start + inst.keyword.len();
        let rest = &source[after..inst.span.end];
        let skip = rest.len() - rest.trim_start().len();
        keyword_edit(source, after + skip, inner, edits);
    }
}

fn keyword_edit(source: &str, at: usize, inst: &Instruction, edits: &mut Vec<Edit>) {
    let end = at + inst.keyword.len();
    if source.get(at..end) != Some(inst.keyword.as_str()) {
        return;
    }
    let upper = inst.keyword.to_ascii_uppercase();
    if upper != inst.keyword {
        edits.push(Edit { span: Span::new(at, end), content: upper });
    }
    // One space after the keyword; blanks before a continuation or the line's end are left.
    let rest = &source[end..];
    let gap = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let next = rest[gap..].chars().next();
    if gap > 0 && &rest[..gap] != " " && next.is_some_and(|c| c != '\n' && c != '\r' && c != '\\' && c != '`') {
        edits.push(Edit { span: Span::new(end, end + gap), content: " ".into() });
    }
}

fn apply(source: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for e in edits {
        out.push_str(&source[at..e.span.start]);
        out.push_str(&e.content);
        at = e.span.end;
    }
    out.push_str(&source[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn onbuild_keywords_are_upper_cased() {
        assert_eq!(format("from a\nonbuild  run x\n").unwrap(), "FROM a\nONBUILD RUN x\n");
        assert_eq!(format("FROM a\nRUN \\\n  x\n").unwrap(), "FROM a\nRUN \\\n  x\n");
    }

    #[test]
    fn range_formats_only_touched_instructions() {
        let src = "from a\nrun x\nrun y\n";
        let edits = format_range(src, 7..8).unwrap();
        assert_eq!(edits, vec![Edit { span: Span::new(7, 10), content: "RUN".into() }]);
    }

    #[test]
    fn unparsable_is_an_error_with_a_line() {
        let err = format("FROM a\nRUN <<EOF\n").unwrap_err();
        assert_eq!(err.line, 2);
    }
}
