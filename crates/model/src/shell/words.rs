//! Turning a shell word as written into the string the command receives, where that is knowable.

/// Removes quoting from a word: `'a b'` gives `a b`, `"x"y` gives `xy`, `\$` gives `$`.
/// Expansions (`$VAR`, `${X:-y}`, `$(cmd)`, `` `cmd` ``) are kept as written, since their value
/// is not known before the build.
pub fn unquote(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    out.push(c);
                }
            }
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.peek() {
                            Some('$' | '`' | '"' | '\\') => out.push(chars.next().unwrap_or('\\')),
                            Some('\n') => {
                                chars.next();
                            }
                            _ => out.push('\\'),
                        },
                        _ => out.push(c),
                    }
                }
            }
            '$' if chars.peek() == Some(&'\'') => {
                // ANSI-C quoting: the common escapes are enough for reading package names.
                chars.next();
                while let Some(c) = chars.next() {
                    match c {
                        '\'' => break,
                        '\\' => match chars.next() {
                            Some('n') => out.push('\n'),
                            Some('t') => out.push('\t'),
                            Some(o) => out.push(o),
                            None => {}
                        },
                        _ => out.push(c),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') | None => {}
                Some(o) => out.push(o),
            },
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::unquote;

    #[test]
    fn removes_quotes_keeps_expansions() {
        assert_eq!(unquote("'a b'"), "a b");
        assert_eq!(unquote("\"x\"y"), "xy");
        assert_eq!(unquote("\\$HOME"), "$HOME");
        assert_eq!(unquote("\"$HOME/x\""), "$HOME/x");
        assert_eq!(unquote("curl=7.*"), "curl=7.*");
        assert_eq!(unquote("\"a\\\"b\""), "a\"b");
        assert_eq!(unquote("$'a\\tb'"), "a\tb");
        assert_eq!(unquote("'unterminated"), "unterminated");
    }
}
