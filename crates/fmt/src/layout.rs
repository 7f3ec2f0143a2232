//! Re-laying out one instruction: continuation lines indented the same way, long `&&` chains one
//! command per line, JSON arrays spaced as Docker's documentation writes them.
//!
//! Only whitespace that the shell (or BuildKit's own word splitting) ignores is ever changed:
//! blanks outside quotes, between words. Every result is parsed again and compared with the
//! original instruction before it is used (see [`crate::equivalent`]).

use dockstage_syntax::{Instruction, Keyword};

/// Indentation of a continuation line that starts a command of a chain, or of every continuation
/// line when there is no chain.
const INDENT: &str = "    ";
/// Indentation of a continuation line that carries more words of the command above it.
const ARG_INDENT: &str = "        ";
/// A one-line RUN longer than this with an `&&` chain is broken one command per line.
pub const MAX_WIDTH: usize = 80;

/// The instruction rewritten, or `None` when its layout is left alone (heredocs, comment or
/// blank lines inside it, ONBUILD, a file whose escape character is not `\`, carriage returns).
pub fn layout(source: &str, escape: char, inst: &Instruction) -> Option<String> {
    let text = &source[inst.span.start..inst.span.end];
    if escape != '\\' || !inst.heredocs.is_empty() || inst.onbuild.is_some() || text.contains('\r') {
        return None;
    }
    if inst.json {
        return json_layout(text, inst);
    }
    let lines: Vec<&str> = text.split('\n').collect();
    if lines.len() > 1 && lines[1..].iter().any(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        return None;
    }
    // The logical text after the keyword, as BuildKit joins it, and where each join was.
    let mut body = String::new();
    let mut joins = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let content = if i + 1 < lines.len() {
            let t = line.trim_end_matches([' ', '\t']);
            t.strip_suffix('\\')?
        } else {
            line
        };
        let content = if i == 0 { content.get(inst.keyword.len()..)? } else { content };
        if i > 0 {
            joins.push(body.len());
        }
        body.push_str(content);
    }
    let lexed = lex(&body);
    let chain = inst.kind == Keyword::Run
        && !lexed.chain_ops.is_empty()
        && (lines.len() > 1 || inst.keyword.len() + 1 + body.trim().len() > MAX_WIDTH);
    // Each blank run outside quotes that held a join becomes a line break; so does the blank
    // run before each `&&` of a chain. A join with no blank around it (inside a word or quotes)
    // stays exactly where it was.
    let mut out = crate::formatted_keyword(inst);
    let mut at = 0;
    let mut pending_joins = joins.iter().copied().peekable();
    let chain_starts: Vec<usize> = if chain { lexed.chain_ops.clone() } else { Vec::new() };
    for run in &lexed.blanks {
        // Glued joins before this blank run are copied as written.
        while let Some(&j) = pending_joins.peek() {
            if j >= run.start {
                break;
            }
            out.push_str(&body[at..j]);
            out.push_str("\\\n");
            at = j;
            pending_joins.next();
        }
        let had_join = joins.iter().any(|&j| j >= run.start && j <= run.end);
        while pending_joins.peek().is_some_and(|&j| j <= run.end) {
            pending_joins.next();
        }
        out.push_str(&body[at..run.start]);
        let before_chain_op = chain_starts.contains(&run.end);
        let after_chain_op = chain && lexed.chain_ops.iter().any(|&o| o + 2 == run.start);
        if run.start == 0 {
            // Between the keyword and the first word.
            out.push_str(if had_join { " \\\n" } else { " " });
            if had_join {
                out.push_str(INDENT);
            }
        } else if run.end == body.len() {
            // Trailing blanks are kept as written.
            out.push_str(&body[run.start..run.end]);
        } else if before_chain_op {
            out.push_str(" \\\n");
            out.push_str(INDENT);
        } else if had_join && !after_chain_op {
            // A line of RUN flags alone (`RUN --mount=... \`) is followed by the chain's first
            // command, which sits where the chain's other commands do.
            let after_flags_only = {
                let words = shell_words(&body[..run.start]);
                !words.is_empty() && words.iter().all(|w| w.starts_with("--"))
            };
            out.push_str(" \\\n");
            out.push_str(if chain && !after_flags_only { ARG_INDENT } else { INDENT });
        } else if had_join {
            out.push(' ');
        } else {
            out.push_str(&body[run.start..run.end]);
        }
        at = run.end;
    }
    for j in pending_joins {
        out.push_str(&body[at..j]);
        out.push_str("\\\n");
        at = j;
    }
    out.push_str(&body[at..]);
    if body.is_empty() {
        return None;
    }
    Some(out)
}

/// `CMD ["a","b"]` as `CMD ["a", "b"]`, flags kept; one-line instructions only.
fn json_layout(text: &str, inst: &Instruction) -> Option<String> {
    if text.contains('\n') {
        return None;
    }
    let rest = text.get(inst.keyword.len()..)?.trim_start();
    let mut head = crate::formatted_keyword(inst);
    let mut rest = rest;
    while rest.starts_with("--") {
        let end = rest.find([' ', '\t']).unwrap_or(rest.len());
        head.push(' ');
        head.push_str(&rest[..end]);
        rest = rest[end..].trim_start();
    }
    if !rest.starts_with('[') {
        return None;
    }
    let items: Vec<String> = inst.args.iter().map(|a| json_string(a)).collect();
    Some(format!("{head} [{}]", items.join(", ")))
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What [`lex`] found in a logical line.
pub(crate) struct Lexed {
    /// Runs of blanks outside quotes, between words.
    pub blanks: Vec<std::ops::Range<usize>>,
    /// Offsets of `&&` at the top level (outside quotes, substitutions, groups and comments).
    pub chain_ops: Vec<usize>,
}

/// A shell-aware scan: quotes, backslash escapes, `$(...)`, backticks, `(...)`/`{...}` groups
/// and `#` comments, enough to know which blanks separate words.
pub(crate) fn lex(s: &str) -> Lexed {
    let b = s.as_bytes();
    let mut blanks = Vec::new();
    let mut chain_ops = Vec::new();
    let mut i = 0;
    let mut depth = 0usize;
    let mut word_start = true;
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' => {
                let start = i;
                while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
                    i += 1;
                }
                blanks.push(start..i);
                word_start = true;
                continue;
            }
            b'\\' => {
                i += 2;
            }
            b'\'' => {
                i += 1;
                while i < b.len() && b[i] != b'\'' {
                    i += 1;
                }
                i += 1;
            }
            b'"' => {
                i = skip_double(b, i + 1);
            }
            b'`' => {
                i += 1;
                while i < b.len() && b[i] != b'`' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'$' if b.get(i + 1) == Some(&b'(') || b.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 2;
            }
            b'(' | b'{' => {
                depth += 1;
                i += 1;
            }
            b')' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'#' if word_start => break,
            b'&' if b.get(i + 1) == Some(&b'&') => {
                if depth == 0 {
                    chain_ops.push(i);
                }
                i += 2;
                word_start = true;
                continue;
            }
            _ => i += 1,
        }
        word_start = false;
    }
    // A run inside an unterminated quote would have been swallowed; blanks found are outside.
    Lexed { blanks, chain_ops }
}

fn skip_double(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i] != b'"' {
        i += if b[i] == b'\\' { 2 } else { 1 };
    }
    i + 1
}

/// The words of a shell-form string: blank runs outside quotes are where it splits. Two strings
/// with the same words read the same to the shell.
pub fn shell_words(s: &str) -> Vec<&str> {
    let lexed = lex(s);
    let mut words = Vec::new();
    let mut at = 0;
    for r in &lexed.blanks {
        if r.start > at {
            words.push(&s[at..r.start]);
        }
        at = r.end;
    }
    if at < s.len() {
        words.push(&s[at..]);
    }
    words
}
