//! Building blocks for the rules' fixes: edits inside a RUN's script, replacing whole
//! instructions. The engine ([`crate::fix`]) checks every result, so these may be simple.

use dockstage_model::shell::SimpleCommand;
use dockstage_syntax::Instruction;

use crate::fix::{words_in, Applicability, Edit, Fix, RunText};
use crate::hadolint_shell::HadolintRun;
use crate::Context;

/// The script of a shell-form RUN, located in the source; `None` for exec form and heredocs.
pub(crate) fn run_text(ctx: &Context, r: &HadolintRun) -> Option<RunText> {
    let t = RunText::of(ctx.source, r.outer, ctx.dockerfile.escape)?;
    (t.script() == r.text).then_some(t)
}

/// The words of a command as written in the script, with their ranges in it; `None` for a
/// command seen through a wrapper (its span is the wrapper's).
pub(crate) fn command_words<'t>(t: &'t RunText, c: &SimpleCommand) -> Option<Vec<(std::ops::Range<usize>, &'t str)>> {
    if !c.wrappers.is_empty() || c.span.end > t.script().len() {
        return None;
    }
    Some(words_in(t.script(), c.span.start..c.span.end))
}

/// Inserts ` {flag}` after the first word `after` (past the program name) of each command that
/// `pick` selects.
pub(crate) fn insert_flag_after(ctx: &Context, r: &HadolintRun, pick: impl Fn(&SimpleCommand) -> bool, after: &str, flag: &str) -> Vec<Edit> {
    let Some(t) = run_text(ctx, r) else { return Vec::new() };
    let mut edits = Vec::new();
    for c in r.commands().filter(|c| pick(c)) {
        let Some(words) = command_words(&t, c) else { continue };
        let Some(program) = words.iter().position(|(_, w)| *w == c.name) else { continue };
        let Some((range, _)) = words.iter().skip(program + 1).find(|(_, w)| *w == after) else { continue };
        if let Some(e) = t.insert(range.end, format!(" {flag}")) {
            edits.push(e);
        }
    }
    edits
}

/// A fix from edits; `None` when there are none.
pub(crate) fn fix(applicability: Applicability, title: &str, edits: Vec<Edit>) -> Option<Fix> {
    (!edits.is_empty()).then(|| Fix { applicability, title: title.to_string(), edits, new_files: Vec::new() })
}

/// The keyword `upper` spelled with the casing of the instruction's own keyword.
pub(crate) fn keyword_like(inst: &Instruction, upper: &str) -> String {
    if inst.keyword.chars().any(|c| c.is_ascii_uppercase()) {
        upper.to_string()
    } else {
        upper.to_ascii_lowercase()
    }
}

/// The source of the keyword word of an instruction.
pub(crate) fn keyword_span(inst: &Instruction) -> dockstage_syntax::Span {
    dockstage_syntax::Span::new(inst.span.start, inst.span.start + inst.keyword.len())
}

/// A double-quoted Dockerfile word with the value `s`, taken literally (no expansion).
pub(crate) fn quote_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if matches!(c, '"' | '\\' | '$') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// `MAINTAINER x` as `LABEL maintainer="x"`: the image's author field becomes the label the
/// OCI conventions and BuildKit's warning point to.
pub(crate) fn maintainer_to_label(ctx: &Context, inst: &Instruction) -> Option<Fix> {
    if inst.onbuild.is_some() || inst.end_line != inst.start_line {
        return None;
    }
    let value = inst.args.first()?;
    let text = format!("{} maintainer={}", keyword_like(inst, "LABEL"), quote_literal(value));
    let _ = ctx;
    fix(Applicability::Safe, "Replace MAINTAINER with a `maintainer` label", vec![Edit::replace(inst.span, text)])
}

/// Appends ` && {command}` to the end of a RUN's script; `None` when the script ends in a way
/// that would change what the addition means (a comment, a background job, a trailing operator).
pub(crate) fn append_command(ctx: &Context, r: &HadolintRun, command: &str) -> Option<Edit> {
    let t = run_text(ctx, r)?;
    let script = t.script().trim_end();
    if script.contains('#') || script.ends_with(['&', '|', ';', '\\']) || script.is_empty() {
        return None;
    }
    t.insert(script.len(), format!(" && {command}"))
}

/// Inserts ` {flag}` right after the program word of each command `pick` selects.
pub(crate) fn insert_after_program(ctx: &Context, r: &HadolintRun, pick: impl Fn(&SimpleCommand) -> bool, flag: &str) -> Vec<Edit> {
    let Some(t) = run_text(ctx, r) else { return Vec::new() };
    let mut edits = Vec::new();
    for c in r.commands().filter(|c| pick(c)) {
        let Some(words) = command_words(&t, c) else { continue };
        let Some((range, _)) = words.iter().find(|(_, w)| *w == c.name) else { continue };
        if let Some(e) = t.insert(range.end, format!(" {flag}")) {
            edits.push(e);
        }
    }
    edits
}

/// The shell form of CMD or ENTRYPOINT as JSON, when the command is plain words that the shell
/// would split the same way (no quotes, expansions, operators or globs).
pub(crate) fn exec_form(inst: &Instruction) -> Option<Fix> {
    if inst.json || inst.onbuild.is_some() || inst.start_line != inst.end_line || !inst.flags.is_empty() {
        return None;
    }
    if !matches!(inst.kind, dockstage_syntax::Keyword::Cmd | dockstage_syntax::Keyword::Entrypoint) {
        return None;
    }
    let command = inst.args.first()?;
    if command.is_empty() || command.contains(|c: char| "\"'`$\\|&;<>()*?[]{}~#!=".contains(c)) {
        return None;
    }
    let words: Vec<String> = command.split_whitespace().map(|w| format!("\"{w}\"")).collect();
    let text = format!("{} [{}]", inst.keyword, words.join(", "));
    fix(Applicability::Unsafe, "Use the JSON (exec) form", vec![Edit::replace(inst.span, text)])
}

/// Appends ` && {command}` to a RUN's script as a safe fix titled `title`.
pub(crate) fn append_fix(ctx: &Context, r: &HadolintRun, command: &str, title: &str) -> Option<Fix> {
    fix(Applicability::Safe, title, vec![append_command(ctx, r, command)?])
}

/// Removes a whole instruction with its line end: for instructions that a later one of the same
/// kind overrides, so the built image cannot tell.
pub(crate) fn delete_instruction(ctx: &Context, inst: &Instruction, title: &str) -> Option<Fix> {
    let mut end = inst.span.end;
    let rest = &ctx.source[end..];
    if rest.starts_with("\r\n") {
        end += 2;
    } else if rest.starts_with('\n') {
        end += 1;
    }
    fix(Applicability::Safe, title, vec![Edit::delete(dockstage_syntax::Span::new(inst.span.start, end))])
}

/// Replaces the word `old` (as written, outside the keyword) in a one-line instruction.
pub(crate) fn replace_word(ctx: &Context, inst: &Instruction, old: &str, new: &str, applicability: Applicability, title: &str) -> Option<Fix> {
    if inst.onbuild.is_some() {
        return None;
    }
    let line = crate::fix::LogicalLine::of(ctx.source, inst, ctx.dockerfile.escape);
    let words = words_in(&line.text, 0..line.text.len());
    let (range, _) = words.iter().skip(1).rfind(|(_, w)| *w == old)?;
    let span = line.source_span(range.clone())?;
    fix(applicability, title, vec![Edit::replace(span, new)])
}
