//! Mangled real Dockerfiles never make the parser panic, and what it returns stays consistent:
//! spans inside the input on character boundaries, errors with a position. (The cargo-fuzz target
//! in fuzz/ explores the same property without a time limit.)

mod common;
use common::*;
use std::path::PathBuf;

const INSERTS: &[&str] = &["\\", "`", "\n", "\r\n", "<<EOF", "<<-", "\"", "'", "[", "]", "#", "# escape=`\n", "\u{feff}", "\u{a0}", "é", "--", "=", "\t", "${", "}", "\\\n\n"];

fn check(text: &str) {
    for dialect in [dockstage_syntax::Dialect::Current, dockstage_syntax::Dialect::V0_12] {
        match dockstage_syntax::parse_with(text, dialect) {
            Ok(df) => {
                for i in &df.instructions {
                    assert!(i.span.end <= text.len() && text.is_char_boundary(i.span.start) && text.is_char_boundary(i.span.end));
                    assert!(i.start_line >= 1 && i.start_line <= i.end_line);
                }
                let _ = dockstage_syntax::dump::dump(&df);
                let _ = dockstage_syntax::legacy::commands(&df);
            }
            Err(e) => assert!(e.line >= 1 && e.column >= 1, "{e:?}"),
        }
    }
}

#[test]
fn mutated_corpus_files_parse_or_fail_cleanly() {
    let root = shared_dir().join("corpus/docker-library+python");
    assert!(root.is_dir(), "corpus not found at {}", root.display());
    let mut texts = Vec::new();
    for entry in walk(&root) {
        texts.push(String::from_utf8_lossy(&std::fs::read(entry).unwrap()).into_owned());
    }
    let mut g = Gen(0x2545f4914f6cdd1d);
    for round in 0..3000 {
        let mut text: Vec<char> = texts[round % texts.len()].chars().collect();
        for _ in 0..g.below(12) + 1 {
            let at = g.below(text.len() + 1);
            match g.below(3) {
                0 if !text.is_empty() => {
                    let end = (at + g.below(40)).min(text.len());
                    text.drain(at.min(end)..end);
                }
                _ => {
                    let insert = INSERTS[g.below(INSERTS.len())];
                    text.splice(at..at, insert.chars());
                }
            }
        }
        check(&text.into_iter().collect::<String>());
    }
}

#[test]
fn pathological_shapes_are_handled() {
    check(&"\\\n".repeat(10_000));
    check(&format!("RUN {}", "<<EOF ".repeat(2_000)));
    check(&format!("RUN a{}\n", " \\\n#c\n".repeat(5_000)));
    check(&"# escape=`\n".repeat(3));
    check("\u{feff}");
    check("");
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.file_name().unwrap().to_string_lossy().starts_with("Dockerfile") {
            out.push(p);
        }
    }
    out
}
