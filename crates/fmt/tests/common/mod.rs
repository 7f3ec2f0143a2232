//! What the formatter tests compare: instructions as BuildKit reads them.

use dockstage_syntax::{Instruction, Keyword};

/// Words as a POSIX shell splits an unexpanded string: blanks outside quotes separate them,
/// control operators (`;`, `&`, `|`, parentheses) stand alone, a backslash protects the next
/// character. Written here, apart from the formatter's lexer, so
/// the test does not trust the code it checks.
pub fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, ' ' | '\t') => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
                continue;
            }
            (None, '\\') | (Some('"'), '\\') => {
                cur.push(c);
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            // Control operators end a word; blanks next to them do not matter.
            (None, ';' | '&' | '|' | '(' | ')') => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                }
                out.push(c.to_string());
                in_word = false;
                continue;
            }
            (None, '\'' | '"' | '`') => {
                quote = Some(c);
                cur.push(c);
            }
            (Some(q), c) if c == q => {
                quote = None;
                cur.push(c);
            }
            _ => cur.push(c),
        }
        in_word = true;
    }
    if in_word {
        out.push(cur);
    }
    out
}

/// Same keyword (any case), flags, JSON-ness and heredocs; the same arguments, except that a
/// shell string may differ in the blanks between its words.
pub fn same(a: &Instruction, b: &Instruction) -> bool {
    let shell = !a.json && matches!(a.kind, Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck);
    let args = a.args == b.args
        || (shell && a.args.len() == b.args.len() && a.args.iter().zip(&b.args).all(|(x, y)| words(x) == words(y)));
    a.keyword.eq_ignore_ascii_case(&b.keyword)
        && args
        && (a.kind, &a.flags, a.json) == (b.kind, &b.flags, b.json)
        && a.heredocs.len() == b.heredocs.len()
        && a.heredocs.iter().zip(&b.heredocs).all(|(x, y)| (&x.name, x.file_descriptor, x.expand, x.chomp, &x.content) == (&y.name, y.file_descriptor, y.expand, y.chomp, &y.content))
        && match (&a.onbuild, &b.onbuild) {
            (Some(x), Some(y)) => same(x, y),
            (None, None) => true,
            _ => false,
        }
}

#[allow(dead_code)] // each test binary compiles this module; not all of them format whole files
/// What formatting must keep, checked on one input: a file the parser rejects is rejected by the
/// formatter too (`None`); otherwise formatting is idempotent and keeps every instruction as
/// BuildKit reads it, and the directives. Returns the formatted text and its parse. `what`
/// names the input in failure messages.
pub fn formats_faithfully(src: &str, what: &str) -> Option<(String, dockstage_syntax::Dockerfile)> {
    let Ok(before) = dockstage_syntax::parse(src) else {
        assert!(dockstage_fmt::format(src).is_err(), "{what}: unparsable input formatted");
        return None;
    };
    let once = dockstage_fmt::format(src).unwrap();
    let twice = dockstage_fmt::format(&once).unwrap();
    assert_eq!(once, twice, "{what}: formatting is not idempotent\n--- once\n{once}");
    let after = dockstage_syntax::parse(&once).unwrap_or_else(|e| panic!("{what}: formatted text does not parse: {e:?}\n{once}"));
    assert_eq!(before.instructions.len(), after.instructions.len(), "{what}\n--- formatted\n{once}");
    for (a, b) in before.instructions.iter().zip(&after.instructions) {
        assert!(same(a, b), "{what}:{}: formatting changed the instruction\n--- formatted\n{once}\n{a:?}\n{b:?}", a.start_line);
    }
    assert_eq!(before.directives, after.directives, "{what}");
    Some((once, after))
}
