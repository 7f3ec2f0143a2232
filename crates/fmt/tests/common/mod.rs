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

