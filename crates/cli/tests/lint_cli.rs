//! `dockstage lint` as a process: discovery, stdin, formats, exit codes.

use std::io::Write;
use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dockstage"))
}

#[test]
fn directories_are_searched_honouring_gitignore() {
    let dir = std::env::temp_dir().join(format!("dockstage-lint-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::create_dir_all(dir.join("ignored")).unwrap();
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::write(dir.join(".gitignore"), "ignored/\n").unwrap();
    for name in ["Dockerfile", "sub/Containerfile", "sub/api.Dockerfile", "sub/Dockerfile.dev", "ignored/Dockerfile", "sub/Dockerfile.dockerignore", "sub/notes.txt"] {
        std::fs::write(dir.join(name), "FROM ubuntu\n").unwrap();
    }
    let out = bin().args(["lint", "-f", "json", "--no-fail"]).arg(&dir).output().unwrap();
    assert!(out.status.success());
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let prefix = dir.to_string_lossy().to_string();
    let mut files: Vec<String> =
        items.iter().filter(|i| i["code"] == "DL3006").map(|i| i["file"].as_str().unwrap().replace(&prefix, "")).collect();
    files.sort();
    assert_eq!(files, ["/Dockerfile", "/sub/Containerfile", "/sub/Dockerfile.dev", "/sub/api.Dockerfile"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn stdin_and_exit_codes() {
    let run = |args: &[&str], input: &str| {
        let mut child = bin().arg("lint").args(args).arg("-").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap())
    };
    let (code, out) = run(&["-f", "gnu"], "FROM ubuntu\n");
    assert_eq!(code, 1);
    assert!(out.contains("dockstage:<stdin>:1: DL3006 warning"), "{out}");
    assert_eq!(run(&["--failure-threshold", "error"], "FROM ubuntu\n").0, 0);
    assert_eq!(run(&["--ignore", "DL3006"], "FROM ubuntu\n").0, 0);
    assert_eq!(run(&["--error", "DS003", "--failure-threshold", "error"], "FROM alpine:3.20\n").0, 1);
    assert_eq!(run(&[], "FROM alpine\nENV A\n").0, 1);
}

#[test]
fn rules_listing_and_docs() {
    let out = bin().arg("rules").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().any(|l| l.starts_with("DL3006")));
    assert!(text.lines().any(|l| l.starts_with("JSONArgsRecommended")));
    let out = bin().args(["rule", "dl3006"]).output().unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().starts_with("# DL3006: Always tag the version"));
    assert!(!bin().args(["rule", "NOPE"]).output().unwrap().status.success());
}
