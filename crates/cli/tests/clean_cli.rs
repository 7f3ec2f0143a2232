//! The binary as a user meets it: closed pipes, error messages and exit codes, completions.

use std::io::Read;
use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dockstage"))
}

/// Reads one byte of the output, closes the pipe, and checks the process neither panicked nor
/// printed anything on stderr.
fn closed_pipe(args: &[&str]) {
    let mut child = bin().args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut byte = [0u8; 1];
    stdout.read_exact(&mut byte).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.is_empty(), "{args:?} wrote to stderr after its pipe closed: {stderr}");
    assert_ne!(out.status.code(), Some(101), "{args:?} panicked");
}

#[test]
fn closed_pipes_end_quietly() {
    closed_pipe(&["rules"]);
    closed_pipe(&["rules", "--json"]);
    closed_pipe(&["rule", "DL3008"]);
    closed_pipe(&["completions", "bash"]);
    closed_pipe(&["man"]);
    closed_pipe(&["lint", "--no-fail", "../../examples"]);
    closed_pipe(&["analyze", "../../examples/streamlit-app/Dockerfile"]);
    closed_pipe(&["graph", "../../examples/streamlit-app/Dockerfile"]);
    closed_pipe(&["parse", "../../examples/streamlit-app/Dockerfile"]);
    closed_pipe(&["lint", "--no-fail", "--format", "sarif", "../../examples"]);
    closed_pipe(&["analyze", "../../examples/churn-api"]);
    closed_pipe(&["graph", "--format", "dot", "../../examples/churn-api/docker-compose.yml"]);
    closed_pipe(&["lint", "--no-fail", "../../examples/churn-api/docker-compose.yml"]);
}

fn fails(args: &[&str], code: i32, message: &str) {
    let out = bin().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    assert!(stderr.contains(message), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"), "{args:?}: {stderr}");
}

#[test]
fn errors_say_dockstage_and_exit_as_documented() {
    // lint: hadolint's exit code 1 for every error, bad flags included.
    fails(&["lint", "no/such/Dockerfile"], 1, "dockstage: no/such/Dockerfile: No such file");
    fails(&["lint", "--bogus"], 1, "unexpected argument '--bogus'");
    fails(&["lint", "-f", "nope", "../../examples/streamlit-app/Dockerfile"], 1, "dockstage: unknown format \"nope\"");
    fails(&["lint", "-t", "loud", "../../examples/streamlit-app/Dockerfile"], 1, "dockstage: invalid failure threshold");
    // Other commands: 2.
    fails(&["analyze", "no/such/Dockerfile"], 2, "dockstage: no/such/Dockerfile: No such file");
    fails(&["graph", "--target", "nope", "../../examples/streamlit-app/Dockerfile"], 2, "dockstage: ");
    fails(&["rule", "NOPE"], 2, "dockstage: no rule \"NOPE\"");
    fails(&["inspect", "no/such/image.tar"], 2, "dockstage: ");
    fails(&["bogus"], 2, "unrecognized subcommand");
}

#[test]
fn output_file_is_written_whole_and_uncoloured() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.json");
    let out = bin().args(["lint", "--no-fail", "-f", "json", "-o"]).arg(&path).arg("../../examples/streamlit-app/Dockerfile.single").output().unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let _: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let tty = dir.path().join("report.txt");
    let out = bin().args(["lint", "--no-fail", "-o"]).arg(&tty).arg("../../examples/streamlit-app/Dockerfile.single").env("CLICOLOR_FORCE", "1").output().unwrap();
    assert!(out.status.success());
    assert!(!std::fs::read_to_string(&tty).unwrap().contains('\x1b'), "-o FILE is coloured only with --color always");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2, "no temporary file left behind");
}

#[test]
fn color_flag_and_environment() {
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut c = bin();
        c.args(args).arg("../../examples/streamlit-app/Dockerfile.single").env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
        for (k, v) in env {
            c.env(k, v);
        }
        String::from_utf8(c.output().unwrap().stdout).unwrap().contains('\x1b')
    };
    assert!(!run(&["lint"], &[]), "a pipe is not a terminal");
    assert!(run(&["--color", "always", "lint"], &[]));
    assert!(run(&["lint", "--color=always"], &[("NO_COLOR", "1")]), "the flag beats NO_COLOR");
    assert!(run(&["lint"], &[("CLICOLOR_FORCE", "1")]));
    assert!(!run(&["lint"], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
    assert!(!run(&["--color", "always", "lint", "--no-color"], &[]), "hadolint's --no-color still wins");
}

#[test]
fn bash_sources_the_completions() {
    let out = bin().args(["completions", "bash"]).output().unwrap();
    assert!(out.status.success());
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("dockstage.bash");
    std::fs::write(&script, &out.stdout).unwrap();
    let check = Command::new("bash")
        .arg("-c")
        .arg(format!("set -e; source '{}'; complete -p dockstage", script.display()))
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    assert!(String::from_utf8_lossy(&check.stdout).contains("dockstage"));
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let out = bin().args(["completions", shell]).output().unwrap();
        assert!(out.status.success() && String::from_utf8_lossy(&out.stdout).contains("lint"), "{shell}");
    }
    let man = dir.path().join("man");
    assert!(bin().args(["man", "--dir"]).arg(&man).output().unwrap().status.success());
    let page = std::fs::read_to_string(man.join("dockstage-lint.1")).unwrap();
    assert!(page.contains(".TH dockstage-lint 1") && page.contains("failure\\-threshold"), "{page}");
}
