//! Shell patterns of `${VAR#pat}`, `${VAR%pat}` and `${VAR/pat/repl}`.
//!
//! BuildKit turns these patterns into a Go regular expression (`*` becomes
//! `.*` or `.*?`, `?` becomes `.`, everything else is literal) and runs Go's
//! leftmost-first regexp engine on them. Only three kinds of atoms can occur,
//! so instead of pulling in a regex engine we evaluate the same
//! leftmost-first (backtracking-priority) semantics with a dynamic program
//! that is O(pattern × value) in time and O(value) in memory: no exponential
//! blow-up on many stars, no recursion.
//!
//! BuildKit itself has no limits, so a crafted word (nested `${A//...}` whose
//! output multiplies at every level) can make it run for minutes or exhaust
//! memory. We refuse instead: [`Limits`] bounds matcher work and output size.

/// Upper bounds that turn runaway expansions into errors.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    /// Max pattern atoms × value chars one match may examine.
    pub work: usize,
    /// Max bytes of any produced string.
    pub len: usize,
}

pub(super) fn too_large(limit: usize) -> String {
    format!("expansion result too large (more than {limit} bytes)")
}

/// One atom of a converted pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Atom {
    Lit(char),
    /// Go's `.`: any character except newline.
    Any,
    /// Go's `.*` (greedy) or `.*?` (lazy); like `.`, never crosses a newline.
    Star,
}

/// Converts a shell pattern the way BuildKit does, including its quirks: the
/// escape character inside patterns is always a backslash (whatever the
/// Dockerfile escape token is), `\}` and `\/` drop the backslash, and only
/// `\*`, `\?` and `\\` are accepted as other escapes.
///
/// On error returns the text that follows "invalid pattern (...) in
/// substitution: ".
pub(super) fn compile(pattern: &str) -> Result<Vec<Atom>, String> {
    // Go's text/scanner silently drops a byte order mark at the very start.
    let pattern = pattern.strip_prefix('\u{FEFF}').unwrap_or(pattern);
    let mut atoms = Vec::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' => atoms.push(Atom::Star),
            '?' => atoms.push(Atom::Any),
            '\\' => match chars.peek().copied() {
                // The escape only protected the character from ending the ${}.
                Some('}') | Some('/') => {}
                Some(e @ ('*' | '?' | '\\')) => {
                    chars.next();
                    atoms.push(Atom::Lit(e));
                }
                Some(e) => return Err(format!("invalid escape '\\{e}'")),
                // Go formats its EOF sentinel with %c as U+FFFD.
                None => return Err("invalid escape '\\\u{FFFD}'".to_string()),
            },
            other => atoms.push(Atom::Lit(other)),
        }
    }
    Ok(atoms)
}

/// For every start index `s` in `text` (0..=len), the end index of the match
/// Go's engine would report when the match has to start exactly at `s`.
///
/// Row `i` of the table answers "matching atoms[i..] from position t, where
/// does the preferred match end?"; row i only needs rows i and i+1, so two
/// rows are kept.
fn preferred_ends(atoms: &[Atom], text: &[char], greedy: bool, limits: Limits) -> Result<Vec<Option<usize>>, String> {
    let n = text.len();
    if atoms.len().saturating_mul(n + 1) > limits.work {
        return Err(format!(
            "pattern too complex to match ({} pattern characters against {n} characters)",
            atoms.len()
        ));
    }
    // Row for the empty remainder: matches immediately.
    let mut next: Vec<Option<usize>> = (0..=n).map(Some).collect();
    let mut cur: Vec<Option<usize>> = vec![None; n + 1];
    for atom in atoms.iter().rev() {
        for t in (0..=n).rev() {
            let here = text.get(t).copied();
            cur[t] = match *atom {
                Atom::Lit(c) => match here {
                    Some(h) if h == c => next[t + 1],
                    _ => None,
                },
                Atom::Any => match here {
                    Some(h) if h != '\n' => next[t + 1],
                    _ => None,
                },
                Atom::Star => {
                    let more = match here {
                        Some(h) if h != '\n' => cur[t + 1],
                        _ => None,
                    };
                    let stop = next[t];
                    if greedy {
                        more.or(stop)
                    } else {
                        stop.or(more)
                    }
                }
            };
        }
        std::mem::swap(&mut next, &mut cur);
    }
    Ok(next)
}

/// `(start, end)` char indices of the leftmost-first match starting at or
/// after `from`, given the table from [`preferred_ends`].
fn find_from(ends: &[Option<usize>], from: usize) -> Option<(usize, usize)> {
    (from..ends.len()).find_map(|s| ends[s].map(|e| (s, e)))
}

/// `${VAR#pat}` / `${VAR##pat}`: drop the preferred match anchored at the start.
pub(super) fn trim_prefix(atoms: &[Atom], value: &str, greedy: bool, limits: Limits) -> Result<String, String> {
    let text: Vec<char> = value.chars().collect();
    Ok(match preferred_ends(atoms, &text, greedy, limits)?[0] {
        Some(end) => text[end..].iter().collect(),
        None => value.to_string(),
    })
}

/// BuildKit handles `%`/`%%` by reversing both the pattern and the value and
/// trimming a prefix. Backslash pairs stay in order (`a\*c` -> `c\*a`); a
/// lone trailing backslash stays a lone backslash.
pub(super) fn reverse_pattern(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = vec!['\0'; chars.len()];
    let last = chars.len().wrapping_sub(1);
    let mut i = 0;
    while i < chars.len() {
        let dst = last - i;
        if chars[i] == '\\' && i != last {
            out[dst - 1] = '\\';
            out[dst] = chars[i + 1];
            i += 2;
        } else {
            out[dst] = chars[i];
            i += 1;
        }
    }
    out.into_iter().collect()
}

pub(super) fn reverse_string(s: &str) -> String {
    s.chars().rev().collect()
}

/// `${VAR/pat/repl}`: replace the first (leftmost) match, literally.
pub(super) fn replace_first(atoms: &[Atom], value: &str, replacement: &str, limits: Limits) -> Result<String, String> {
    let text: Vec<char> = value.chars().collect();
    let ends = preferred_ends(atoms, &text, true, limits)?;
    let out = match find_from(&ends, 0) {
        Some((s, e)) => {
            let mut out: String = text[..s].iter().collect();
            out.push_str(replacement);
            out.extend(&text[e..]);
            out
        }
        None => value.to_string(),
    };
    if out.len() > limits.len {
        return Err(too_large(limits.len));
    }
    Ok(out)
}

/// `${VAR//pat/repl}`: Go's `Regexp.ReplaceAllString`, including the way it
/// skips an empty match right after a previous match and the `$` template
/// expansion it applies to the replacement.
pub(super) fn replace_all(atoms: &[Atom], value: &str, replacement: &str, limits: Limits) -> Result<String, String> {
    let text: Vec<char> = value.chars().collect();
    let ends = preferred_ends(atoms, &text, true, limits)?;
    let mut out = String::new();
    let mut last_end = 0;
    let mut search = 0;
    while search <= text.len() {
        let Some((s, e)) = find_from(&ends, search) else {
            break;
        };
        out.extend(&text[last_end..s]);
        if e > last_end || s == 0 {
            expand_template(&mut out, replacement, &text[s..e]);
        }
        if out.len() > limits.len {
            return Err(too_large(limits.len));
        }
        last_end = e;
        // Always advance at least one character.
        search = if search + 1 > e { search + 1 } else { e };
    }
    out.extend(&text[last_end..]);
    if out.len() > limits.len {
        return Err(too_large(limits.len));
    }
    Ok(out)
}

/// Go's `Regexp.Expand` for a regexp without capture groups: `$$` is `$`,
/// `$0`/`${0}` the whole match, any other well-formed `$name`/`${name}` is
/// empty, and a malformed reference keeps its `$` literally.
fn expand_template(out: &mut String, template: &str, whole: &[char]) {
    let mut rest = template;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix('$') {
            out.push('$');
            rest = r;
            continue;
        }
        match extract_name(rest) {
            Some((name, after)) => {
                if name == "0" {
                    out.extend(whole);
                }
                rest = after;
            }
            None => out.push('$'),
        }
    }
    out.push_str(rest);
}

fn extract_name(s: &str) -> Option<(&str, &str)> {
    let (body, brace) = match s.strip_prefix('{') {
        Some(b) => (b, true),
        None => (s, false),
    };
    let len: usize = body
        .chars()
        .take_while(|&c| super::is_go_letter(c) || super::is_go_digit(c) || c == '_')
        .map(char::len_utf8)
        .sum();
    if len == 0 {
        return None;
    }
    let name = &body[..len];
    let after = &body[len..];
    if brace {
        after.strip_prefix('}').map(|a| (name, a))
    } else {
        Some((name, after))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: Limits = Limits { work: 1 << 20, len: 1 << 20 };

    fn trim_prefix(atoms: &[Atom], value: &str, greedy: bool) -> String {
        super::trim_prefix(atoms, value, greedy, L).unwrap()
    }
    fn replace_all(atoms: &[Atom], value: &str, repl: &str) -> String {
        super::replace_all(atoms, value, repl, L).unwrap()
    }
    fn replace_first(atoms: &[Atom], value: &str, repl: &str) -> String {
        super::replace_first(atoms, value, repl, L).unwrap()
    }

    #[test]
    fn compile_rejects_what_buildkit_rejects() {
        for bad in ["\\", "\\x", "\\\\\\"] {
            assert!(compile(bad).is_err(), "{bad:?} should be rejected");
        }
        assert_eq!(
            compile("a\\*\\?\\\\\\}\\/").unwrap(),
            vec![
                Atom::Lit('a'),
                Atom::Lit('*'),
                Atom::Lit('?'),
                Atom::Lit('\\'),
                Atom::Lit('}'),
                Atom::Lit('/')
            ]
        );
    }

    #[test]
    fn reverse_pattern_keeps_escape_pairs() {
        let cases = [
            ("a\\*c", "c\\*a"),
            ("\\\\\\ab", "b\\a\\\\"),
            ("ab\\", "\\ba"),
            ("👽\\🚀🖖", "🖖\\🚀👽"),
            ("\\\\b", "b\\\\"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(reverse_pattern(input), want, "{input:?}");
        }
    }

    #[test]
    fn lazy_and_greedy_stars() {
        let p = compile("*x").unwrap();
        assert_eq!(trim_prefix(&p, "axbxc", false), "bxc");
        assert_eq!(trim_prefix(&p, "axbxc", true), "c");
        // `.` and `.*` never cross a newline, as in Go's regexp.
        assert_eq!(trim_prefix(&p, "a\nxbxc", true), "a\nxbxc");
    }

    #[test]
    fn replace_all_handles_empty_matches_like_go() {
        // Go: regexp.MustCompile(".*").ReplaceAllString("abc", "-") == "-"
        // ("abc" matched, then the empty match at the end abuts it).
        let p = compile("*").unwrap();
        assert_eq!(replace_all(&p, "abc", "-"), "-");
        // Empty pattern matches between every character.
        assert_eq!(replace_all(&[], "ab", "-"), "-a-b-");
        assert_eq!(replace_all(&[], "", "-"), "-");
    }

    #[test]
    fn replace_all_expands_go_templates() {
        let p = compile("b").unwrap();
        assert_eq!(replace_all(&p, "abc", "[$0]"), "a[b]c");
        assert_eq!(replace_all(&p, "abc", "[${0}]"), "a[b]c");
        assert_eq!(replace_all(&p, "abc", "[$1$x]"), "a[]c");
        assert_eq!(replace_all(&p, "abc", "[$$]"), "a[$]c");
        assert_eq!(replace_all(&p, "abc", "[$]"), "a[$]c");
        assert_eq!(replace_all(&p, "abc", "[${x]"), "a[${x]c");
        // The single replacement is literal.
        assert_eq!(replace_first(&p, "abcb", "[$0]"), "a[$0]cb");
    }
}

#[cfg(test)]
mod limit_tests {
    use super::*;

    #[test]
    fn limits_turn_runaway_work_into_errors() {
        let tight = Limits { work: 100, len: 10 };
        let p = compile("*a").unwrap();
        assert!(trim_prefix(&p, &"b".repeat(100), true, tight).unwrap_err().contains("too complex"));
        assert!(replace_all(&[], "abcdef", "xy", tight).unwrap_err().contains("too large"));
        assert!(replace_first(&[], "abcdefghij", "x", tight).unwrap_err().contains("too large"));
        assert_eq!(replace_all(&[], "ab", "x", tight).unwrap(), "xaxbx");
    }
}
