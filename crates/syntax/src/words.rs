//! Word-level splitting of instruction arguments, mirroring BuildKit's parser helpers
//! (`extractBuilderFlags`, `parseWords`, JSON arrays, heredoc openers).
//!
//! Some of BuildKit's helpers walk bytes rather than characters; where that shows in results
//! (non-ASCII bytes in flags, the bytes 0x85 and 0xA0 counting as spaces) we do the same, so that
//! our output equals BuildKit's for every input.

use crate::parser::Dialect;

/// The blanks of BuildKit's `reWhitespace` (`[\t\v\f\r ]`).
pub fn is_go_regexp_blank(c: char) -> bool {
    matches!(c, '\t' | '\x0b' | '\x0c' | '\r' | ' ')
}

/// Go's `unicode.IsSpace(rune(b))` for a single byte.
pub fn is_go_byte_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | 0x85 | 0xA0)
}

/// Splits on runs of `[\t\v\f\r ]`, as `reWhitespace.Split(s, -1)` on a trimmed string.
pub fn split_go_blanks(text: &str) -> Vec<String> {
    if text.is_empty() {
        return Vec::new();
    }
    text.split(is_go_regexp_blank).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Spaces,
    Word,
    Quote,
}

/// Takes the leading `--flag` words off an argument string. Returns the rest and the flags with
/// quotes removed and escapes applied. A bare `--` ends the flags.
pub fn extract_flags(line: &str, escape: char) -> (String, Vec<String>) {
    let bytes = line.as_bytes();
    let escape = escape as u8;
    let len = bytes.len();
    let mut flags = Vec::new();
    let mut word = String::new();
    let mut phase = Phase::Spaces;
    let mut quote = 0u8;
    let mut blank_ok = false;
    let mut pos = 0;
    let rest_from = |pos: usize| String::from_utf8_lossy(&bytes[pos..]).into_owned();
    while pos <= len {
        let mut ch = if pos < len { bytes[pos] } else { 0 };
        if phase == Phase::Spaces {
            if pos == len {
                break;
            }
            if is_go_byte_space(ch) {
                pos += 1;
                continue;
            }
            if ch != b'-' || pos + 1 == len || bytes[pos + 1] != b'-' {
                return (rest_from(pos), flags);
            }
            phase = Phase::Word;
        }
        if pos == len {
            if word != "--" && (blank_ok || !word.is_empty()) {
                flags.push(word);
            }
            break;
        }
        match phase {
            Phase::Word => {
                if is_go_byte_space(ch) {
                    phase = Phase::Spaces;
                    if word == "--" {
                        return (rest_from(pos), flags);
                    }
                    if blank_ok || !word.is_empty() {
                        flags.push(std::mem::take(&mut word));
                    }
                    word.clear();
                    blank_ok = false;
                    pos += 1;
                    continue;
                }
                if ch == b'\'' || ch == b'"' {
                    quote = ch;
                    blank_ok = true;
                    phase = Phase::Quote;
                    pos += 1;
                    continue;
                }
                if ch == escape {
                    if pos + 1 == len {
                        pos += 1;
                        continue;
                    }
                    pos += 1;
                    ch = bytes[pos];
                }
                word.push(ch as char);
                pos += 1;
            }
            Phase::Quote => {
                if ch == quote {
                    phase = Phase::Word;
                    pos += 1;
                    continue;
                }
                if ch == escape {
                    if pos + 1 == len {
                        phase = Phase::Word;
                        pos += 1;
                        continue;
                    }
                    pos += 1;
                    ch = bytes[pos];
                }
                word.push(ch as char);
                pos += 1;
            }
            Phase::Spaces => unreachable!("handled above"),
        }
    }
    (String::new(), flags)
}

/// Splits ARG, ENV and LABEL arguments into words. Quotes delimit words but are kept, and
/// escapes are kept with the character they escape.
pub fn parse_words(rest: &str, escape: char) -> Vec<String> {
    let chars: Vec<char> = rest.chars().collect();
    let n = chars.len();
    let mut words = Vec::new();
    let mut word = String::new();
    let mut phase = Phase::Spaces;
    let mut quote = '\0';
    let mut blank_ok = false;
    let mut pos = 0;
    while pos <= n {
        let mut ch = if pos < n { chars[pos] } else { '\0' };
        if phase == Phase::Spaces {
            if pos == n {
                break;
            }
            if ch.is_whitespace() {
                pos += 1;
                continue;
            }
            phase = Phase::Word;
        }
        if pos == n {
            if blank_ok || !word.is_empty() {
                words.push(word);
            }
            break;
        }
        match phase {
            Phase::Word => {
                if ch.is_whitespace() {
                    phase = Phase::Spaces;
                    if blank_ok || !word.is_empty() {
                        words.push(std::mem::take(&mut word));
                    }
                    blank_ok = false;
                    pos += 1;
                    continue;
                }
                if ch == '\'' || ch == '"' {
                    quote = ch;
                    blank_ok = true;
                    phase = Phase::Quote;
                }
                if ch == escape {
                    if pos + 1 == n {
                        pos += 1;
                        continue;
                    }
                    word.push(ch);
                    pos += 1;
                    ch = chars[pos];
                }
                word.push(ch);
                pos += 1;
            }
            Phase::Quote => {
                if ch == quote {
                    phase = Phase::Word;
                }
                if ch == escape && quote != '\'' {
                    if pos + 1 == n {
                        phase = Phase::Word;
                        pos += 1;
                        continue;
                    }
                    word.push(ch);
                    pos += 1;
                    ch = chars[pos];
                }
                word.push(ch);
                pos += 1;
            }
            Phase::Spaces => unreachable!("handled above"),
        }
    }
    words
}

/// The message BuildKit gives for a JSON array holding something other than strings.
pub const NOT_STRING_ARRAY: &str = "when using JSON array syntax, arrays must be comprised of strings only";

/// Reads the exec (JSON) form. `Ok(None)` means "not JSON, use shell form", as BuildKit falls
/// back on any JSON syntax error; an array of non-strings is an error.
pub fn parse_json_array(text: &str, dialect: Dialect) -> Result<Option<Vec<String>>, String> {
    let text = text.trim_start();
    if !text.starts_with('[') {
        return Ok(None);
    }
    let parsed = match dialect {
        Dialect::Current => serde_json::from_str::<Vec<serde_json::Value>>(text),
        // v0.12 decoded the first JSON value and ignored what followed it.
        Dialect::V0_12 => serde_json::Deserializer::from_str(text)
            .into_iter::<Vec<serde_json::Value>>()
            .next()
            .unwrap_or_else(|| serde_json::from_str(text)),
    };
    let Ok(values) = parsed else {
        return Ok(None);
    };
    values
        .into_iter()
        .map(|v| match v {
            serde_json::Value::String(s) => Ok(s),
            _ => Err(NOT_STRING_ARRAY.to_string()),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// Quotes a string the way Go's `strconv.Quote` does (BuildKit prints values and messages so).
pub fn go_quote(s: &str) -> String {
    crate::expand::go_quote(s)
}

/// A heredoc opener such as `<<EOF`, `<<-"EOT"` or `3<<'X'` found in an instruction line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeredocOpener {
    pub name: String,
    pub file_descriptor: u64,
    pub chomp: bool,
    pub expand: bool,
}

/// Finds heredoc openers among the shell words of a line. BuildKit takes a word as an opener when
/// it is exactly digits, `<<`, an optional `-` and a delimiter without `<` that is one shell word.
pub fn heredocs_in_line(line: &str) -> Result<Vec<HeredocOpener>, String> {
    Ok(raw_shell_words(line).iter().filter_map(|w| heredoc_opener(w)).collect())
}

fn heredoc_opener(word: &str) -> Option<HeredocOpener> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let after = word[digits..].strip_prefix("<<")?;
    let (chomp, after) = match after.strip_prefix('-') {
        Some(a) => (true, a),
        None => (false, after),
    };
    let rest = after.trim_start_matches(['\t', '\n', '\x0c', '\r', ' ']);
    if rest.is_empty() || rest.contains('<') {
        return None;
    }
    let unquoted = unquoted_shell_words(rest);
    if unquoted.len() != 1 {
        return None;
    }
    let raw = raw_shell_words(rest);
    let quotes = |s: &str| s.matches(['\'', '"']).count();
    let expand = raw.len() == 1 && quotes(&raw[0]) == quotes(&unquoted[0]);
    let file_descriptor = if digits == 0 { 0 } else { word[..digits].parse::<u64>().unwrap_or(u64::MAX) };
    Some(HeredocOpener { name: unquoted.into_iter().next()?, file_descriptor, chomp, expand })
}

/// Shell words with quotes and escapes kept as written; unset variables stay as written.
fn raw_shell_words(line: &str) -> Vec<String> {
    shell_words(line, true)
}

/// Shell words with quotes removed and escapes applied; unset variables stay as written.
fn unquoted_shell_words(line: &str) -> Vec<String> {
    shell_words(line, false)
}

fn shell_words(line: &str, raw: bool) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\\' => {
                in_word = true;
                if raw {
                    word.push('\\');
                }
                if let Some(&next) = chars.get(i + 1) {
                    word.push(next);
                    i += 1;
                }
            }
            '\'' => {
                in_word = true;
                if raw {
                    word.push('\'');
                }
                i += 1;
                while i < chars.len() && chars[i] != '\'' {
                    word.push(chars[i]);
                    i += 1;
                }
                if raw && i < chars.len() {
                    word.push('\'');
                }
            }
            '"' => {
                in_word = true;
                if raw {
                    word.push('"');
                }
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' && i + 1 < chars.len() && matches!(chars[i + 1], '"' | '\\' | '$') {
                        if raw {
                            word.push('\\');
                        }
                        i += 1;
                    }
                    word.push(chars[i]);
                    i += 1;
                }
                if raw && i < chars.len() {
                    word.push('"');
                }
            }
            '$' if chars.get(i + 1) == Some(&'{') => {
                in_word = true;
                while i < chars.len() {
                    word.push(chars[i]);
                    if chars[i] == '}' {
                        break;
                    }
                    i += 1;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
        i += 1;
    }
    if in_word {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_unquoted_and_stop_at_first_plain_word() {
        let (rest, flags) = extract_flags("--from=builder --chown=\"a b\" /src /dst", '\\');
        assert_eq!(flags, vec!["--from=builder", "--chown=a b"]);
        assert_eq!(rest, "/src /dst");
        let (rest, flags) = extract_flags("-- --not-a-flag x", '\\');
        assert!(flags.is_empty());
        assert_eq!(rest.trim(), "--not-a-flag x");
    }

    #[test]
    fn words_keep_quotes_and_escapes() {
        assert_eq!(parse_words(r#"a="b c" d\ e"#, '\\'), vec![r#"a="b c""#, r"d\ e"]);
        assert_eq!(parse_words("x=''", '\\'), vec!["x=''"]);
    }

    #[test]
    fn json_form_falls_back_unless_non_string() {
        assert_eq!(parse_json_array(r#"["a", "b"]"#, Dialect::Current), Ok(Some(vec!["a".into(), "b".into()])));
        assert_eq!(parse_json_array("['a']", Dialect::Current), Ok(None));
        assert_eq!(parse_json_array(r#"["a", 1]"#, Dialect::Current), Err(NOT_STRING_ARRAY.into()));
        assert_eq!(parse_json_array("echo", Dialect::Current), Ok(None));
    }

    #[test]
    fn heredoc_openers() {
        let docs = heredocs_in_line(r#"RUN 3<<-"EOF" cat <<X <<'Y'"#).unwrap();
        let names: Vec<_> = docs.iter().map(|d| (d.name.as_str(), d.file_descriptor, d.chomp, d.expand)).collect();
        assert_eq!(names, vec![("EOF", 3, true, false), ("X", 0, false, true), ("Y", 0, false, false)]);
        assert!(heredocs_in_line("RUN cat<<EOF").unwrap().is_empty());
        assert!(heredocs_in_line("RUN echo '<<EOF'").unwrap().is_empty());
    }

    #[test]
    fn go_quote_matches_strconv() {
        assert_eq!(go_quote("a\"b\\c\n\u{1}é"), "\"a\\\"b\\\\c\\n\\x01é\"");
    }
}
