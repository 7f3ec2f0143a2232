//! dockstage where its users work: the pre-commit hooks run by the real `pre-commit`, the GitHub
//! Action and the GitLab snippet checked against their schemas (check-jsonschema's vendored
//! SchemaStore schemas), and dockstage's own Dockerfile rated by dockstage.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dockstage"))
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

/// A tool from scripts/install-test-deps.sh; the test fails, not skips, when it is missing.
fn tool(name: &str) -> Command {
    let found = Command::new("sh").arg("-c").arg(format!("command -v {name}")).output().unwrap();
    assert!(found.status.success(), "{name} is not installed: run scripts/install-test-deps.sh");
    Command::new(name)
}

fn ok(mut c: Command) -> Output {
    let out = c.output().unwrap();
    assert!(out.status.success(), "{c:?} failed:\n{}\n{}", text(&out.stdout), text(&out.stderr));
    out
}

/// Reads YAML with PyYAML (pre-commit's own YAML library) into JSON.
fn yaml_to_json(path: &Path) -> serde_json::Value {
    let out = ok({
        let mut c = Command::new("python3");
        c.args(["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))"]).arg(path);
        c
    });
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn pre_commit_manifest_is_valid_and_has_system_and_image_hooks() {
    let manifest = workspace().join(".pre-commit-hooks.yaml");
    ok({
        let mut c = tool("pre-commit");
        c.arg("validate-manifest").arg(&manifest);
        c
    });
    let hooks = yaml_to_json(&manifest);
    let hook = |id: &str| hooks.as_array().unwrap().iter().find(|h| h["id"] == id).unwrap_or_else(|| panic!("no hook {id}")).clone();
    for (id, language, entry) in [
        ("dockstage-lint", "system", "dockstage lint"),
        ("dockstage-fmt", "system", "dockstage fmt --check"),
        ("dockstage-lint-docker", "docker_image", "dockstage:latest lint"),
        ("dockstage-fmt-docker", "docker_image", "dockstage:latest fmt --check"),
    ] {
        let h = hook(id);
        assert_eq!(h["language"], language, "{id}");
        assert_eq!(h["entry"], entry, "{id}");
        assert_eq!(h["types"], serde_json::json!(["dockerfile"]), "{id}");
    }
}

fn git(dir: &Path, args: &[&str]) -> Output {
    ok({
        let mut c = tool("git");
        c.current_dir(dir).args(args).env("GIT_AUTHOR_NAME", "t").env("GIT_AUTHOR_EMAIL", "t@example.invalid").env("GIT_COMMITTER_NAME", "t").env("GIT_COMMITTER_EMAIL", "t@example.invalid");
        c
    })
}

/// The system hooks, installed from a repository holding this `.pre-commit-hooks.yaml`, on a
/// repository with a good Dockerfile, then a bad one.
#[test]
fn pre_commit_runs_the_system_hooks_on_good_and_bad_dockerfiles() {
    let tmp = tempfile::tempdir().unwrap();
    let hooks_repo = tmp.path().join("hooks");
    std::fs::create_dir_all(&hooks_repo).unwrap();
    std::fs::copy(workspace().join(".pre-commit-hooks.yaml"), hooks_repo.join(".pre-commit-hooks.yaml")).unwrap();
    git(&hooks_repo, &["init", "-q"]);
    git(&hooks_repo, &["add", "."]);
    git(&hooks_repo, &["commit", "-qm", "hooks"]);
    let rev = text(&git(&hooks_repo, &["rev-parse", "HEAD"]).stdout).trim().to_string();

    let project = tmp.path().join("project");
    std::fs::create_dir_all(project.join("good")).unwrap();
    git(&project, &["init", "-q"]);
    std::fs::write(
        project.join(".pre-commit-config.yaml"),
        format!("repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: dockstage-lint\n      - id: dockstage-fmt\n", hooks_repo.display()),
    )
    .unwrap();
    // dockstage's own Dockerfile: lint-clean and formatted.
    std::fs::copy(workspace().join("Dockerfile"), project.join("good/Dockerfile")).unwrap();
    std::fs::write(project.join("README"), "not a Dockerfile: the hooks must not see it\n").unwrap();
    git(&project, &["add", "."]);

    let bin_dir = Path::new(env!("CARGO_BIN_EXE_dockstage")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let pre_commit = || {
        let mut c = tool("pre-commit");
        c.current_dir(&project).args(["run", "--all-files", "--color", "never"]).env("PATH", &path).env("PRE_COMMIT_HOME", tmp.path().join("cache"));
        c.output().unwrap()
    };
    let out = pre_commit();
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "good Dockerfile failed:\n{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("dockstage lint") && stdout.contains("Passed"), "{stdout}");

    std::fs::create_dir_all(project.join("bad")).unwrap();
    std::fs::write(project.join("bad/Dockerfile"), "FROM debian\nrun apt-get install curl\n").unwrap();
    git(&project, &["add", "."]);
    let out = pre_commit();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "bad Dockerfile passed:\n{stdout}");
    let lint = stdout.split("dockstage fmt --check").next().unwrap();
    assert!(lint.contains("Failed") && lint.contains("bad/Dockerfile:2:1 DL3008"), "{stdout}");
    assert!(!lint.contains("good/Dockerfile"), "{stdout}");
    let fmt = stdout.split("dockstage fmt --check").nth(1).unwrap();
    assert!(fmt.contains("Failed") && fmt.contains("bad/Dockerfile") && !fmt.contains("good/Dockerfile"), "{stdout}");
}

#[test]
fn github_action_matches_the_actions_schema_and_writes_sarif() {
    let action = workspace().join("action.yml");
    ok({
        let mut c = tool("check-jsonschema");
        c.args(["--builtin-schema", "vendor.github-actions"]).arg(&action);
        c
    });
    let a = yaml_to_json(&action);
    assert_eq!(a["runs"]["using"], "composite");
    let steps = a["runs"]["steps"].as_array().unwrap();
    assert!(steps.iter().any(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))), "no SARIF upload");
    let lint = steps.iter().find(|s| s["id"] == "lint").unwrap()["run"].as_str().unwrap();
    assert!(lint.contains("dockstage lint --format sarif --output \"$SARIF\" --failure-threshold \"$THRESHOLD\" $PATHS"), "{lint}");
    for input in ["paths", "failure-threshold", "sarif-file", "upload-sarif"] {
        assert!(a["inputs"][input]["description"].is_string(), "input {input}");
    }
    // The step's command on a real project: a SARIF 2.1.0 log with the findings, and the exit
    // status the last step re-raises.
    let tmp = tempfile::tempdir().unwrap();
    let sarif = tmp.path().join("out.sarif");
    let out = bin().args(["lint", "--format", "sarif", "--output"]).arg(&sarif).args(["--failure-threshold", "warning"]).arg(workspace().join("examples/churn-api/docker-compose.yml")).output().unwrap();
    let log: serde_json::Value = serde_json::from_slice(&std::fs::read(&sarif).unwrap()).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    assert_eq!(out.status.code(), Some(0), "style findings only, threshold warning");
}

#[test]
fn gitlab_snippet_in_the_readme_matches_the_gitlab_ci_schema() {
    let readme = std::fs::read_to_string(workspace().join("README.md")).unwrap();
    let start = readme.find("<!-- gitlab-ci snippet: start -->").expect("snippet start marker");
    let end = readme.find("<!-- gitlab-ci snippet: end -->").expect("snippet end marker");
    let block = &readme[start..end];
    let yaml = block.split("```yaml\n").nth(1).and_then(|b| b.split("```").next()).expect("a ```yaml block");
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join(".gitlab-ci.yml");
    std::fs::write(&file, yaml).unwrap();
    ok({
        let mut c = tool("check-jsonschema");
        c.args(["--builtin-schema", "vendor.gitlab-ci"]).arg(&file);
        c
    });
    let ci = yaml_to_json(&file);
    let job = &ci["dockstage"];
    assert_eq!(job["artifacts"]["reports"]["codequality"], "gl-code-quality-report.json");
    let script = job["script"].as_array().unwrap();
    assert!(script.iter().any(|s| s.as_str().unwrap().starts_with("dockstage lint --format gitlab --output gl-code-quality-report.json")));
    // The report the job writes: GitLab's Code Quality format.
    let report = tmp.path().join("gl.json");
    bin().args(["lint", "--format", "gitlab", "--output"]).arg(&report).arg(workspace().join("examples/churn-api")).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let first = &v.as_array().unwrap()[0];
    for key in ["description", "check_name", "fingerprint", "severity"] {
        assert!(first[key].is_string(), "{key} in {first}");
    }
    assert!(first["location"]["path"].is_string() && first["location"]["lines"]["begin"].is_number(), "{first}");
}

#[test]
fn own_dockerfile_is_lint_clean_formatted_and_passes_every_applicable_check() {
    let df = workspace().join("Dockerfile");
    let out = bin().arg("lint").arg(&df).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    let out = bin().args(["fmt", "--check"]).arg(&df).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let out = bin().args(["analyze", "--format", "json"]).arg(&df).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["score"]["passed"], v["score"]["applicable"], "{}", v["score"]);
    // pip and dependency-manifest checks do not apply to a cargo build; the other five do.
    assert_eq!(v["score"]["applicable"], 5, "{}", v["score"]);
    assert_eq!(v["score"]["total"], 7, "{}", v["score"]);
}

/// Every crate can be published: license, description, repository, a readme that exists and
/// lands in the package, keywords and categories; `cargo package --list` (no build) accepts
/// each manifest. The full `cargo package --workspace` with its verify build is
/// scripts/package-check.sh (too long for the test run; see README).
#[test]
fn every_crate_carries_the_metadata_to_be_published() {
    let ws = workspace();
    let out = ok({
        let mut c = Command::new(env!("CARGO"));
        c.args(["metadata", "--no-deps", "--format-version", "1", "--locked"]).current_dir(&ws);
        c
    });
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let packages = meta["packages"].as_array().unwrap();
    assert_eq!(packages.len(), std::fs::read_dir(ws.join("crates")).unwrap().filter(|e| e.as_ref().unwrap().path().join("Cargo.toml").is_file()).count());
    for p in packages {
        let name = p["name"].as_str().unwrap();
        assert_eq!(p["license"], "Apache-2.0", "{name}");
        assert_eq!(p["repository"], "https://github.com/dockstage/dockstage", "{name}");
        let description = p["description"].as_str().unwrap_or_else(|| panic!("{name}: no description"));
        assert!(description.len() > 20 && !description.ends_with('.'), "{name}: {description:?}");
        assert!(!p["keywords"].as_array().unwrap().is_empty() && !p["categories"].as_array().unwrap().is_empty(), "{name}");
        let manifest = Path::new(p["manifest_path"].as_str().unwrap());
        let readme = p["readme"].as_str().unwrap_or_else(|| panic!("{name}: no readme"));
        assert!(manifest.parent().unwrap().join(readme).is_file(), "{name}: readme {readme} missing");
        assert!(p["rust_version"].is_null() || p["rust_version"].is_string(), "{name}");
    }
    // The packaged file lists: every manifest accepted by cargo's packaging, each with its readme.
    let out = ok({
        let mut c = Command::new(env!("CARGO"));
        c.args(["package", "--workspace", "--list", "--allow-dirty", "--locked"]).current_dir(&ws);
        c
    });
    let listed = text(&out.stdout);
    assert!(listed.lines().filter(|l| *l == "README.md").count() >= packages.len(), "{listed}");
    assert!(listed.lines().filter(|l| *l == "Cargo.toml.orig").count() == packages.len(), "{listed}");
}

/// Builds the image (scripts/make-test-images.sh self: a Rust base made from the host's
/// toolchain, then the root Dockerfile, cached by the sources' content) and runs
/// `dockstage lint` in it on a mounted file.
#[test]
fn own_image_lints_a_mounted_dockerfile() {
    // The script owns the cache's location (DOCKSTAGE_IMAGE_CACHE, else the XDG cache) and
    // prints its archives directory.
    let archives = ok({
        let mut c = Command::new("bash");
        c.arg(workspace().join("scripts/make-test-images.sh")).arg("self").current_dir(workspace());
        c
    });
    let cache = PathBuf::from(text(&archives.stdout).trim())
        .parent()
        .expect("the script prints CACHE/archives")
        .to_path_buf();
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("Dockerfile"), "FROM debian\nRUN apt-get install curl\n").unwrap();
    let buildah = |args: &[&str]| {
        let mut c = tool("buildah");
        c.arg("--root").arg(cache.join("storage")).arg("--runroot").arg(cache.join("run")).args(["--storage-driver", "vfs"]).args(args);
        c.output().unwrap()
    };
    let ctr = buildah(&["from", "--pull=never", "localhost/dockstage-test/self:latest"]);
    assert!(ctr.status.success(), "{}", text(&ctr.stderr));
    let ctr = text(&ctr.stdout).trim().to_string();
    let mount = format!("{}:/work:ro", tmp.path().display());
    let out = buildah(&["run", "--isolation", "chroot", "-v", &mount, &ctr, "--", "/usr/local/bin/dockstage", "lint", "/work/Dockerfile"]);
    buildah(&["rm", &ctr]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("/work/Dockerfile:2:1 DL3008"), "{stdout}");
}
