//! `split` proven by real builds: each single-stage example is rewritten with
//! dockstage-split, both files are built with buildah and compared by `verify` (same runtime
//! config, same application files, only build tools, headers, caches and dev dependencies
//! dropped), then both images run and must give the same answers to the same requests, and
//! the rewrite must be smaller. Adding an app is one line: `prove("DIR/Dockerfile", probe)`.
mod common;

use std::time::Duration;

use common::{argv, assert_port_closed, cache, engine, examples_built, free_port, http, wait_for};
use dockstage_build::{render_text, verify, RunRequest, VerifyOptions, VerifyReport};

const START: Duration = Duration::from_secs(120);

/// How to ask a service the same questions on both sides.
#[derive(Clone, Debug, Default)]
struct Probe {
    /// Run the image's default command to its end and compare the output.
    default_output: bool,
    /// Start the server with this command (`{port}` replaced); `None`: the image's own.
    server: Option<Vec<&'static str>>,
    /// Environment for the server (`{port}` replaced).
    env: Vec<&'static str>,
    /// GET path that answers 200 once the server is up.
    health: Option<&'static str>,
    /// Requests whose status and body must match: method, path, JSON body.
    requests: Vec<(&'static str, &'static str, Option<&'static str>)>,
}

#[derive(Debug, PartialEq)]
struct Answers {
    default_output: Option<String>,
    replies: Vec<(u16, String)>,
}

fn fill(s: &str, port: u16) -> String {
    s.replace("{port}", &port.to_string())
}

fn ask(image: &str, probe: &Probe) -> Answers {
    let default_output = probe.default_output.then(|| {
        let (code, out) = engine().run_to_end(image, &RunRequest::default(), START).unwrap();
        assert_eq!(code, 0, "{image}: default command failed:\n{out}");
        out
    });
    let mut replies = Vec::new();
    if let Some(health) = probe.health {
        let port = free_port();
        let req = RunRequest {
            command: probe.server.as_ref().map(|c| c.iter().map(|w| fill(w, port)).collect()),
            env: probe.env.iter().map(|e| fill(e, port)).collect(),
            ..Default::default()
        };
        let mut svc = engine().start(image, &req).unwrap();
        let h = wait_for(&mut svc, port, health, 200, START);
        replies.push((h.status, h.body));
        for (method, path, body) in &probe.requests {
            let r = http(port, method, path, *body).unwrap();
            replies.push((r.status, r.body));
        }
        svc.stop();
        assert_port_closed(port);
    }
    Answers { default_output, replies }
}

fn text_is_python(dockerfile: &str) -> bool {
    let path = common::workspace().join("examples").join(dockerfile);
    std::fs::read_to_string(path).is_ok_and(|t| t.contains("FROM python"))
}

/// The rewrite's image, removed when the proof ends, passed or not.
struct RemovedAtEnd(String);

impl Drop for RemovedAtEnd {
    fn drop(&mut self) {
        if !self.0.is_empty() {
            engine().remove_image(&self.0);
        }
    }
}

/// Splits `examples/<dockerfile>`, verifies the rewrite against it with real builds, and
/// checks both images answer `probe` the same. Returns the report (also printed).
fn prove(dockerfile: &str, probe: Probe) -> VerifyReport {
    // One proof at a time: each holds two images as full vfs copies on disk while it runs.
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    common::bases_built(!dockerfile.contains("python") && !text_is_python(dockerfile));
    let ws = common::workspace();
    let path = ws.join("examples").join(dockerfile);
    let context = ws.join("examples").join(dockerfile.split('/').next().unwrap());
    let text = std::fs::read_to_string(&path).unwrap();
    let split = dockstage_split::split(&text, &Default::default())
        .unwrap_or_else(|r| panic!("split refused {dockerfile}: {r}"));
    let name = dockerfile.to_ascii_lowercase().replace(['/', '.'], "-");
    // The original is the example image scripts/make-test-images.sh built from the same
    // Dockerfile, context and ignore file: read it rather than build it a second time.
    let example = dockerfile.split('/').next().unwrap();
    examples_built(&[example]);
    let example_image = format!(
        "localhost/dockstage-test/example-{}:latest",
        dockerfile.to_ascii_lowercase().replace(['/', '.'], "-").replace("-dockerfile", "").trim_end_matches('-')
    );
    let opts = VerifyOptions {
        work_dir: cache().join("verify").join(&name),
        name: name.clone(),
        ignore_file: None,
        keep_archives: false,
        original_image: Some(example_image.clone()),
    };
    let report = verify(&path, &split.dockerfile, &context, &engine(), &opts);
    // vfs keeps each image as full copies: leave the disk as it was, whether the proof passes
    // or one of the checks below panics.
    let _removed = RemovedAtEnd(report.rewrite.tag.clone());
    let text = render_text(&report);
    eprintln!("=== dockstage split --verify {dockerfile}\n{text}");
    assert!(report.passed(), "{dockerfile}: the rewrite is not proven:\n{text}\n--- rewrite:\n{}", split.dockerfile);
    let saving = report.saving_bytes.unwrap();
    assert!(saving > 0, "{dockerfile}: the rewrite is not smaller:\n{text}");
    let f = &report.files;
    // A Go binary rebuilt static is the one application file whose bytes may differ.
    assert!(f.compared > 0 && f.same + f.rebuilt_static.len() > 0, "no application file compared:\n{text}");
    assert!(!report.dropped.is_empty(), "the rewrite drops nothing:\n{text}");
    let a = ask(&report.original.tag, &probe);
    let b = ask(&report.rewrite.tag, &probe);
    assert!(!a.replies.is_empty() || a.default_output.is_some());
    assert_eq!(a, b, "{dockerfile}: the original and the rewrite answer differently");
    eprintln!(
        "RESULT {dockerfile}: original {} bytes (the example image {example_image}), split {} bytes built in {:.0}s, saving {} bytes ({:.1}%)",
        report.original.size_bytes.unwrap(),
        report.rewrite.size_bytes.unwrap(),
        report.rewrite.built.as_ref().unwrap().build_seconds,
        saving,
        saving as f64 * 100.0 / report.original.size_bytes.unwrap() as f64,
    );
    report
}

#[test]
fn bert_classifier_naive_split_is_proven() {
    let report = prove(
        "bert-classifier/naive/Dockerfile",
        Probe {
            default_output: true,
            server: Some(vec!["python", "app/server.py"]),
            env: vec!["PORT={port}"],
            health: Some("/health"),
            requests: vec![
                ("POST", "/classify", Some(r#"{"texts": ["I love this, it works great", "This is terrible and broken"]}"#)),
                ("POST", "/classify", Some("{}")),
            ],
        },
    );
    let classes: Vec<_> = report.dropped.iter().map(|d| d.class.label()).collect();
    assert!(classes.contains(&"toolchains") && classes.contains(&"headers"), "{classes:?}");
}

#[test]
fn streamlit_single_split_is_proven() {
    prove(
        "streamlit-app/Dockerfile.single",
        Probe {
            server: Some(vec![
                "streamlit", "run", "app.py", "--server.address=127.0.0.1", "--server.port={port}",
                "--server.headless=true", "--browser.gatherUsageStats=false",
            ]),
            health: Some("/_stcore/health"),
            requests: vec![("GET", "/_stcore/health", None)],
            ..Default::default()
        },
    );
}

// Node: the prune drops the dev tools' `.bin` links and rewrites npm's hidden lock file; Go: the
// binary is rebuilt static and its sources stay in the builder. verify's allowances say why each
// is not a failure (crates/build/src/allowances.rs).
#[test]
fn node_app_split_is_proven() {
    let report = prove("node-app/Dockerfile", node_probe());
    let dev = report.dropped.iter().find(|d| d.class.label() == "dev dependencies").expect("dev dependencies dropped");
    assert!(dev.packages.iter().any(|(p, _)| p == "node_modules/typescript"), "{dev:?}");
    assert_eq!(report.files.metadata, ["/app/node_modules/.package-lock.json differs"]);
}

#[test]
fn go_app_split_is_proven() {
    let report = prove("go-app/Dockerfile", go_probe());
    assert_eq!(report.files.rebuilt_static, ["/usr/local/bin/app"]);
    let sources = report.dropped.iter().find(|d| d.class.label() == "sources").expect("sources dropped");
    assert_eq!(sources.files, 6, "{sources:?}");
}

fn node_probe() -> Probe {
    Probe {
        env: vec!["PORT={port}"],
        health: Some("/health"),
        requests: vec![("POST", "/duration", Some(r#"{"text": "2h"}"#)), ("POST", "/duration", Some(r#"{"text": "soon"}"#))],
        ..Default::default()
    }
}

fn go_probe() -> Probe {
    Probe {
        env: vec!["PORT={port}"],
        health: Some("/health"),
        requests: vec![("GET", "/greet?name=Ada", None), ("GET", "/greet?name=%20", None)],
        ..Default::default()
    }
}

/// The Node and Go examples build on the bases the image script makes and run their own
/// tests inside them (the Go toolchain exists only in the image).
#[test]
fn node_and_go_examples_build_run_and_pass_their_tests() {
    examples_built(common::NODE_GO_EXAMPLES);
    let e = engine();
    let go = "localhost/dockstage-test/example-go-app:latest";
    let test = RunRequest { command: Some(argv(&["go", "test", "./..."])), ..Default::default() };
    let (code, out) = e.run_to_end(go, &test, Duration::from_secs(300)).unwrap();
    assert_eq!(code, 0, "go test failed:\n{out}");
    assert!(out.contains("ok  \texample.com/go-app/internal/greet"), "{out}");
    let node = "localhost/dockstage-test/example-node-app:latest";
    let test = RunRequest { command: Some(argv(&["npm", "test"])), ..Default::default() };
    let (code, out) = e.run_to_end(node, &test, Duration::from_secs(300)).unwrap();
    assert_eq!(code, 0, "npm test failed:\n{out}");
    assert!(out.contains("# pass 2"), "{out}");
    for (image, probe) in [(go, go_probe()), (node, node_probe())] {
        let answers = ask(image, &probe);
        assert!(answers.replies.iter().all(|(s, _)| *s != 404), "{image}: {answers:?}");
        assert_eq!(answers.replies[1].0, 200, "{image}: {answers:?}");
        assert_eq!(answers.replies[2].0 / 100, 4, "{image}: {answers:?}");
    }
}
