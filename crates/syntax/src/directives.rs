//! Parser directives: `# syntax=...`, `# escape=...`, `# check=...` at the very top of a file.

use std::collections::HashSet;

const KNOWN: [&str; 3] = ["syntax", "escape", "check"];

/// Recognises directives line by line until the first line that is not one.
#[derive(Default)]
pub(crate) struct DirectiveScanner {
    done: bool,
    seen: HashSet<String>,
}

/// Go's regexp `\s`: ASCII blanks without the vertical tab.
fn is_regexp_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ')
}

impl DirectiveScanner {
    /// Takes a line with its leading white space removed. Returns the directive's lower-cased
    /// name and value, `None` when the line is not a directive (which ends the directive block),
    /// or an error for a repeated directive.
    pub(crate) fn scan(&mut self, line: &str) -> Result<Option<(String, String)>, String> {
        if self.done {
            return Ok(None);
        }
        match directive_in_line(line) {
            Some((name, value)) => {
                if !self.seen.insert(name.clone()) {
                    return Err(format!("only one {name} parser directive can be used"));
                }
                Ok(Some((name, value)))
            }
            None => {
                self.done = true;
                Ok(None)
            }
        }
    }
}

fn directive_in_line(line: &str) -> Option<(String, String)> {
    let body = line.strip_prefix('#')?.trim_start();
    let name_len = body
        .char_indices()
        .take_while(|&(i, c)| if i == 0 { c.is_ascii_alphabetic() } else { c.is_ascii_alphanumeric() })
        .count();
    if name_len == 0 {
        return None;
    }
    let name = body[..name_len].to_ascii_lowercase();
    let after_name = body[name_len..].trim_start_matches(is_regexp_space);
    let after_eq = after_name.strip_prefix('=')?;
    if after_eq.is_empty() {
        return None;
    }
    let value = after_eq.trim_matches(is_regexp_space);
    // A value of blanks only: the lazy `(.+?)` keeps the last blank.
    let value = if value.is_empty() { &after_eq[after_eq.len() - 1..] } else { value };
    KNOWN.contains(&name.as_str()).then(|| (name, value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_directives_case_insensitively_with_spaces() {
        assert_eq!(directive_in_line("# Escape = `"), Some(("escape".into(), "`".into())));
        assert_eq!(directive_in_line("#syntax=docker/dockerfile:1"), Some(("syntax".into(), "docker/dockerfile:1".into())));
        assert_eq!(directive_in_line("# check=skip=all;error=true"), Some(("check".into(), "skip=all;error=true".into())));
    }

    #[test]
    fn rejects_unknown_and_malformed() {
        assert_eq!(directive_in_line("# foo=bar"), None);
        assert_eq!(directive_in_line("# escape"), None);
        assert_eq!(directive_in_line("# escape="), None);
        assert_eq!(directive_in_line("escape=`"), None);
    }

    #[test]
    fn repeated_directive_is_an_error_and_block_ends_at_first_other_line() {
        let mut s = DirectiveScanner::default();
        assert!(s.scan("# escape=`").unwrap().is_some());
        assert!(s.scan("# escape=`").is_err());
        let mut s = DirectiveScanner::default();
        assert!(s.scan("# hello").unwrap().is_none());
        assert!(s.scan("# escape=`").unwrap().is_none());
    }
}
