//! Differential test against BuildKit's own parser, run through the `dockerfile` Python package
//! (`tests/oracles/buildkit_parse.py`). On every Dockerfile of the shared corpus and on generated
//! Dockerfiles, our per-instruction records must equal BuildKit's field by field, and we must
//! reject exactly the files BuildKit rejects. The package vendors BuildKit v0.12, so we compare
//! with our `Dialect::V0_12`; the current dialect is held to BuildKit's current fixtures in
//! `buildkit_parser_conformance.rs`, and the two dialects differ only where the releases do.

mod common;
use common::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{json, Value};

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn oracle(texts: &[String]) -> Vec<Value> {
    let script = workspace_root().join("tests/oracles/buildkit_parse.py");
    let mut child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 must be installed (scripts/install-test-deps.sh)");
    let input = serde_json::to_vec(texts).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(output.status.success(), "oracle failed; is the `dockerfile` package installed?");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn ours(text: &str) -> Value {
    match dockstage_syntax::parse_with(text, dockstage_syntax::Dialect::V0_12) {
        Ok(df) => json!({ "instructions": dockstage_syntax::legacy::commands(&df) }),
        Err(e) => json!({ "error": e.message }),
    }
}

/// Compares our records with BuildKit's; returns a description of each difference.
fn compare(names: &[String], texts: &[String]) -> Vec<String> {
    let expected = oracle(texts);
    let mut diffs = Vec::new();
    for ((name, text), want) in names.iter().zip(texts).zip(&expected) {
        let got = ours(text);
        match (want.get("error"), got.get("error")) {
            (Some(_), Some(_)) => continue,
            (None, None) => {
                let (w, g) = (&want["instructions"], &got["instructions"]);
                if w != g {
                    let wa = w.as_array().unwrap();
                    let ga = g.as_array().unwrap();
                    let at = wa.iter().zip(ga).position(|(a, b)| a != b).unwrap_or(wa.len().min(ga.len()));
                    diffs.push(format!(
                        "{name}: instruction {at} differs\n  buildkit: {}\n  ours:     {}\n--- input ---\n{text}",
                        wa.get(at).map(Value::to_string).unwrap_or_default(),
                        ga.get(at).map(Value::to_string).unwrap_or_default()
                    ));
                }
            }
            (w, g) => diffs.push(format!("{name}: buildkit error {w:?}, ours {g:?}\n--- input ---\n{text}")),
        }
    }
    diffs
}

fn dockerfiles_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            dockerfiles_under(&path, out);
        } else {
            let name = path.file_name().unwrap().to_string_lossy();
            if name.starts_with("Dockerfile") || name == "Containerfile" {
                out.push(path);
            }
        }
    }
}

#[test]
fn corpus_matches_buildkit() {
    let mut paths = Vec::new();
    dockerfiles_under(&shared_dir().join("corpus"), &mut paths);
    paths.sort();
    assert!(paths.len() >= 250, "expected the 258-file corpus, found {}", paths.len());
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let texts: Vec<String> = paths.iter().map(|p| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned()).collect();
    let diffs = compare(&names, &texts);
    assert!(diffs.is_empty(), "{} of {} corpus files differ from BuildKit:\n{}", diffs.len(), paths.len(), diffs.join("\n\n"));
}

const KEYWORDS: &[&str] = &[
    "FROM", "from", "From", "RUN", "run", "COPY", "ADD", "ENV", "LABEL", "ARG", "CMD", "ENTRYPOINT", "EXPOSE", "USER",
    "WORKDIR", "VOLUME", "SHELL", "HEALTHCHECK", "ONBUILD", "STOPSIGNAL", "MAINTAINER", "BOGUS",
];
const FLAGS: &[&str] = &[
    "--from=builder", "--chown=1000:1000", "--chmod=755", "--link", "--mount=type=cache,target=/root/.cache",
    "--mount=type=secret,id=x", "--network=none", "--security=insecure", "--platform=$BUILDPLATFORM",
    "--exclude=*.pyc", "--parents", "--checksum=sha256:abc", "--keep-git-dir=true", "--start-interval=2s",
    "--from=\"quoted stage\"", "--x='single'", "--esc=a\\ b", "--", "--empty=", "--interval=5s",
];
const WORDS: &[&str] = &[
    "python:3.11-slim", "AS", "builder", "/app", ".", "echo", "hello", "\"double quoted\"", "'single quoted'",
    "a=b", "key=\"v w\"", "x=1", "y", "$HOME", "${VAR:-default}", "\\$escaped", "8080/tcp", "&&", "|", ";",
    "[\"json\",", "\"form\"]", "#notcomment", "é", "tab\there", "a\\ b", "<<EOF", "<<-EOT", "<<'QUOTED'",
    "<<\"DQ\"", "3<<FD", "cat", "<<", "NONE", "CMD", "=", "k=", "\\", "`",
];

fn generate_line(g: &mut Gen, escape: char) -> (String, Vec<String>) {
    let keyword = g.pick(KEYWORDS).to_string();
    let mut line = String::new();
    line.push_str(g.pick(&["", " ", "\t", "  "]));
    line.push_str(&keyword);
    let mut heredoc_names = Vec::new();
    let json_form = g.chance(15);
    let n_flags = if g.chance(40) { g.below(3) } else { 0 };
    for _ in 0..n_flags {
        line.push(' ');
        line.push_str(g.pick(FLAGS));
    }
    if json_form {
        let items = ["\"a\"", "\"b c\"", "\"\\u00e9\"", "1", "'x'", "\"\\\\\""];
        let n = g.below(3) + 1;
        let parts: Vec<&str> = (0..n).map(|_| g.pick(&items)).collect();
        line.push_str(&format!(" [{}]", parts.join(", ")));
        if g.chance(10) {
            line.push_str(" trailing");
        }
    } else {
        let n_words = g.below(5);
        for i in 0..n_words {
            line.push_str(g.pick(&[" ", "  ", "\t", " \u{a0}"]));
            let word = g.pick(WORDS);
            if let Some(name) = word.trim_start_matches(|c: char| c.is_ascii_digit()).strip_prefix("<<") {
                let name = name.trim_start_matches('-').trim_matches(['\'', '"']);
                if !name.is_empty() {
                    heredoc_names.push(name.to_string());
                }
            }
            line.push_str(word);
            if i + 1 < n_words && g.chance(12) {
                // A continuation, possibly with trailing blanks, a comment or an empty line inside.
                line.push(escape);
                line.push_str(g.pick(&["", " ", "\t "]));
                line.push('\n');
                if g.chance(30) {
                    line.push_str(g.pick(&["# inside\n", "  # indented comment\n", "\n", "   \n"]));
                }
            }
        }
    }
    if g.chance(5) {
        line.push(escape);
    }
    (line, heredoc_names)
}

fn generate_dockerfile(g: &mut Gen) -> String {
    let mut text = String::new();
    let mut escape = '\\';
    if g.chance(20) {
        text.push_str(g.pick(&["# syntax=docker/dockerfile:1\n", "#escape=`\n", "# escape = `\n", "# check=skip=all\n", "# not a directive\n"]));
        if text.contains("escape") {
            escape = '`';
        }
    }
    if g.chance(10) {
        text.insert(0, '\u{feff}');
    }
    let n = g.below(8) + 1;
    for _ in 0..n {
        if g.chance(15) {
            text.push_str(g.pick(&["# a comment\n", "\n", "   \n", "#\n", "\t# tabbed\n"]));
        }
        let (line, heredocs) = generate_line(g, escape);
        text.push_str(&line);
        text.push_str(g.pick(&["\n", "\n", "\n", "\r\n"]));
        for name in heredocs {
            if g.chance(85) {
                text.push_str(g.pick(&["body line\n", "\tindented $VAR\n", "", "multi\nline\n"]));
                text.push_str(g.pick(&["", "", "\t"]));
                text.push_str(&name);
                text.push('\n');
            }
        }
    }
    text
}

#[test]
fn generated_dockerfiles_match_buildkit() {
    let seed: u64 = std::env::var("DOCKSTAGE_DIFF_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x9e3779b97f4a7c15);
    let count: usize = std::env::var("DOCKSTAGE_DIFF_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(2000);
    let mut g = Gen(seed);
    let texts: Vec<String> = (0..count).map(|_| generate_dockerfile(&mut g)).collect();
    let names: Vec<String> = (0..count).map(|i| format!("generated #{i} (seed {seed:#x})")).collect();
    let diffs = compare(&names, &texts);
    let rejected = oracle(&texts).iter().filter(|v| v.get("error").is_some()).count();
    assert!(rejected > count / 50 && rejected < count / 2, "generator should mix accepted and rejected files, got {rejected} rejected of {count}");
    assert!(diffs.is_empty(), "{} of {count} generated files differ from BuildKit:\n{}", diffs.len(), diffs.iter().take(5).cloned().collect::<Vec<_>>().join("\n\n"));
}
