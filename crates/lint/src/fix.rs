//! Fixes: what a rule proposes to change, and the engine that applies them.
//!
//! A [`Fix`] is a list of byte-range [`Edit`]s on the linted text (plus any new files, such as a
//! `.dockerignore`) and its [`Applicability`]: `safe` when the image built from the fixed file has
//! the same file system and configuration except what the rule names (a removed package cache),
//! `unsafe` when behaviour may change (merged RUNs, a different working directory).
//!
//! [`fix_source`] works the way ruff's fixer does: it applies the fixes that do not overlap,
//! lints the result again and repeats until nothing changes (at most [`MAX_PASSES`] times). Every
//! fix is checked before it is kept: the fixed text must parse, and every instruction the fix's
//! edits do not touch must still mean the same to BuildKit. A fix that fails either check is
//! dropped and reported in [`FixOutcome::dropped`], never applied.

use std::path::PathBuf;

use dockstage_syntax::{Dockerfile, Instruction, Span};
use serde::Serialize;

use crate::{Config, FileReport, Finding, LintOptions};

/// How far a fix can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// The built image is the same except for the paths the rule names.
    Safe,
    /// The build may behave differently; applied only with `--unsafe-fixes`.
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace the bytes `span` of the linted file with `content` (an insertion when `span` is empty).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Edit {
    pub span: Span,
    pub content: String,
}

impl Edit {
    pub fn insert(at: usize, content: impl Into<String>) -> Edit {
        Edit { span: Span::new(at, at), content: content.into() }
    }

    pub fn replace(span: Span, content: impl Into<String>) -> Edit {
        Edit { span, content: content.into() }
    }

    pub fn delete(span: Span) -> Edit {
        Edit { span, content: String::new() }
    }
}

/// A new file to create beside the Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct FileEdit {
    /// Relative to the Dockerfile's folder.
    pub path: PathBuf,
    pub content: String,
}

/// What a rule proposes for one finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Fix {
    pub applicability: Applicability,
    /// What the fix does, in a few words: "Add `--no-install-recommends`".
    pub title: String,
    pub edits: Vec<Edit>,
    pub new_files: Vec<FileEdit>,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix { applicability: Applicability::Safe, title: title.into(), edits, new_files: Vec::new() }
    }

    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix { applicability: Applicability::Unsafe, title: title.into(), edits, new_files: Vec::new() }
    }

    /// The smallest range holding every edit; `None` for a fix that only writes new files.
    pub fn range(&self) -> Option<Span> {
        let start = self.edits.iter().map(|e| e.span.start).min()?;
        let end = self.edits.iter().map(|e| e.span.end).max()?;
        Some(Span::new(start, end))
    }
}

/// Which fixes [`fix_source`] applies.
#[derive(Debug, Clone, Default)]
pub struct FixOptions {
    /// Apply unsafe fixes too.
    pub unsafe_fixes: bool,
    /// Only fixes of these rules (ids, case-insensitive); empty means every rule.
    pub only: Vec<String>,
}

impl FixOptions {
    fn wants(&self, finding: &Finding, fix: &Fix) -> bool {
        (self.unsafe_fixes || fix.applicability == Applicability::Safe)
            && (self.only.is_empty() || self.only.iter().any(|r| r.eq_ignore_ascii_case(finding.rule)))
    }
}

/// A fix that was applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedFix {
    pub rule: &'static str,
    /// 1-based line of the finding, in the text the fix was applied to.
    pub line: usize,
    pub title: String,
    pub applicability: Applicability,
}

/// A fix that was proposed and refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DroppedFix {
    pub rule: &'static str,
    pub line: usize,
    pub title: String,
    pub reason: String,
}

/// The result of [`fix_source`].
#[derive(Debug, Clone)]
pub struct FixOutcome {
    /// The fixed text (the input when nothing applied or the file does not parse).
    pub fixed: String,
    pub applied: Vec<AppliedFix>,
    pub dropped: Vec<DroppedFix>,
    /// New files the applied fixes create, relative to the Dockerfile's folder.
    pub new_files: Vec<FileEdit>,
    /// The findings on the fixed text, less those a new file answers.
    pub remaining: FileReport,
}

impl FixOutcome {
    pub fn changed(&self, original: &str) -> bool {
        self.fixed != original || !self.new_files.is_empty()
    }
}

/// How many lint-and-apply rounds [`fix_source`] runs at most.
pub const MAX_PASSES: usize = 10;

/// Lints `source`, applies the fixes `opts` selects, and lints again, until no fix applies.
pub fn fix_source(file: &str, source: &str, config: &Config, lint: LintOptions, opts: &FixOptions) -> FixOutcome {
    let mut text = source.to_string();
    let mut applied = Vec::new();
    let mut dropped: Vec<DroppedFix> = Vec::new();
    // Fixes refused once are not tried again: the same finding proposes the same edits.
    let mut refused: Vec<(&'static str, Fix)> = Vec::new();
    let mut new_files: Vec<FileEdit> = Vec::new();

    // The findings of the last lint and the text they belong to: when the loop ends on a text it
    // has linted, that lint is the report of what remains, so it is not run a second time.
    let mut last_lint: Option<(String, Vec<Finding>)> = None;
    for _ in 0..MAX_PASSES {
        let Ok(before) = dockstage_syntax::parse(&text) else { break };
        let findings = crate::lint_parsed_with(&before, &text, config, lint);
        let findings = &last_lint.insert((text.clone(), findings)).1;
        let mut candidates: Vec<(&Finding, &Fix)> = findings
            .iter()
            .filter_map(|f| f.fix.as_ref().map(|fix| (f, fix)))
            .filter(|(f, fix)| opts.wants(f, fix))
            .filter(|(f, fix)| !refused.iter().any(|(r, x)| r == &f.rule && x == *fix))
            .filter(|(_, fix)| !fix.new_files.iter().all(|n| new_files.iter().any(|m| m.path == n.path)) || !fix.edits.is_empty())
            .collect();
        candidates.sort_by_key(|(f, fix)| (fix.range().map(|r| r.start).unwrap_or(usize::MAX), f.line));

        let mut chosen: Vec<(&Finding, &Fix)> = Vec::new();
        let mut taken: Vec<Span> = Vec::new();
        for (finding, fix) in candidates {
            if let Some(range) = fix.range() {
                // Touching ranges count as overlapping: two insertions at one place, or an edit
                // ending where the next begins, would otherwise depend on their order.
                if taken.iter().any(|t| range.start <= t.end && t.start <= range.end) {
                    continue;
                }
                if let Err(reason) = check_fix(&text, &before, fix) {
                    dropped.push(DroppedFix { rule: finding.rule, line: finding.line, title: fix.title.clone(), reason });
                    refused.push((finding.rule, fix.clone()));
                    continue;
                }
                taken.push(range);
            }
            chosen.push((finding, fix));
        }
        if chosen.is_empty() {
            break;
        }
        let edits: Vec<&Edit> = chosen.iter().flat_map(|(_, fix)| &fix.edits).collect();
        let next = apply_edits(&text, edits.iter().copied());
        // Each fix is sound alone; together they must be too, else apply only the first.
        let (next, chosen) = match dockstage_syntax::parse(&next) {
            Ok(_) => (next, chosen),
            Err(_) => {
                let first = chosen[0];
                (apply_edits(&text, first.1.edits.iter()), vec![first])
            }
        };
        for (finding, fix) in &chosen {
            applied.push(AppliedFix { rule: finding.rule, line: finding.line, title: fix.title.clone(), applicability: fix.applicability });
            for n in &fix.new_files {
                if !new_files.iter().any(|m| m.path == n.path) {
                    new_files.push(n.clone());
                }
            }
        }
        if next == text && chosen.iter().all(|(_, fix)| fix.edits.is_empty()) {
            // Only new files this round: the text is final.
            text = next;
            break;
        }
        text = next;
    }

    let mut remaining = match last_lint {
        Some((linted, findings)) if linted == text => FileReport { file: file.to_string(), findings, source: text.clone() },
        _ => crate::lint_source_with(file, &text, config, lint),
    };
    remaining.findings.retain(|f| {
        !f.fix.as_ref().is_some_and(|fix| fix.edits.is_empty() && !fix.new_files.is_empty() && fix.new_files.iter().all(|n| new_files.iter().any(|m| m.path == n.path)))
    });
    FixOutcome { fixed: text, applied, dropped, new_files, remaining }
}

/// Applies non-overlapping edits to `text`.
pub fn apply_edits<'e>(text: &str, edits: impl IntoIterator<Item = &'e Edit>) -> String {
    let mut edits: Vec<&Edit> = edits.into_iter().collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for e in edits {
        let start = e.span.start.clamp(at, text.len());
        out.push_str(&text[at..start]);
        out.push_str(&e.content);
        at = e.span.end.clamp(start, text.len());
    }
    out.push_str(&text[at..]);
    out
}

/// Why a fix may not be applied to `text`: it breaks parsing, or it changes an instruction that
/// none of its edits touches.
fn check_fix(text: &str, before: &Dockerfile, fix: &Fix) -> Result<(), String> {
    for e in &fix.edits {
        if e.span.start > e.span.end || e.span.end > text.len() || !text.is_char_boundary(e.span.start) || !text.is_char_boundary(e.span.end) {
            return Err(format!("edit {}..{} is outside the file", e.span.start, e.span.end));
        }
    }
    let fixed = apply_edits(text, &fix.edits);
    let after = dockstage_syntax::parse(&fixed).map_err(|e| format!("the fixed file would not parse ({}:{}: {})", e.line, e.column, e.message))?;
    if after.directives != before.directives || after.escape != before.escape {
        return Err("the fix would change the parser directives".into());
    }
    let owned = |inst: &Instruction| fix.edits.iter().any(|e| e.span.start <= inst.span.end && inst.span.start <= e.span.end);
    let old = &before.instructions;
    let prefix = old.iter().take_while(|i| !owned(i)).count();
    let suffix = old[prefix..].iter().rev().take_while(|i| !owned(i)).count();
    let new = &after.instructions;
    if new.len() < prefix + suffix {
        return Err("the fix would remove an instruction it does not own".into());
    }
    let same_prefix = old[..prefix].iter().zip(&new[..prefix]).all(|(a, b)| same_instruction(a, b));
    let same_suffix = old[old.len() - suffix..].iter().zip(&new[new.len() - suffix..]).all(|(a, b)| same_instruction(a, b));
    if !same_prefix || !same_suffix {
        return Err("the fix would change an instruction it does not own".into());
    }
    Ok(())
}

/// Whether two instructions are the same to BuildKit: keyword as written, flags, arguments,
/// JSON-ness, heredocs (positions and the logical line's spelling aside).
pub fn same_instruction(a: &Instruction, b: &Instruction) -> bool {
    a.keyword == b.keyword
        && a.kind == b.kind
        && a.flags == b.flags
        && a.args == b.args
        && a.json == b.json
        && a.heredocs.len() == b.heredocs.len()
        && a.heredocs.iter().zip(&b.heredocs).all(|(x, y)| (&x.name, x.file_descriptor, x.expand, x.chomp, &x.content) == (&y.name, y.file_descriptor, y.expand, y.chomp, &y.content))
        && match (&a.onbuild, &b.onbuild) {
            (Some(x), Some(y)) => same_instruction(x, y),
            (None, None) => true,
            _ => false,
        }
}

/// An instruction's logical line (continuations and comment lines removed, as the parser joins
/// them) with the source offset of every byte, so that a position found in the text a rule reads
/// can be turned into an edit of the file.
pub struct LogicalLine {
    pub text: String,
    /// `offsets[i]` is where `text[i]` is in the source; one more entry for the end.
    offsets: Vec<usize>,
}

impl LogicalLine {
    pub fn of(source: &str, inst: &Instruction, escape: char) -> LogicalLine {
        let mut text = String::new();
        let mut offsets = Vec::new();
        let mut pos = inst.span.start;
        let mut first = true;
        let mut end = pos;
        while pos < source.len() {
            let line_end = source[pos..].find('\n').map(|i| pos + i).unwrap_or(source.len());
            let raw = &source[pos..line_end];
            let content = raw.trim_end_matches('\r');
            let next = (line_end + 1).min(source.len());
            if !first && (content.trim_start().starts_with('#') || content.trim().is_empty()) {
                if line_end >= source.len() {
                    break;
                }
                pos = next;
                continue;
            }
            let (part, ended) = trim_continuation(content, escape, first);
            text.push_str(part);
            offsets.extend((0..part.len()).map(|i| pos + i));
            end = pos + part.len();
            first = false;
            if ended || line_end >= source.len() {
                break;
            }
            pos = next;
        }
        offsets.push(end);
        LogicalLine { text, offsets }
    }

    /// The source offset of a position in [`LogicalLine::text`].
    pub fn source_offset(&self, at: usize) -> usize {
        self.offsets[at.min(self.offsets.len() - 1)]
    }

    /// The source bytes of a range of the text, when they are contiguous there.
    pub fn source_span(&self, range: std::ops::Range<usize>) -> Option<Span> {
        if range.start > range.end || range.end > self.text.len() {
            return None;
        }
        if range.is_empty() {
            let at = self.source_offset(range.start);
            return Some(Span::new(at, at));
        }
        let start = self.offsets[range.start];
        let last = self.offsets[range.end - 1];
        (last - start == range.end - 1 - range.start).then(|| Span::new(start, last + 1))
    }

    /// Where `needle`, a suffix of the text (trailing blanks aside), starts.
    pub fn suffix_start(&self, needle: &str) -> Option<usize> {
        let trimmed = self.text.trim_end();
        trimmed.ends_with(needle).then(|| trimmed.len() - needle.len())
    }
}

fn trim_continuation(line: &str, escape: char, _first: bool) -> (&str, bool) {
    let body = line.trim_end_matches([' ', '\t']);
    let Some(before) = body.strip_suffix(escape) else { return (line, true) };
    if before.is_empty() {
        return ("", false);
    }
    if before.ends_with(escape) {
        return (line, true);
    }
    (before, false)
}

/// For fixes inside a shell-form RUN: where the RUN's script text (what the shell rules read) is
/// in the source. `None` for exec form and heredocs, which the fixes leave alone.
pub struct RunText {
    pub line: LogicalLine,
    /// Where the script starts in [`LogicalLine::text`].
    pub start: usize,
}

impl RunText {
    pub fn of(source: &str, outer: &Instruction, escape: char) -> Option<RunText> {
        let run = outer.effective();
        if run.json || !run.heredocs.is_empty() || run.kind != dockstage_syntax::Keyword::Run {
            return None;
        }
        let script = run.args.first()?;
        let line = LogicalLine::of(source, outer, escape);
        let start = line.suffix_start(script)?;
        Some(RunText { line, start })
    }

    pub fn script(&self) -> &str {
        &self.line.text[self.start..self.line.text.trim_end().len()]
    }

    /// The source span of a range of the script.
    pub fn span(&self, range: std::ops::Range<usize>) -> Option<Span> {
        self.line.source_span(range.start + self.start..range.end + self.start)
    }

    /// An insertion at a position of the script.
    pub fn insert(&self, at: usize, content: impl Into<String>) -> Option<Edit> {
        Some(Edit::insert(self.span(at..at)?.start, content))
    }

    pub fn replace(&self, range: std::ops::Range<usize>, content: impl Into<String>) -> Option<Edit> {
        Some(Edit::replace(self.span(range)?, content))
    }
}

/// The blank-separated words of `text[range]` with their ranges in `text`.
pub fn words_in(text: &str, range: std::ops::Range<usize>) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut out = Vec::new();
    let slice = &text[range.clone()];
    let mut start = None;
    for (i, c) in slice.char_indices().chain(std::iter::once((slice.len(), ' '))) {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push((range.start + s..range.start + i, &slice[s..i]));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix_all(src: &str, unsafe_fixes: bool) -> FixOutcome {
        fix_source("Dockerfile", src, &Config::default(), LintOptions::default(), &FixOptions { unsafe_fixes, only: vec![] })
    }

    #[test]
    fn logical_line_maps_through_continuations() {
        let src = "FROM a\nRUN apt-get update && \\\n  # a comment\n  apt-get install curl\n";
        let df = dockstage_syntax::parse(src).unwrap();
        let run = RunText::of(src, &df.instructions[1], '\\').unwrap();
        let at = run.script().find("install").unwrap();
        let span = run.span(at..at + 7).unwrap();
        assert_eq!(&src[span.start..span.end], "install");
    }

    #[test]
    fn overlapping_fixes_converge_and_second_run_changes_nothing() {
        let src = "from debian:12\nrun apt install curl\n";
        let safe = fix_all(src, false);
        assert_eq!(safe.fixed, "from debian:12\nrun apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n");
        assert!(!safe.applied.iter().any(|a| a.applicability == Applicability::Unsafe));
        let out = fix_all(src, true);
        assert!(out.fixed.contains("--no-install-recommends"), "{}", out.fixed);
        let again = fix_all(&out.fixed, true);
        assert_eq!(again.fixed, out.fixed);
        assert!(again.applied.is_empty());
    }

    #[test]
    fn a_fix_that_breaks_parsing_is_dropped() {
        let src = "FROM a\nRUN x\n";
        let df = dockstage_syntax::parse(src).unwrap();
        let bad = Fix::safe("break", vec![Edit::insert(src.len(), "RUN <<EOF\n")]);
        assert!(check_fix(src, &df, &bad).unwrap_err().contains("would not parse"));
        let foreign = Fix::safe("touch FROM", vec![Edit::replace(Span::new(5, 6), "b")]);
        assert!(check_fix(src, &df, &foreign).is_ok(), "an edit inside FROM owns FROM");
        let spill = Fix::safe("spill", vec![Edit::insert(11, " y\nRUN z")]);
        assert!(check_fix(src, &df, &spill).is_ok());
    }

    #[test]
    fn unparsable_input_is_left_alone() {
        let src = "FROM a\nRUN <<EOF\nnever ends\n";
        let out = fix_all(src, true);
        assert_eq!(out.fixed, src);
        assert_eq!(out.remaining.findings[0].rule, crate::PARSE_ERROR_RULE);
    }
}
