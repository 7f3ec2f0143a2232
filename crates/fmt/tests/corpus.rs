//! Over the shared corpus: formatting is idempotent and keeps every instruction as BuildKit reads
//! it (keyword, flags, arguments, JSON-ness, heredocs); only spelling and positions may differ.

use std::path::{Path, PathBuf};

use dockstage_syntax::{Instruction, Keyword};

/// Words as a POSIX shell splits an unexpanded string: blanks outside quotes separate them,
/// a backslash protects the next character. Written here, apart from the formatter's lexer, so
/// the test does not trust the code it checks.
fn words(s: &str) -> Vec<String> {
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

fn shared_dir() -> PathBuf {
    match std::env::var_os("DOCKSTAGE_SHARED") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    }
}

/// Same keyword (upper-cased), flags, JSON-ness and heredocs; the same arguments, except that a
/// shell string may differ in the blanks between its words.
fn same(a: &Instruction, b: &Instruction) -> bool {
    let shell = !a.json && matches!(a.kind, Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck);
    let args = a.args == b.args
        || (shell && a.args.len() == b.args.len() && a.args.iter().zip(&b.args).all(|(x, y)| words(x) == words(y)));
    a.keyword.to_ascii_uppercase() == b.keyword
        && args
        && (a.kind, &a.flags, a.json, &a.heredocs) == (b.kind, &b.flags, b.json, &b.heredocs)
        && match (&a.onbuild, &b.onbuild) {
            (Some(x), Some(y)) => same(x, y),
            (None, None) => true,
            _ => false,
        }
}

#[test]
fn formatting_is_idempotent_and_keeps_instructions() {
    let mut stack = vec![shared_dir().join("corpus")];
    let (mut files, mut changed) = (0, 0);
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e} (set DOCKSTAGE_SHARED)", dir.display())) {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".dockerignore") || !(name.starts_with("Dockerfile") || name.starts_with("Containerfile") || name.ends_with(".Dockerfile")) {
                continue;
            }
            let src = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
            let Ok(before) = dockstage_syntax::parse(&src) else {
                assert!(dockstage_fmt::format(&src).is_err(), "{name}: unparsable input formatted");
                continue;
            };
            files += 1;
            let once = dockstage_fmt::format(&src).unwrap();
            changed += usize::from(once != src);
            let twice = dockstage_fmt::format(&once).unwrap();
            assert_eq!(once, twice, "{}: formatting is not idempotent", p.display());
            let after = dockstage_syntax::parse(&once).unwrap();
            assert_eq!(before.instructions.len(), after.instructions.len(), "{}", p.display());
            for (a, b) in before.instructions.iter().zip(&after.instructions) {
                assert!(same(a, b), "{}:{}: formatting changed the instruction\n{a:?}\n{b:?}", p.display(), a.start_line);
            }
            assert_eq!(before.directives, after.directives);
        }
    }
    assert!(files > 200, "expected the shared corpus, found {files} files");
    assert!(changed > 0, "nothing in the corpus needed formatting");
}
