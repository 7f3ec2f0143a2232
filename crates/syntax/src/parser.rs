//! The line-level parser: physical lines to instructions, exactly as BuildKit's
//! `frontend/dockerfile/parser` splits them.
//!
//! BuildKit's rules, in the order they apply to each physical line:
//! 1. Parser directives are only recognised in the unbroken run of comment lines at the top.
//! 2. Comment lines are dropped, also inside a continuation; blank lines inside a continuation are
//!    dropped with a warning.
//! 3. A line ending in the escape character (optionally followed by blanks) continues on the next.
//! 4. The first word is the instruction; `--flags` follow; the rest is split per instruction.
//! 5. RUN, COPY and ADD (also under ONBUILD) in shell form may open heredocs, whose bodies are the
//!    following lines up to the terminator, taken verbatim.

use std::fmt;

use crate::ast::{Comment, Directive, Dockerfile, Flag, Heredoc, Instruction, Keyword, Span, Warning, WarningKind};
use crate::directives::DirectiveScanner;
use crate::words;

/// Why BuildKit would reject a Dockerfile, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    /// 1-based line and column where the problem starts.
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for ParseError {}

struct PhysicalLine<'a> {
    /// Byte offset of the line in the source.
    start: usize,
    /// The line including its `\n`, if it has one.
    text: &'a str,
}

fn split_physical_lines(src: &str) -> Vec<PhysicalLine<'_>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for text in src.split_inclusive('\n') {
        lines.push(PhysicalLine { start, text });
        start += text.len();
    }
    lines
}

/// Removes every trailing `\r` and `\n`, as Go's `bytes.TrimRight(line, "\r\n")`.
fn trim_newline(line: &str) -> &str {
    line.trim_end_matches(['\r', '\n'])
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// Strips a trailing continuation: the escape character, not itself escaped, then blanks.
/// Returns the remaining text and whether the logical line ends here.
fn trim_continuation(line: &str, escape: char) -> (&str, bool) {
    let body = line.trim_end_matches([' ', '\t']);
    let Some(before) = body.strip_suffix(escape) else {
        return (line, true);
    };
    if before.is_empty() {
        return ("", false);
    }
    if before.ends_with(escape) {
        return (line, true);
    }
    (before, false)
}

struct Parser<'a> {
    src: &'a str,
    lines: Vec<PhysicalLine<'a>>,
    next: usize,
    escape: char,
    comments: Vec<Comment>,
}

impl<'a> Parser<'a> {
    fn error_at_line(&self, line: usize, message: impl Into<String>) -> ParseError {
        let column = self
            .lines
            .get(line.wrapping_sub(1))
            .map(|l| l.text.chars().take_while(|c| c.is_whitespace() && *c != '\n').count() + 1)
            .unwrap_or(1);
        ParseError { message: message.into(), line, column }
    }

    /// Records a comment line; `skip` bytes at its start (a byte-order mark) are not part of it.
    fn record_comment(&mut self, index: usize, skip: usize) {
        let line = &self.lines[index];
        let text = trim_newline(&line.text[skip..]);
        let indent = text.len() - text.trim_start().len();
        let start = line.start + skip;
        self.comments.push(Comment {
            text: text.trim_start()[1..].trim().to_string(),
            line: index + 1,
            span: Span::new(start + indent, start + text.len()),
        });
    }
}

/// Parses a Dockerfile the way BuildKit does.
///
/// Arguments (`Instruction::args`) take BuildKit's shapes: FROM, EXPOSE and (shell form) ADD,
/// COPY, VOLUME are split on blanks; ARG is split into words with quotes kept; ENV and LABEL are
/// triples of key, value and separator (`=` or empty for the legacy `KEY value` form); CMD,
/// ENTRYPOINT, RUN and SHELL are one string in shell form; HEALTHCHECK is its type followed by
/// the command; MAINTAINER, STOPSIGNAL, USER and WORKDIR are one string; JSON form gives the
/// array's strings.
pub fn parse(src: &str) -> Result<Dockerfile, ParseError> {
    parse_with(src, Dialect::Current)
}

/// Which BuildKit release's parser to follow where releases disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// BuildKit as of v0.13 and later: what `docker build` uses today.
    #[default]
    Current,
    /// BuildKit v0.12, as vendored by the `dockerfile` Python package: flags always take `\` as
    /// their escape character, and an exec-form JSON array may be followed by anything.
    V0_12,
}

/// [`parse`] following a given BuildKit release.
pub fn parse_with(src: &str, dialect: Dialect) -> Result<Dockerfile, ParseError> {
    let mut p = Parser { src, lines: split_physical_lines(src), next: 0, escape: '\\', comments: Vec::new() };
    let mut directives = DirectiveScanner::default();
    let mut found_directives: Vec<Directive> = Vec::new();
    let mut instructions = Vec::new();
    let mut warnings = Vec::new();
    let mut comments_before: Vec<String> = Vec::new();

    while p.next < p.lines.len() {
        let index = p.next;
        let line_start = p.lines[index].start;
        let mut raw = p.lines[index].text;
        let mut bom = 0;
        if index == 0 {
            if let Some(rest) = raw.strip_prefix('\u{feff}') {
                bom = raw.len() - rest.len();
                raw = rest;
            }
        }
        if is_comment(raw) {
            p.record_comment(index, bom);
            let text = raw.trim_start()[1..].trim();
            if text.is_empty() {
                comments_before.clear();
            } else {
                comments_before.push(text.to_string());
            }
        }
        let content = trim_newline(raw);
        let trimmed = content.trim_start();
        match directives.scan(trimmed) {
            Err(message) => return Err(p.error_at_line(index + 1, message)),
            Ok(Some((name, value))) => {
                if name == "escape" {
                    p.escape = match value.as_str() {
                        "\\" => '\\',
                        "`" => '`',
                        other => {
                            return Err(p.error_at_line(
                                index + 1,
                                format!("invalid escape token '{other}' does not match ` or \\"),
                            ))
                        }
                    };
                }
                comments_before.pop();
                found_directives.push(Directive {
                    name,
                    value,
                    line: index + 1,
                    span: Span::new(line_start + bom, line_start + bom + content.len()),
                });
            }
            Ok(None) => {}
        }
        let first = if is_comment(trimmed) { "" } else { trimmed };
        p.next += 1;
        let start_line = index + 1;
        let indent = content.len() - trimmed.len();
        let instruction_start = line_start + bom + indent;
        let column = content[..indent].chars().count() + 1;

        let (first, mut ended) = trim_continuation(first, p.escape);
        if ended && first.is_empty() {
            continue;
        }
        let mut logical = first.to_string();
        let mut last_line_end = line_start + bom + content.len();
        let mut has_empty_continuation = false;
        while !ended && p.next < p.lines.len() {
            let index = p.next;
            let raw = p.lines[index].text;
            let content = trim_newline(raw);
            p.next += 1;
            if is_comment(raw) {
                p.record_comment(index, 0);
                continue;
            }
            if content.trim_start().is_empty() {
                has_empty_continuation = true;
                continue;
            }
            last_line_end = p.lines[index].start + content.len();
            let (part, end) = trim_continuation(content, p.escape);
            logical.push_str(part);
            ended = end;
        }
        if has_empty_continuation {
            warnings.push(Warning {
                kind: WarningKind::EmptyContinuationLine,
                message: format!("Empty continuation line found in: {logical}"),
                line: p.next,
            });
        }

        let mut instruction = instruction_from_line(&logical, p.escape, dialect)
            .map_err(|message| ParseError { message, line: start_line, column })?;

        if instruction.effective().kind.takes_heredocs() && !instruction.effective().json && logical.contains("<<") {
            let openers = words::heredocs_in_line(&logical)
                .map_err(|message| ParseError { message, line: start_line, column })?;
            for opener in openers {
                let mut content = String::new();
                let mut terminated = false;
                while p.next < p.lines.len() {
                    let line = &p.lines[p.next];
                    p.next += 1;
                    let mut candidate = trim_newline(line.text);
                    if opener.chomp {
                        candidate = candidate.trim_start_matches('\t');
                    }
                    if candidate == opener.name {
                        terminated = true;
                        last_line_end = line.start + trim_newline(line.text).len();
                        break;
                    }
                    content.push_str(line.text);
                    last_line_end = line.start + trim_newline(line.text).len();
                }
                if !terminated {
                    return Err(ParseError { message: "unterminated heredoc".into(), line: start_line, column });
                }
                instruction.heredocs.push(Heredoc {
                    name: opener.name,
                    file_descriptor: opener.file_descriptor,
                    expand: opener.expand,
                    chomp: opener.chomp,
                    content,
                    end_line: p.next,
                });
            }
        }

        instruction.start_line = start_line;
        instruction.end_line = p.next;
        instruction.column = column;
        instruction.span = Span::new(instruction_start, last_line_end.max(instruction_start));
        instruction.comments_before = std::mem::take(&mut comments_before);
        instructions.push(instruction);
    }

    if instructions.is_empty() {
        let line = p.lines.len().max(1);
        return Err(ParseError { message: "file with no instructions".into(), line, column: 1 });
    }
    debug_assert!(instructions.iter().all(|i| i.span.end <= p.src.len()));

    Ok(Dockerfile { directives: found_directives, escape: p.escape, instructions, comments: p.comments, warnings })
}

/// Splits one logical line into instruction word, flags and arguments.
fn instruction_from_line(line: &str, escape: char, dialect: Dialect) -> Result<Instruction, String> {
    let trimmed = line.trim();
    let (word, rest) = match trimmed.find(words::is_go_regexp_blank) {
        Some(i) => {
            let after = trimmed[i..].trim_start_matches(words::is_go_regexp_blank);
            (&trimmed[..i], Some(after))
        }
        None => (trimmed, None),
    };
    let (args_text, raw_flags) = match rest {
        Some(rest) => words::extract_flags(rest, if dialect == Dialect::V0_12 { '\\' } else { escape }),
        None => (String::new(), Vec::new()),
    };
    let args_text = args_text.trim();
    let kind = Keyword::from_word(word);
    let mut instruction = Instruction {
        keyword: word.to_string(),
        kind,
        flags: raw_flags.into_iter().map(Flag::from_raw).collect(),
        args: Vec::new(),
        json: false,
        original: line.to_string(),
        start_line: 0,
        end_line: 0,
        column: 0,
        span: Span::default(),
        heredocs: Vec::new(),
        onbuild: None,
        comments_before: Vec::new(),
    };
    match kind {
        Keyword::Onbuild => {
            if !args_text.is_empty() {
                instruction.onbuild = Some(Box::new(instruction_from_line(args_text, escape, dialect)?));
            }
        }
        Keyword::Add | Keyword::Copy | Keyword::Volume => match words::parse_json_array(args_text, dialect)? {
            Some(array) => {
                instruction.args = array;
                instruction.json = true;
            }
            None => instruction.args = words::split_go_blanks(args_text),
        },
        Keyword::Cmd | Keyword::Entrypoint | Keyword::Run | Keyword::Shell => {
            (instruction.args, instruction.json) = maybe_json(args_text, dialect)?;
        }
        Keyword::Healthcheck => {
            // BuildKit splits the type off byte by byte, with Go's byte-wise notion of space.
            let bytes = args_text.as_bytes();
            let type_end = bytes.iter().position(|&b| words::is_go_byte_space(b)).unwrap_or(bytes.len());
            if type_end > 0 {
                let command_start =
                    type_end + bytes[type_end..].iter().take_while(|&&b| words::is_go_byte_space(b)).count();
                let command = String::from_utf8_lossy(&bytes[command_start..]);
                let (mut args, json) = maybe_json(&command, dialect)?;
                args.insert(0, String::from_utf8_lossy(&bytes[..type_end]).into_owned());
                instruction.args = args;
                instruction.json = json;
            }
        }
        Keyword::Env | Keyword::Label => instruction.args = name_values(args_text, kind, escape)?,
        Keyword::Arg => instruction.args = words::parse_words(args_text, escape),
        Keyword::Expose | Keyword::From => instruction.args = words::split_go_blanks(args_text),
        Keyword::Maintainer | Keyword::Stopsignal | Keyword::User | Keyword::Workdir => {
            if !args_text.is_empty() {
                instruction.args = vec![args_text.to_string()];
            }
        }
        // BuildKit accepts unknown words when parsing and rejects them when building.
        Keyword::Unknown => instruction.args = vec![String::new()],
    }
    Ok(instruction)
}

fn maybe_json(text: &str, dialect: Dialect) -> Result<(Vec<String>, bool), String> {
    if text.is_empty() {
        return Ok((Vec::new(), false));
    }
    Ok(match words::parse_json_array(text, dialect)? {
        Some(array) => (array, true),
        None => (vec![text.to_string()], false),
    })
}

/// ENV and LABEL: `key=value ...` pairs, or the legacy single `key value`.
fn name_values(text: &str, kind: Keyword, escape: char) -> Result<Vec<String>, String> {
    let words = words::parse_words(text, escape);
    let Some(first) = words.first() else {
        return Ok(Vec::new());
    };
    if !first.contains('=') {
        let mut parts = text.splitn(2, words::is_go_regexp_blank);
        let key = parts.next().unwrap_or_default();
        let Some(value) = parts.next() else {
            return Err(format!("{} must have two arguments", kind.as_str()));
        };
        let value = value.trim_start_matches(words::is_go_regexp_blank);
        return Ok(vec![key.to_string(), value.to_string(), String::new()]);
    }
    let mut args = Vec::with_capacity(words.len() * 3);
    for word in &words {
        let Some((key, value)) = word.split_once('=') else {
            return Err(format!(
                "Syntax error - can't find = in {}. Must be of the form: name=value",
                words::go_quote(word)
            ));
        };
        args.extend([key.to_string(), value.to_string(), "=".to_string()]);
    }
    Ok(args)
}
