//! A Dockerfile formatter.
//!
//! Formatting works one instruction at a time over the lossless syntax tree: everything between
//! instructions (comments, blank lines, parser directives) is kept as written, and each
//! instruction is rewritten only where the result means the same to BuildKit:
//!
//! - the instruction keyword in upper case (`run` -> `RUN`, `onbuild run` -> `ONBUILD RUN`)
//!   followed by exactly one space;
//! - continuation lines indented by four spaces (eight for the words of a command inside a
//!   broken `&&` chain), with one blank before the `\`;
//! - a RUN whose `&&` chain spans lines or is longer than 80 columns, one command per line, each
//!   line after the first starting with `&&`;
//! - JSON arrays written `["a", "b"]`.
//!
//! Only blanks outside quotes and between words change, so the shell reads the same words.
//! Heredocs, comment lines inside an instruction and files with `# escape=\`` keep their
//! layout. Every rewritten instruction is parsed again and compared with the original (shell
//! strings by their words, everything else exactly); one that differs is kept as written.
//!
//! ```
//! assert_eq!(dockstage_fmt::format("from alpine\nrun echo hi\n").unwrap(), "FROM alpine\nRUN echo hi\n");
//! ```

use std::ops::Range;

pub use dockstage_syntax::{ParseError, Span};
use dockstage_syntax::{Dockerfile, Instruction, Keyword};

mod layout;
pub use layout::{shell_words, MAX_WIDTH};

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
    if let Some(text) = layout::layout(source, dockerfile.escape, inst) {
        let old = &source[inst.span.start..inst.span.end];
        if text == old {
            return;
        }
        if reparses_the_same(&text, inst) {
            edits.push(smallest_edit(old, &text, inst.span.start));
            return;
        }
    }
    keyword_edit(source, inst.span.start, inst, edits);
    if let Some(inner) = &inst.onbuild {
        // The inner keyword follows ONBUILD and blanks.
        let after = inst.span.start + inst.keyword.len();
        let rest = &source[after..inst.span.end];
        let skip = rest.len() - rest.trim_start().len();
        keyword_edit(source, after + skip, inner, edits);
    }
}

/// Known instruction words are upper-cased. An unknown one is kept as written: BuildKit rejects
/// it, and upper-casing would hide the typo the build error is about to name (`rnu` -> `RNU`).
pub(crate) fn formatted_keyword(inst: &Instruction) -> String {
    if inst.kind == Keyword::Unknown {
        inst.keyword.clone()
    } else {
        inst.keyword.to_ascii_uppercase()
    }
}

fn keyword_edit(source: &str, at: usize, inst: &Instruction, edits: &mut Vec<Edit>) {
    let end = at + inst.keyword.len();
    if source.get(at..end) != Some(inst.keyword.as_str()) {
        return;
    }
    let upper = formatted_keyword(inst);
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

/// One edit covering only the bytes where `old` and `new` differ (editors keep the cursor).
fn smallest_edit(old: &str, new: &str, at: usize) -> Edit {
    let prefix = old.bytes().zip(new.bytes()).take_while(|(a, b)| a == b).count();
    let prefix = (0..=prefix).rev().find(|&i| old.is_char_boundary(i) && new.is_char_boundary(i)).unwrap_or(0);
    let max_suffix = (old.len() - prefix).min(new.len() - prefix);
    let suffix = old.bytes().rev().zip(new.bytes().rev()).take(max_suffix).take_while(|(a, b)| a == b).count();
    let suffix = (0..=suffix).rev().find(|&i| old.is_char_boundary(old.len() - i) && new.is_char_boundary(new.len() - i)).unwrap_or(0);
    Edit { span: Span::new(at + prefix, at + old.len() - suffix), content: new[prefix..new.len() - suffix].to_string() }
}

/// Whether `text`, alone, parses to the instruction `inst` as BuildKit reads it.
fn reparses_the_same(text: &str, inst: &Instruction) -> bool {
    let Ok(df) = dockstage_syntax::parse(&format!("{text}\n")) else { return false };
    df.instructions.len() == 1 && equivalent(inst, &df.instructions[0])
}

/// Whether two instructions mean the same to BuildKit, the keyword's casing aside: flags,
/// JSON-ness, heredocs and arguments equal, except that the shell strings of RUN, CMD,
/// ENTRYPOINT and HEALTHCHECK only need the same words ([`shell_words`]).
pub fn equivalent(a: &Instruction, b: &Instruction) -> bool {
    let shell = !a.json && matches!(a.kind, Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck);
    let args = a.args == b.args
        || (shell && a.args.len() == b.args.len() && a.args.iter().zip(&b.args).all(|(x, y)| shell_words(x) == shell_words(y)));
    a.keyword.eq_ignore_ascii_case(&b.keyword)
        && (a.kind, &a.flags, a.json) == (b.kind, &b.flags, b.json)
        && a.heredocs.len() == b.heredocs.len()
        && a.heredocs.iter().zip(&b.heredocs).all(|(x, y)| (&x.name, x.file_descriptor, x.expand, x.chomp, &x.content) == (&y.name, y.file_descriptor, y.expand, y.chomp, &y.content))
        && args
        && match (&a.onbuild, &b.onbuild) {
            (Some(x), Some(y)) => equivalent(x, y),
            (None, None) => true,
            _ => false,
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
        assert_eq!(format("FROM a\nRUN \\\n  x\n").unwrap(), "FROM a\nRUN \\\n    x\n");
    }

    #[test]
    fn range_formats_only_touched_instructions() {
        let src = "from a\nrun x\nrun y\n";
        let edits = format_range(src, 7..8).unwrap();
        assert_eq!(edits, vec![Edit { span: Span::new(7, 10), content: "RUN".into() }]);
    }

    #[test]
    fn continuations_are_indented_and_chains_broken() {
        let src = "FROM a\nRUN apt-get update && \\\n  apt-get install -y \\\n curl git && \\\n rm -rf /var/lib/apt/lists/*\n";
        let want = "FROM a\nRUN apt-get update \\\n    && apt-get install -y \\\n        curl git \\\n    && rm -rf /var/lib/apt/lists/*\n";
        assert_eq!(format(src).unwrap(), want);
        assert_eq!(format(want).unwrap(), want);
        let long = format!("FROM a\nRUN {} && {}\n", "x".repeat(40), "y".repeat(40));
        assert_eq!(format(&long).unwrap(), format!("FROM a\nRUN {} \\\n    && {}\n", "x".repeat(40), "y".repeat(40)));
        let short = "FROM a\nRUN a && b\n";
        assert_eq!(format(short).unwrap(), short);
        let copy = "FROM a\nCOPY a \\\n  b /x/\n";
        assert_eq!(format(copy).unwrap(), "FROM a\nCOPY a \\\n    b /x/\n");
    }

    #[test]
    fn quotes_and_glued_words_keep_their_layout() {
        let quoted = "FROM a\nRUN echo \"a \\\n  b\" && \\\n  echo 'x && y'\n";
        assert_eq!(format(quoted).unwrap(), "FROM a\nRUN echo \"a \\\n  b\" \\\n    && echo 'x && y'\n");
        let glued = "FROM a\nRUN echo ab\\\ncd\n";
        assert_eq!(format(glued).unwrap(), glued);
        let subshell = format!("FROM a\nRUN x=$(a && b) && {}\n", "y".repeat(80));
        assert_eq!(format(&subshell).unwrap(), format!("FROM a\nRUN x=$(a && b) \\\n    && {}\n", "y".repeat(80)));
        let maintainer = "FROM a\nMAINTAINER a \\\n  b\n";
        assert_eq!(format(maintainer).unwrap(), maintainer, "a plain string keeps its blanks");
    }

    #[test]
    fn json_is_spaced_and_comments_heredocs_escape_kept() {
        assert_eq!(format("FROM a\ncmd [\"a\",\"b\"]\n").unwrap(), "FROM a\nCMD [\"a\", \"b\"]\n");
        assert_eq!(format("FROM a\nRUN --network=none [\"a\" ,  \"b\\\"c\"]\n").unwrap(), "FROM a\nRUN --network=none [\"a\", \"b\\\"c\"]\n");
        let comment = "FROM a\nRUN a && \\\n# note\n  b\n";
        assert_eq!(format(comment).unwrap(), comment);
        let heredoc = "FROM a\nRUN <<EOF\n  a &&   b\nEOF\n";
        assert_eq!(format(heredoc).unwrap(), heredoc);
        let backtick = "# escape=`\nFROM a\nRUN a && `\n  b\n";
        assert_eq!(format(backtick).unwrap(), backtick);
    }

    #[test]
    fn unparsable_is_an_error_with_a_line() {
        let err = format("FROM a\nRUN <<EOF\n").unwrap_err();
        assert_eq!(err.line, 2);
    }

    #[test]
    fn unknown_instruction_words_keep_their_case() {
        assert_eq!(format("from a\nrnu  echo hi\nrun echo hi\n").unwrap(), "FROM a\nrnu echo hi\nRUN echo hi\n");
        let continued = format!("FROM a\nrnu a && \\\n  {}\n", "b".repeat(80));
        assert!(format(&continued).unwrap().contains("\nrnu a"), "{}", format(&continued).unwrap());
    }
}
