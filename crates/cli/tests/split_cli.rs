//! `dockstage split` as a user runs it: the rewrite on standard output or written whole with
//! `-o`, JSON with what moved, base overrides, and a refusal as one `FILE:LINE:COLUMN` line with
//! exit code 2 and nothing written.

use std::io::Write;
use std::process::{Command, Stdio};

fn dockstage() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dockstage"))
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("dockstage-split-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const NODE: &str = "FROM node:18\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nCMD [\"node\",\"dist/server.js\"]\n";

#[test]
fn prints_the_rewrite() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/streamlit-app/Dockerfile.single");
    let out = dockstage().args(["split", example]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("FROM python:3.10-slim AS builder"), "{text}");
    assert!(text.contains("FROM python:3.10-slim AS runtime"), "{text}");
    assert!(text.contains("# split: build-essential stays in the builder (only needed to build)"), "{text}");
    assert!(text.contains("apt-get install -y --no-install-recommends libgomp1 \\"), "{text}");
    assert!(text.trim_end().ends_with("CMD [\"streamlit\", \"run\", \"app.py\"]"), "{text}");
    dockstage_syntax::parse(&text).expect("the output parses");
}

#[test]
fn writes_with_o_and_reads_stdin() {
    let d = temp_dir("o");
    let out_path = d.join("Dockerfile.split");
    let mut child = dockstage().args(["split", "-", "-o"]).arg(&out_path).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(NODE.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty(), "-o writes nothing to stdout");
    let written = std::fs::read_to_string(&out_path).unwrap();
    assert!(written.contains("FROM node:18-slim AS runtime") && written.contains("RUN cd /app && npm prune --omit=dev"), "{written}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn json_and_base_overrides() {
    let d = temp_dir("json");
    let f = d.join("Dockerfile");
    std::fs::write(&f, NODE).unwrap();
    let out = dockstage().args(["split", "--format", "json", "--runtime-base", "node:18-alpine", "--builder-base", "node:18-bookworm"]).arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ecosystem"], "node");
    assert_eq!(v["runtime_base"], "node:18-alpine");
    assert_eq!(v["builder_base"], "node:18-bookworm");
    assert_eq!(v["copied_paths"], serde_json::json!(["/app"]));
    assert!(v["dockerfile"].as_str().unwrap().contains("FROM node:18-alpine AS runtime"));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn refusal_names_the_line_and_writes_nothing() {
    let d = temp_dir("refuse");
    let f = d.join("Dockerfile");
    std::fs::write(&f, "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install poetry && poetry install\n").unwrap();
    let out_path = d.join("out");
    std::fs::write(&out_path, "previous").unwrap();
    let out = dockstage().args(["split", "-o"]).arg(&out_path).arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with(&format!("dockstage: {}:4:1: poetry install", f.display())), "{err}");
    assert_eq!(std::fs::read_to_string(&out_path).unwrap(), "previous", "a refusal leaves -o's file as it was");

    let missing = dockstage().args(["split", "/nonexistent/Dockerfile"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).starts_with("dockstage: /nonexistent/Dockerfile:"));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn verify_needs_a_file_and_a_known_engine() {
    // From standard input there is no build context to build in.
    let out = dockstage().args(["split", "--verify", "-"]).stdin(std::process::Stdio::null()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/streamlit-app/Dockerfile.single");
    let out = dockstage().args(["split", "--verify", "--engine", "no-such-engine", example]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing is printed unless the rewrite is proven");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("dockstage: --verify:") && err.contains("no-such-engine"), "{err}");
}

/// `dockstage analyze` ends a single-stage file's takeaways with the split command when split
/// accepts the file, and with split's refusal and its line when it does not.
#[test]
fn analyze_offers_split_or_says_why_not() {
    let d = temp_dir("analyze");
    let accepted = d.join("Dockerfile.node");
    std::fs::write(&accepted, NODE).unwrap();
    let refused = d.join("Dockerfile.make");
    std::fs::write(&refused, "FROM debian:bookworm\nWORKDIR /src\nCOPY . .\nRUN ./configure && make && make install\nCMD [\"app\"]\n").unwrap();
    let takeaways = |f: &std::path::Path| {
        let out = dockstage().args(["analyze", "--format", "json"]).arg(f).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["takeaways"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    let offer = takeaways(&accepted);
    let last = offer.last().unwrap();
    assert!(last.starts_with("Single stage: `dockstage split ") && last.contains("Dockerfile.node"), "{offer:?}");
    let why = takeaways(&refused);
    let last = why.last().unwrap();
    assert!(last.starts_with("Single stage, but `dockstage split` cannot rewrite it yet: line 4: make install"), "{why:?}");
    assert!(!why.iter().any(|t| t.starts_with("Single stage: `dockstage split")), "{why:?}");
    let _ = std::fs::remove_dir_all(&d);
}
