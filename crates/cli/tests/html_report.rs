//! The HTML reports in a real browser: Debian's chromium, driven by playwright-core
//! (tests/browser/check-reports.mjs; both installed by scripts/install-test-deps.sh), opens each
//! report of the examples and of the real test images at 1280x800 and 390x844. No console
//! message, no page error, no request, the same pixels offline, nothing wider than the screen.
//! Screenshots are kept under target/tmp/html-report-shots for a person to look at.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

fn dockstage(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_dockstage")).args(args).current_dir(workspace()).output().unwrap()
}

fn run_ok(args: &[&str]) {
    let out = dockstage(args);
    assert!(out.status.success(), "dockstage {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// Builds (once, cached) the test images with scripts/make-test-images.sh; returns the archives dir.
fn archives(what: &[&str]) -> PathBuf {
    let out = Command::new("bash").arg(workspace().join("scripts/make-test-images.sh")).args(what).output().unwrap();
    assert!(out.status.success(), "make-test-images.sh {what:?}: {}", String::from_utf8_lossy(&out.stderr));
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

/// Runs the browser over `pages`; one JSON object per page and viewport.
fn open_in_chromium(shots: &Path, pages: &[PathBuf]) -> Vec<Value> {
    let script = workspace().join("tests/browser/check-reports.mjs");
    assert!(workspace().join("tests/browser/node_modules/playwright-core").is_dir(), "playwright-core missing: run scripts/install-test-deps.sh");
    assert!(Path::new("/usr/bin/chromium").exists(), "chromium missing: run scripts/install-test-deps.sh");
    let out = Command::new("node").arg(&script).arg(shots).args(pages).output().expect("node runs");
    assert!(out.status.success(), "check-reports.mjs: {}", String::from_utf8_lossy(&out.stderr));
    let results: Vec<Value> = String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(results.len(), pages.len() * 2, "one result per page and viewport");
    results
}

#[test]
fn reports_render_in_chromium_without_errors_or_requests_at_desktop_and_phone_sizes() {
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("html-report-shots");
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap();
    let real = archives(&["fixtures"]);
    let examples = archives(&["examples", "streamlit-app"]);
    let multi = examples.join("example-streamlit-app.docker.tar").display().to_string();
    let single = examples.join("example-streamlit-app-single.docker.tar").display().to_string();
    let mut pages: Vec<(PathBuf, &[&str])> = Vec::new();
    let out = |name: &str| shots.join(format!("{name}.html"));
    // Every example Dockerfile, as `report` writes it.
    let mut files: Vec<String> = Vec::new();
    for dir in ["examples/streamlit-app", "examples/ml-service", "examples/bert-classifier/multistage", "examples/bert-classifier/naive", "examples/bert-classifier/slim", "examples/churn-api/docker"] {
        for e in std::fs::read_dir(workspace().join(dir)).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            if name.starts_with("Dockerfile") && !name.ends_with(".dockerignore") {
                files.push(format!("{dir}/{name}"));
            }
        }
    }
    files.sort();
    assert!(files.len() >= 8, "{files:?}");
    const DOCKERFILE_ONLY: &[&str] = &["summary", "graph", "checks", "findings", "dockerfile"];
    const WITH_IMAGES: &[&str] = &["summary", "graph", "checks", "findings", "dockerfile", "image"];
    const IMAGE_ONLY: &[&str] = &["summary", "image"];
    for f in &files {
        let page = out(&f.replace('/', "_").replace('.', "-"));
        run_ok(&["report", f, "-o", page.to_str().unwrap()]);
        pages.push((page, DOCKERFILE_ONLY));
    }
    // The examples' images: one Dockerfile with its image and the single-stage build, as
    // `report` and as `analyze --format html`; the same two images as `diff`; one as `inspect`.
    let p = out("report-streamlit-with-images");
    run_ok(&["report", "examples/streamlit-app/Dockerfile", "--image", &multi, "--compare", &single, "-o", p.to_str().unwrap()]);
    pages.push((p, WITH_IMAGES));
    let p = out("analyze-streamlit-image");
    run_ok(&["analyze", "--format", "html", "examples/streamlit-app/Dockerfile", "--image", &multi, "-o", p.to_str().unwrap()]);
    pages.push((p, WITH_IMAGES));
    let p = out("diff-streamlit");
    run_ok(&["diff", "--format", "html", &single, &multi, "-o", p.to_str().unwrap()]);
    pages.push((p, IMAGE_ONLY));
    for (name, image) in [("inspect-streamlit", multi.clone()), ("inspect-wasteful-docker", real.join("wasteful.docker.tar").display().to_string()), ("inspect-wasteful-oci", real.join("wasteful.oci.tar").display().to_string())] {
        let p = out(name);
        run_ok(&["inspect", "--format", "html", &image, "-o", p.to_str().unwrap()]);
        pages.push((p, IMAGE_ONLY));
    }
    // A hostile file: its name and lines would fetch or run something if not escaped.
    let hostile_dir = shots.join("hostile");
    std::fs::create_dir_all(&hostile_dir).unwrap();
    let hostile = hostile_dir.join("x\"><img src=http:__example.com_a.png onerror=console.error(1)>.Dockerfile");
    std::fs::write(&hostile, "FROM python:3.11 AS b\nRUN echo '<img src=http://example.com/b.png onerror=console.error(2)>' '<script>console.error(3)</script>'\nFROM python:3.11-slim\nCOPY --from=b \"/<style>@import url(http://example.com/c.css)</style>\" /app\n").unwrap();
    let p = out("hostile");
    run_ok(&["report", hostile.to_str().unwrap(), "-o", p.to_str().unwrap()]);
    pages.push((p, DOCKERFILE_ONLY));
    // And a page that does fetch and log, to show the checks see it.
    let control = out("control-fetches-and-logs");
    std::fs::write(&control, "<!DOCTYPE html><html><body><img src=\"http://example.com/x.png\"><script>console.error('boom')</script></body></html>").unwrap();

    let paths: Vec<PathBuf> = pages.iter().map(|(p, _)| p.clone()).chain([control.clone()]).collect();
    let results = open_in_chromium(&shots, &paths);
    for r in &results {
        let file = r["file"].as_str().unwrap();
        if file == control.to_str().unwrap() {
            assert!(!r["requests"].as_array().unwrap().is_empty(), "the checker must see the control page's request: {r}");
            assert!(r["console"].as_array().unwrap().iter().any(|m| m.as_str().unwrap().contains("boom")), "{r}");
            continue;
        }
        let what = format!("{file} at {}", r["viewport"]);
        assert_eq!(r["console"], serde_json::json!([]), "{what}: console messages");
        assert_eq!(r["errors"], serde_json::json!([]), "{what}: page errors");
        assert_eq!(r["requests"], serde_json::json!([]), "{what}: requests");
        assert_eq!(r["same_offline"], true, "{what}: renders differently offline");
        assert!(r["overflow_px"].as_i64().unwrap() <= 0, "{what}: wider than the screen by {}px", r["overflow_px"]);
        let expected = &pages.iter().find(|(p, _)| p.to_str().unwrap() == file).unwrap().1;
        let sections: Vec<&str> = r["sections"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
        assert_eq!(&sections, expected, "{what}");
        let shot = shots.join(format!("{}-{}.png", Path::new(file).file_stem().unwrap().to_string_lossy(), r["viewport"].as_str().unwrap()));
        let png = std::fs::read(&shot).unwrap_or_else(|e| panic!("{}: {e}", shot.display()));
        assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "{}: an empty screenshot?", shot.display());
    }
}

#[test]
fn report_errors_leave_no_file_behind() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("html-report-errors");
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("r.html");
    let _ = std::fs::remove_file(&page);
    let bad = dir.join("Dockerfile");
    std::fs::write(&bad, "FROM python:3.11\nCOPY --from= /a /b\nFROM\n").unwrap();
    let out = dockstage(&["report", bad.to_str().unwrap(), "-o", page.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.starts_with("dockstage: ") && err.contains(&format!("{}:", bad.display())), "{err}");
    assert!(!page.exists());
    let missing_image = dir.join("no-such-image.tar");
    let out = dockstage(&["report", "examples/streamlit-app/Dockerfile", "--image", missing_image.to_str().unwrap(), "-o", page.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("cannot read image") && err.lines().count() == 1, "{err}");
    assert!(!page.exists());
    let out = dockstage(&["inspect", "--format", "html", missing_image.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}
