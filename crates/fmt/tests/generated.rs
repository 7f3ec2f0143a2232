//! Generated Dockerfiles: keywords in any case, blanks and continuations between and inside
//! words and quotes, `&&` chains of every length, JSON arrays spaced any way, comments,
//! heredocs. Formatting is idempotent and keeps every instruction; mangled text never panics.

mod common;
use common::{formats_faithfully, same};
use dockstage_test_support::Rng;

const WORDS: &[&str] = &[
    "apt-get", "install", "-y", "curl", "\"a b\"", "'c  d'", "$HOME", "${X:-y z}", "$(cat f)", "`id -u`", "x\\ y", "&&", "||", ";", "|",
    "--flag=1", "a=b", "{", "}", "(", ")", "#", "\"&& q\"", "pkg", "/usr/lib", "*.txt",
];

fn blank(r: &mut Rng) -> String {
    match r.below(6) {
        0 => " \\\n".into(),
        1 => " \\\n    ".into(),
        2 => "\\\n  ".into(),
        3 => "   ".into(),
        4 => "\t".into(),
        _ => " ".into(),
    }
}

fn shell_body(r: &mut Rng) -> String {
    let mut s = String::new();
    for i in 0..1 + r.below(14) {
        if i > 0 {
            s.push_str(&blank(r));
        }
        s.push_str(r.pick(WORDS));
        if r.below(8) == 0 {
            // A continuation inside a word or quote.
            s.push_str(r.pick(&["\\\ncont", "\"in \\\n  quote\"", "'x\\\ny'"]));
        }
    }
    s
}

fn keyword(r: &mut Rng, k: &str) -> String {
    match r.below(3) {
        0 => k.to_ascii_lowercase(),
        1 => k.to_string(),
        _ => k[..1].to_string() + &k[1..].to_ascii_lowercase(),
    }
}

fn json(r: &mut Rng) -> String {
    let items: Vec<&str> = (0..r.below(4)).map(|_| r.pick(&["\"a\"", "\"b c\"", "\"q\\\"\"", "\"\\u00e9\"", "\"sh\""])).collect();
    let sep = r.pick(&[",", ", ", " ,", " , "]);
    let pad = r.pick(&["", " "]);
    format!("[{pad}{}{pad}]", items.join(sep))
}

fn dockerfile(r: &mut Rng) -> String {
    let mut s = String::new();
    if r.below(4) == 0 {
        s.push_str("# syntax=docker/dockerfile:1\n");
    }
    s.push_str(&format!("{} debian:12 AS base\n", keyword(r, "FROM")));
    for _ in 0..1 + r.below(8) {
        match r.below(9) {
            0..=2 => s.push_str(&format!("{}{}{}\n", keyword(r, "RUN"), r.pick(&[" ", "  ", " \\\n  "]), shell_body(r))),
            3 => {
                let k = r.pick(&["CMD", "ENTRYPOINT"]);
                let k = keyword(r, k);
                let args = if r.below(2) == 0 { json(r) } else { shell_body(r) };
                s.push_str(&format!("{k} {args}\n"));
            }
            4 => s.push_str(&format!("{} a=1{}b=\"x y\"\n", keyword(r, "ENV"), blank(r))),
            5 => s.push_str(&format!("{} a{}b{}/dst/\n", keyword(r, "COPY"), blank(r), blank(r))),
            6 => s.push_str(&format!("# a comment && {}\n", r.pick(WORDS))),
            7 => s.push_str(&format!("{} <<EOF\n  a &&   b \\\n   c\nEOF\n", keyword(r, "RUN"))),
            _ => s.push_str(&format!("{} a && \\\n# inside\n  b\n", keyword(r, "RUN"))),
        }
    }
    s
}

#[test]
fn generated_files_format_idempotently_and_keep_instructions() {
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut parsed, mut changed) = (0, 0);
    for n in 0..3000 {
        let src = dockerfile(&mut r);
        let Some((once, _)) = formats_faithfully(&src, &format!("case {n}\n--- input\n{src}---")) else {
            continue;
        };
        parsed += 1;
        changed += usize::from(once != src);
    }
    assert!(parsed > 2500, "only {parsed} generated files parse");
    assert!(changed > 1000, "only {changed} generated files changed");
}

#[test]
fn mangled_text_never_panics() {
    let mut r = Rng(42);
    let base = "FROM a\nRUN apt-get update && \\\n  apt-get install -y \"x \\\n y\" && rm -rf /l\nCMD [\"a\",\"b\"]\nRUN <<EOF\nx\nEOF\n";
    for _ in 0..5000 {
        let mut bytes = base.as_bytes().to_vec();
        for _ in 0..1 + r.below(4) {
            let at = r.below(bytes.len());
            match r.below(3) {
                0 => {
                    bytes.remove(at);
                }
                1 => bytes.insert(at, *b"\\\"'`&[]{}$ \n#".get(r.below(13)).unwrap()),
                _ => bytes[at] = b"\\\"' \n&".get(r.below(6)).copied().unwrap(),
            }
        }
        let src = String::from_utf8_lossy(&bytes).into_owned();
        if let Ok(out) = dockstage_fmt::format(&src) {
            let before = dockstage_syntax::parse(&src).unwrap();
            let after = dockstage_syntax::parse(&out).unwrap_or_else(|e| panic!("formatted text does not parse: {e:?}\n{src:?}---\n{out:?}"));
            assert_eq!(before.instructions.len(), after.instructions.len(), "{src:?}---\n{out:?}");
            for (a, b) in before.instructions.iter().zip(&after.instructions) {
                assert!(same(a, b), "{src:?}---\n{out:?}\n{a:?}\n{b:?}");
            }
            assert_eq!(dockstage_fmt::format(&out).unwrap(), out, "not idempotent:\n{src}");
        }
    }
}
