//! `analyze`, `graph`, `lint` and `fmt --check` on compose and bake files, run as a user runs
//! them: the real binary, real files, graphviz for the DOT output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dockstage"))
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn run(args: &[&str]) -> Output {
    bin().args(args).env("NO_COLOR", "1").output().unwrap()
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, body).unwrap();
    p
}

/// One Dockerfile, a builder stage and two images built from it: the case compose users ask
/// about ("does one builder feed several services?").
const SHARED: &str = "FROM python:3.11-slim AS builder\nRUN pip install --no-cache-dir build\n\nFROM builder AS api\nUSER 10001\nCMD [\"api\"]\n\nFROM builder AS worker\nUSER 10001\nCMD [\"worker\"]\n\nFROM python:3.11-slim AS unused\n";

fn shared_project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "app/Dockerfile", SHARED);
    write(tmp.path(), "compose.yaml", "services:\n  api:\n    build:\n      context: app\n      target: api\n  worker:\n    build:\n      context: app\n      target: worker\n    profiles: [jobs]\n  redis:\n    image: redis:7\n");
    tmp
}

#[test]
fn analyze_churn_api_reports_each_service_build() {
    let dir = examples().join("churn-api");
    let out = run(&["analyze", dir.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for needle in ["docker-compose.yml (compose): 2 services build images", "train (", "api (", "docker/Dockerfile.train", "docker/Dockerfile.api", "stages built: builder, runtime", "none: every service builds its own Dockerfile"] {
        assert!(stdout.contains(needle), "missing {needle:?} in\n{stdout}");
    }
    let out = run(&["analyze", "--format", "json", dir.join("docker-compose.yml").to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = v["services"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["train", "api"]);
    assert!(v["services"][1]["dockerfile"].as_str().unwrap().ends_with("churn-api/docker/Dockerfile.api"));
    assert_eq!(v["services"][1]["line"], 12);
    assert_eq!(v["services"][1]["final_stage"], "runtime");
}

#[test]
fn analyze_reports_services_that_share_a_dockerfile_and_stages() {
    let tmp = shared_project();
    let out = run(&["analyze", tmp.path().to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(stdout.contains("Run an image only: redis"), "{stdout}");
    assert!(stdout.contains("Profiles    jobs"), "{stdout}");
    assert!(stdout.contains("app/Dockerfile is built by api, worker"), "{stdout}");
    assert!(stdout.contains("stage builder (line 1) is built for api, worker"), "{stdout}");
    assert!(!stdout.contains("stage unused"), "{stdout}");
    let out = run(&["analyze", "--format", "json", tmp.path().join("compose.yaml").to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["shared"][0]["services"], serde_json::json!(["api", "worker"]));
    assert_eq!(v["shared"][0]["shared_stages"], serde_json::json!([{"name": "builder", "line": 1, "services": ["api", "worker"]}]));
    assert_eq!(v["services"][0]["stages_built"], serde_json::json!(["builder", "api"]));
}

#[test]
fn graph_draws_one_dag_over_every_service_and_graphviz_reads_it() {
    let tmp = shared_project();
    write(tmp.path(), "other/Dockerfile", "FROM debian:bookworm-slim\nCOPY --from=busybox:1 /bin/busybox /bin/\n");
    std::fs::write(
        tmp.path().join("compose.yaml"),
        "services:\n  api:\n    build: {context: app, target: api}\n  worker:\n    build: {context: app, target: worker}\n  tool:\n    build: other\n",
    )
    .unwrap();
    let out = run(&["graph", "--format", "dot", tmp.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let dot = text(&out.stdout);
    for needle in ["subgraph cluster_0", "subgraph cluster_1", "svc_api [label=\"api\"", "f0s1 -> svc_api;", "f0s2 -> svc_worker;", "f1s0 -> svc_tool;", "img_busybox_1 -> f1s0", "f0s0 -> f0s1", "f0s3 [label=\"unused\", shape=box, style=dashed]"] {
        assert!(dot.contains(needle), "missing {needle:?} in\n{dot}");
    }
    let mut child = Command::new("dot").arg("-Tsvg").stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().expect("graphviz `dot` (scripts/install-test-deps.sh installs it)");
    use std::io::Write;
    child.stdin.take().unwrap().write_all(dot.as_bytes()).unwrap();
    let svg = child.wait_with_output().unwrap();
    assert!(svg.status.success() && text(&svg.stderr).is_empty(), "dot rejected the graph: {}", text(&svg.stderr));
    assert!(text(&svg.stdout).contains("<svg"));

    let ascii = text(&run(&["graph", tmp.path().join("compose.yaml").to_str().unwrap()]).stdout);
    assert!(ascii.contains("  api <- builder (FROM builder)\n") && ascii.contains("  => api (stage api)\n") && ascii.contains("[built by no service]"), "{ascii}");
    let mermaid = text(&run(&["graph", "--format", "mermaid", tmp.path().to_str().unwrap()]).stdout);
    assert!(mermaid.starts_with("flowchart LR\n") && mermaid.contains("svc_worker{{\"worker\"}}"), "{mermaid}");
}

#[test]
fn lint_names_the_dockerfile_and_its_services() {
    let tmp = shared_project();
    let compose = tmp.path().join("compose.yaml");
    let out = run(&["lint", compose.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("app/Dockerfile:"), "{stdout}");
    assert!(stdout.contains(&format!("[services api, worker of {}]", compose.display())), "{stdout}");
    // Machine formats keep the plain path.
    let out = run(&["lint", "--format", "json", compose.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files: std::collections::BTreeSet<&str> = v.as_array().unwrap().iter().map(|f| f["file"].as_str().unwrap()).collect();
    assert_eq!(files.len(), 1, "{v}");
    assert!(files.iter().next().unwrap().ends_with("app/Dockerfile"));
}

#[test]
fn fmt_check_covers_the_projects_dockerfiles() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "a/Dockerfile", "from debian:bookworm-slim\nrun true\n");
    write(tmp.path(), "b/Dockerfile", "FROM debian:bookworm-slim\nRUN true\n");
    let bake = write(tmp.path(), "docker-bake.hcl", "group \"default\" {\n  targets = [\"a\", \"b\"]\n}\ntarget \"a\" {\n  context = \"a\"\n}\ntarget \"b\" {\n  context = \"b\"\n}\n");
    let out = run(&["fmt", "--check", bake.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), format!("{}\n", tmp.path().join("a/Dockerfile").display()));
}

#[test]
fn project_errors_are_one_line_with_file_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "Dockerfile", SHARED);
    let cases: Vec<(&str, &str, String)> = vec![
        ("compose.yaml", "services:\n  api:\n    build: {context: .\n", "compose.yaml:4:1: invalid YAML".into()),
        ("compose.yaml", "services:\n  api:\n    build:\n      dockerfile: missing.Dockerfile\n", format!("compose.yaml:4:7: api: Dockerfile {}: no such file", d.join("missing.Dockerfile").display())),
        ("compose.yaml", "services:\n  api:\n    build:\n      context: .\n      target: prod\n", "compose.yaml:5:7: api: unknown target \"prod\"".into()),
        ("docker-bake.hcl", "target \"a\" {\n  inherits = [\"b\"]\n}\ntarget \"b\" {\n  inherits = [\"a\"]\n}\n", "docker-bake.hcl:1:1: cycle in bake inheritance: a -> b -> a".into()),
        ("docker-bake.hcl", "target \"a\" {\n  context = \n}\n", "docker-bake.hcl:2:13: invalid HCL".into()),
    ];
    for (name, body, expected) in cases {
        for f in ["compose.yaml", "docker-bake.hcl"] {
            let _ = std::fs::remove_file(d.join(f));
        }
        let file = write(d, name, body);
        for (cmd, code) in [("analyze", 2), ("graph", 2), ("lint", 1), ("fmt", 1)] {
            let mut args = vec![cmd];
            if cmd == "fmt" {
                args.push("--check");
            }
            args.push(file.to_str().unwrap());
            let out = run(&args);
            let stderr = text(&out.stderr);
            assert_eq!(out.status.code(), Some(code), "{cmd} {name}: {stderr}");
            assert!(out.stdout.is_empty(), "{cmd} {name} printed {}", text(&out.stdout));
            assert_eq!(stderr.lines().count(), 1, "{cmd} {name}: {stderr}");
            let want = format!("dockstage: {}/{expected}", d.display());
            assert!(stderr.starts_with(&want), "{cmd} {name}:\n got {stderr}\nwant {want}");
        }
    }
}

fn shared_corpus() -> PathBuf {
    let ws = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    match std::env::var_os("DOCKSTAGE_SHARED") {
        Some(p) => PathBuf::from(p),
        None => [ws.join("../shared"), ws.join("../../shared")].into_iter().find(|p| p.is_dir()).unwrap_or_else(|| ws.join("../shared")),
    }
    .join("corpus/docker+awesome-compose")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// The files `lint --format json` reported on, without a leading `./`.
fn linted_files(args: &[&str]) -> std::collections::BTreeSet<String> {
    let out = run(args);
    assert!(out.status.code().is_some_and(|c| c <= 1), "{args:?}: {}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {}", text(&out.stdout)));
    v.as_array().unwrap().iter().map(|f| f["file"].as_str().unwrap().trim_start_matches("./").to_string()).collect()
}

/// A directory holding a compose file is read as `analyze` reads it (the services' Dockerfiles,
/// even outside the directory, named by service) and, besides, every Dockerfile under it.
#[test]
fn lint_and_fmt_on_a_directory_use_its_compose_file_and_its_loose_dockerfiles() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "shared/Dockerfile", "from debian:bookworm-slim\nrun apt-get install curl\n");
    write(d, "project/tools/Dockerfile", "from alpine:3.19\nrun apk add curl\n");
    write(d, "project/compose.yaml", "services:\n  api:\n    build: ../shared\n");
    let dir = d.join("project");
    let out = run(&["lint", dir.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let service_df = dir.join("../shared/Dockerfile");
    assert!(stdout.contains(&format!("{}:2:1 DL3008", service_df.display())), "{stdout}");
    assert!(stdout.contains(&format!("[service api of {}]", dir.join("compose.yaml").display())), "{stdout}");
    assert!(stdout.contains(&format!("{}:2:1 DL3018", dir.join("tools/Dockerfile").display())), "{stdout}");
    let out = run(&["fmt", "--check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), format!("{}\n{}\n", service_df.display(), dir.join("tools/Dockerfile").display()));
    // The same from inside the directory: `.` and the service's path name one file once.
    let out = bin().args(["fmt", "--check"]).current_dir(&dir).output().unwrap();
    assert_eq!(text(&out.stdout), "../shared/Dockerfile\n./tools/Dockerfile\n");
    // A broken compose file in the directory stops lint as it stops analyze.
    write(d, "project/compose.yaml", "services:\n  api:\n    build: [\n");
    for cmd in [&["lint"][..], &["fmt", "--check"], &["analyze"]] {
        let out = bin().args(cmd).arg(&dir).output().unwrap();
        let stderr = text(&out.stderr);
        assert_ne!(out.status.code(), Some(0), "{cmd:?}");
        assert!(stderr.starts_with(&format!("dockstage: {}:4:1: invalid YAML", dir.join("compose.yaml").display())), "{cmd:?}: {stderr}");
    }
}

/// On every awesome-compose project, `lint DIR` reads exactly what `lint DIR/compose.yaml`
/// reads (each of them builds all of its Dockerfiles).
#[test]
fn lint_on_awesome_compose_directories_matches_their_compose_files() {
    let corpus = shared_corpus();
    assert!(corpus.is_dir(), "corpus not found at {} (set DOCKSTAGE_SHARED)", corpus.display());
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../project/tests/fixtures/awesome-compose");
    let mut projects = 0;
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let entry = entry.unwrap();
        if !entry.path().is_dir() {
            continue;
        }
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(&corpus.join(entry.file_name()), tmp.path());
        copy_dir(&entry.path(), tmp.path());
        let compose = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"].iter().map(|n| tmp.path().join(n)).find(|p| p.is_file()).unwrap();
        let by_dir = linted_files(&["lint", "--format", "json", tmp.path().to_str().unwrap()]);
        let by_file = linted_files(&["lint", "--format", "json", compose.to_str().unwrap()]);
        assert!(!by_file.is_empty(), "{:?}", entry.file_name());
        assert_eq!(by_dir, by_file, "{:?}", entry.file_name());
        projects += 1;
    }
    assert_eq!(projects, 27);
}

#[test]
fn compose_files_given_with_compose_file_are_merged_in_order() {
    let tmp = shared_project();
    let d = tmp.path();
    let base = d.join("compose.yaml");
    let over = write(d, "ci/compose.ci.yml", "services:\n  api:\n    build:\n      args: [PYTHON=3.12]\n  worker:\n    build:\n      target: api\n  extra:\n    extends: {file: ../compose.yaml, service: api}\n");
    let (b, o) = (base.to_str().unwrap(), over.to_str().unwrap());
    let out = run(&["analyze", "--format", "json", "--compose-file", b, "--compose-file", o]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["files"], serde_json::json!([b, o]));
    let services = v["services"].as_array().unwrap();
    let names: Vec<&str> = services.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["api", "worker", "extra"]);
    assert_eq!(services[0]["args"], serde_json::json!({"PYTHON": "3.12"}));
    assert_eq!(services[1]["target"], "api");
    // `extra` extends the base file's api from the override (a path relative to the override),
    // the api as that file defines it: the override's args are not part of it.
    assert_eq!(services[2]["file"], o);
    assert_eq!(services[2]["target"], "api");
    assert_eq!(services[2]["dockerfile"], d.join("app/Dockerfile").to_str().unwrap());
    assert_eq!(services[2]["args"], serde_json::json!({}));
    // graph draws the merged project; lint and fmt read its Dockerfiles.
    let out = run(&["graph", "--format", "mermaid", "--compose-file", b, "--compose-file", o]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("extra"), "{}", text(&out.stdout));
    let out = run(&["lint", "--compose-file", b, "--compose-file", o]);
    assert!(text(&out.stdout).contains("app/Dockerfile:"), "{}", text(&out.stdout));
    let out = run(&["fmt", "--check", "--compose-file", b, "--compose-file", o]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    // A file and --compose-file together are a usage mistake; a broken override is named.
    let out = run(&["analyze", b, "--compose-file", o]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("give either a file or --compose-file"), "{}", text(&out.stderr));
    let broken = write(d, "broken.yml", "services:\n  api: {build: [\n");
    let out = run(&["analyze", "--compose-file", b, "--compose-file", broken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with(&format!("dockstage: {}:3:1: invalid YAML", broken.display())), "{}", text(&out.stderr));
}
