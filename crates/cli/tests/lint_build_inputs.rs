//! `dockstage lint --build-arg/--target/--platform/--base-image` as a process, with the meaning
//! `docker build --check` gives the same flags.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn dockstage(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dockstage")).current_dir(dir).args(args).output().unwrap()
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scratch_dir(tag: &str, dockerfile: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dockstage-lint-inputs-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("Dockerfile"), dockerfile).unwrap();
    dir
}

/// (rule, line) of the findings in `dockstage lint -f json` output.
fn findings(out: &Output) -> Vec<(String, u64)> {
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    items.iter().map(|i| (i["code"].as_str().unwrap().to_string(), i["line"].as_u64().unwrap())).collect()
}

fn has(found: &[(String, u64)], rule: &str, line: u64) -> bool {
    found.iter().any(|(r, l)| r == rule && *l == line)
}

#[test]
fn target_leaves_out_stages_it_does_not_build_and_must_exist() {
    let dir = scratch_dir("target", "FROM scratch AS first\nCOPY $foo .\n\nFROM scratch AS second\nCOPY $bar .\n");
    let all = findings(&dockstage(&dir, &["lint", "-f", "json", "--no-fail", "Dockerfile"]));
    assert!(has(&all, "UndefinedVar", 2) && has(&all, "UndefinedVar", 5), "{all:?}");
    let first = findings(&dockstage(&dir, &["lint", "-f", "json", "--no-fail", "--target", "first", "Dockerfile"]));
    assert!(has(&first, "UndefinedVar", 2) && !has(&first, "UndefinedVar", 5), "{first:?}");
    let out = dockstage(&dir, &["lint", "--target", "nope", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Dockerfile: target stage \"nope\" could not be found"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn build_args_and_platform() {
    let dir = scratch_dir("args", "# check=skip=JSONArgsRecommended\nFROM debian:${TARGETVARIANT}\nARG VERSION=$nothere\nCMD run\n");
    let plain = findings(&dockstage(&dir, &["lint", "-f", "json", "--no-fail", "Dockerfile"]));
    assert!(has(&plain, "UndefinedVar", 3) && !has(&plain, "JSONArgsRecommended", 4), "{plain:?}");
    let given = findings(&dockstage(&dir, &["lint", "-f", "json", "--no-fail", "--build-arg", "VERSION=2", "Dockerfile"]));
    assert!(!has(&given, "UndefinedVar", 3), "{given:?}");
    // The build argument replaces the file's check directive.
    let over = findings(&dockstage(&dir, &["lint", "-f", "json", "--no-fail", "--build-arg", "BUILDKIT_DOCKERFILE_CHECK=skip=UndefinedVar", "Dockerfile"]));
    assert!(has(&over, "JSONArgsRecommended", 4) && !has(&over, "UndefinedVar", 3), "{over:?}");
    // KEY alone takes the value from the environment.
    let env = Command::new(env!("CARGO_BIN_EXE_dockstage"))
        .current_dir(&dir)
        .env("BUILDKIT_DOCKERFILE_CHECK", "skip=all")
        .args(["lint", "-f", "json", "--no-fail", "--build-arg", "BUILDKIT_DOCKERFILE_CHECK", "Dockerfile"])
        .output()
        .unwrap();
    assert!(!findings(&env).iter().any(|(r, _)| r == "UndefinedVar" || r == "JSONArgsRecommended"));
    // --platform sets TARGETVARIANT: with a variant the base reference is valid.
    let bare = findings(&dockstage(&dir, &["lint", "-f", "json", "--no-fail", "--platform", "linux/amd64", "Dockerfile"]));
    assert!(has(&bare, "InvalidDefaultArgInFrom", 2), "{bare:?}");
    let arm = findings(&dockstage(&dir, &["lint", "-f", "json", "--no-fail", "--platform", "linux/arm/v7", "Dockerfile"]));
    assert!(!has(&arm, "InvalidDefaultArgInFrom", 2), "{arm:?}");
    let bad = dockstage(&dir, &["lint", "--platform", "amd64", "Dockerfile"]);
    assert_ne!(bad.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("invalid --platform \"amd64\""));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A real image built by buildah (scripts/make-test-images.sh, cached), as the base image's
/// configuration source.
fn example_archive() -> PathBuf {
    let out = Command::new("bash").arg(workspace().join("scripts/make-test-images.sh")).args(["examples", "streamlit-app"]).output().unwrap();
    assert!(out.status.success(), "make-test-images.sh: {}", String::from_utf8_lossy(&out.stderr));
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim()).join("example-streamlit-app.docker.tar")
}

#[test]
fn base_image_platform_is_read_from_an_image_source() {
    let archive = example_archive();
    let opened = dockstage_image::open_source(&dockstage_image::Source::parse(&archive.to_string_lossy()), &Default::default()).unwrap();
    let arch = opened.config().architecture.clone().unwrap();
    let actual = format!("linux/{arch}");
    let other = if arch == "amd64" { "linux/arm64" } else { "linux/amd64" };
    let dir = scratch_dir("base", "FROM python:3.11-slim\nFROM --platform=$BUILDPLATFORM python:3.11-slim AS tools\n");
    let spec = format!("python:3.11-slim=docker-archive:{}", archive.display());
    let out = dockstage(&dir, &["lint", "-f", "json", "--no-fail", "--platform", other, "--base-image", &spec, "Dockerfile"]);
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let hits: Vec<_> = items.iter().filter(|i| i["code"] == "InvalidBaseImagePlatform").collect();
    assert_eq!(hits.len(), 1, "{items:?}");
    assert_eq!(hits[0]["line"], 1);
    assert_eq!(hits[0]["message"], format!("Base image python:3.11-slim was pulled with platform \"{actual}\", expected \"{other}\" for current build"));
    // Built for the image's own platform: nothing to report.
    let same = findings(&dockstage(&dir, &["lint", "-f", "json", "--no-fail", "--platform", &actual, "--base-image", &spec, "Dockerfile"]));
    assert!(!same.iter().any(|(r, _)| r == "InvalidBaseImagePlatform"), "{same:?}");
    // Without a source the check cannot run, and lint says so.
    let out = dockstage(&dir, &["lint", "-f", "json", "--no-fail", "--platform", other, "Dockerfile"]);
    assert!(!findings(&out).iter().any(|(r, _)| r == "InvalidBaseImagePlatform"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("InvalidBaseImagePlatform not checked for python:3.11-slim"), "{err}");
    // An unreadable source is an error, not a silent pass.
    let out = dockstage(&dir, &["lint", "--base-image", "python:3.11-slim=oci:/nonexistent/dir", "Dockerfile"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--base-image oci:/nonexistent/dir"));
    std::fs::remove_dir_all(&dir).unwrap();
}
