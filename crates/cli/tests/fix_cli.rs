//! `dockstage lint --fix` and `dockstage fmt` on real files: written in place, diffs, standard
//! input, and bad input left untouched.

use std::process::{Command, Stdio};
use std::io::Write;

fn dockstage() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dockstage"))
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("dockstage-fix-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn fix_writes_safe_fixes_and_diff_writes_nothing() {
    let d = temp_dir("write");
    let f = d.join("Dockerfile");
    let src = "FROM debian:12\nRUN apt-get update && apt-get install curl\nCOPY . /app\n";
    std::fs::write(&f, src).unwrap();
    let out = dockstage().args(["lint", "--diff"]).arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(diff.contains("+RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*"), "{diff}");
    assert!(!diff.contains(".dockerignore"), "writing a .dockerignore is an unsafe fix (DS012): {diff}");
    assert_eq!(std::fs::read_to_string(&f).unwrap(), src, "--diff wrote the file");

    dockstage().args(["lint", "--fix"]).arg(&f).output().unwrap();
    let fixed = std::fs::read_to_string(&f).unwrap();
    assert_eq!(fixed, "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nCOPY . /app\n");
    assert!(!d.join(".dockerignore").exists(), "safe fixes wrote a .dockerignore");
    let leftovers: Vec<_> = std::fs::read_dir(&d).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.ends_with(".tmp")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    dockstage().args(["lint", "--fix", "--unsafe-fixes"]).arg(&f).output().unwrap();
    assert!(std::fs::read_to_string(&f).unwrap().contains("--no-install-recommends"));
    assert!(std::fs::read_to_string(d.join(".dockerignore")).unwrap().contains(".git"));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn stdin_prints_the_fixed_text() {
    let mut child = dockstage().args(["lint", "--fix", "-"]).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"from alpine:3\nrun apk add curl\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "from alpine:3\nrun apk add --no-cache curl\n");
}

#[test]
fn unparsable_file_is_reported_with_position_and_left_alone() {
    let d = temp_dir("bad");
    let f = d.join("Dockerfile");
    let src = "from a\nrun <<EOF\nno end\n";
    std::fs::write(&f, src).unwrap();
    let out = dockstage().args(["lint", "--fix", "-f", "gnu"]).arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(":2:") && text.contains("DL1000"), "{text}");
    assert_eq!(std::fs::read_to_string(&f).unwrap(), src);
    let out = dockstage().args(["fmt"]).arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Dockerfile:2:"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(&f).unwrap(), src);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn fmt_check_lists_files_and_fmt_writes_them() {
    let d = temp_dir("fmt");
    let f = d.join("Dockerfile");
    std::fs::write(&f, "from alpine\nrun   echo hi\n").unwrap();
    let out = dockstage().args(["fmt", "--check"]).arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Dockerfile"));
    let out = dockstage().args(["fmt"]).arg(&f).output().unwrap();
    assert!(out.status.success());
    assert_eq!(std::fs::read_to_string(&f).unwrap(), "FROM alpine\nRUN echo hi\n");
    assert!(dockstage().args(["fmt", "--check"]).arg(&f).output().unwrap().status.success());
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn rule_shows_fix_safety() {
    for (id, label) in [("DL3014", "Fix: safe"), ("DL3059", "Fix: unsafe"), ("DL3008", "Fix: none")] {
        let out = dockstage().args(["rule", id]).output().unwrap();
        assert!(String::from_utf8_lossy(&out.stdout).contains(label), "{id}");
    }
    let out = String::from_utf8(dockstage().args(["rule", "DL3015"]).output().unwrap().stdout).unwrap();
    let fixed = out.split("## Fixed").nth(1).expect("a fixed example");
    assert!(fixed.contains("apt-get install --no-install-recommends -y"), "{fixed}");
}

#[test]
fn json_findings_carry_their_fix() {
    let mut child = dockstage().args(["lint", "-f", "json", "-"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"FROM alpine:3\nRUN apk add curl\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = v.as_array().unwrap().iter().find(|f| f["code"] == "DL3019").unwrap();
    assert_eq!(f["fix"]["safety"], "safe");
    assert_eq!(f["fix"]["edits"][0]["start"], serde_json::json!({"line": 2, "column": 12}));
    assert_eq!(f["fix"]["edits"][0]["content"], " --no-cache");
}
