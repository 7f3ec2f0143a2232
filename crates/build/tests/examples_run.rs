//! The seeds' systems run for real: every example's final image (each variant), built by
//! scripts/make-test-images.sh examples, started with `buildah run --isolation chroot` on the
//! host network, asked what its README says it answers, then stopped (process group killed,
//! container removed, port closed again).
mod common;

use std::time::Duration;

use common::{argv, assert_port_closed, engine, examples_built, free_port, http, wait_for};
use dockstage_build::RunRequest;

const START: Duration = Duration::from_secs(120);

fn image(name: &str) -> String {
    format!("localhost/dockstage-test/{name}:latest")
}

/// ml-service: gunicorn on a free port; /health and /predict.
#[test]
fn ml_service_answers_health_and_predict() {
    examples_built(common::PYTHON_EXAMPLES);
    let port = free_port();
    let req = RunRequest {
        command: Some(argv(&["gunicorn", "--bind", &format!("127.0.0.1:{port}"), "--workers", "1", "app.main:app"])),
        ..Default::default()
    };
    let mut svc = engine().start(&image("example-ml-service"), &req).unwrap();
    let health = wait_for(&mut svc, port, "/health", 200, START);
    assert_eq!(health.json()["status"], "ok");
    let setosa = http(port, "POST", "/predict", Some(r#"{"features": [5.1, 3.5, 1.4, 0.2]}"#)).unwrap();
    assert_eq!(setosa.status, 200, "{}", setosa.body);
    assert_eq!(setosa.json()["label"], "setosa", "{}", setosa.body);
    let other = http(port, "POST", "/predict", Some(r#"{"features": [6.7, 3.0, 5.2, 2.3]}"#)).unwrap();
    assert_eq!(other.json()["label"], "not-setosa", "{}", other.body);
    let bad = http(port, "POST", "/predict", Some(r#"{"features": [1]}"#)).unwrap();
    assert_eq!(bad.status, 400);
    svc.stop();
    assert_port_closed(port);
}

/// The default command prints a classification; the server answers POST /classify.
fn bert_classifier(variant: &str) {
    examples_built(common::PYTHON_EXAMPLES);
    let name = format!("example-bert-classifier-{variant}");
    let (code, out) = engine()
        .run_to_end(&image(&name), &RunRequest::default(), START)
        .unwrap();
    assert_eq!(code, 0, "{name} default command failed:\n{out}");
    assert!(out.contains("--- Classification Result ---"), "{out}");
    assert!(out.contains("'label': 'POSITIVE'"), "the default text is a happy one:\n{out}");

    let port = free_port();
    let req = RunRequest {
        command: Some(argv(&["python", "app/server.py"])),
        env: vec![format!("PORT={port}")],
        ..Default::default()
    };
    let mut svc = engine().start(&image(&name), &req).unwrap();
    wait_for(&mut svc, port, "/health", 200, START);
    let r = http(port, "POST", "/classify", Some(r#"{"texts": ["I love this, it works great", "This is terrible and broken"]}"#)).unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    let labels: Vec<String> = r.json().as_array().unwrap().iter().map(|x| x["label"].as_str().unwrap().to_string()).collect();
    assert_eq!(labels, ["POSITIVE", "NEGATIVE"], "{}", r.body);
    assert_eq!(http(port, "POST", "/classify", Some("{}")).unwrap().status, 400);
    svc.stop();
    assert_port_closed(port);
}

#[test]
fn bert_classifier_naive_classifies() {
    bert_classifier("naive");
}

#[test]
fn bert_classifier_slim_classifies() {
    bert_classifier("slim");
}

#[test]
fn bert_classifier_multistage_classifies() {
    bert_classifier("multistage");
}

fn streamlit(name: &str) {
    examples_built(common::PYTHON_EXAMPLES);
    let port = free_port();
    let req = RunRequest {
        command: Some(argv(&[
            "streamlit", "run", "app.py", "--server.address=127.0.0.1", &format!("--server.port={port}"),
            "--server.headless=true", "--browser.gatherUsageStats=false",
        ])),
        ..Default::default()
    };
    let mut svc = engine().start(&image(name), &req).unwrap();
    let health = wait_for(&mut svc, port, "/_stcore/health", 200, START);
    assert_eq!(health.body.trim(), "ok");
    let page = http(port, "GET", "/", None).unwrap();
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<html") || page.body.contains("<!doctype html"), "{}", &page.body[..page.body.len().min(300)]);
    svc.stop();
    assert_port_closed(port);
}

#[test]
fn streamlit_app_multistage_serves_its_health_endpoint() {
    streamlit("example-streamlit-app");
}

#[test]
fn streamlit_app_single_serves_its_health_endpoint() {
    streamlit("example-streamlit-app-single");
}

/// The training image writes the model into a volume; the API image reads it from there.
#[test]
fn churn_api_trains_then_answers_health_and_predictions() {
    examples_built(common::PYTHON_EXAMPLES);
    let models = tempfile::tempdir().unwrap();
    // The images run as uid 10001.
    std::fs::set_permissions(models.path(), std::os::unix::fs::PermissionsExt::from_mode(0o777)).unwrap();
    let volumes = vec![(models.path().to_path_buf(), "/models".to_string())];
    let train = RunRequest { volumes: volumes.clone(), ..Default::default() };
    let (code, out) = engine().run_to_end(&image("example-churn-api-docker-train"), &train, Duration::from_secs(300)).unwrap();
    assert_eq!(code, 0, "training failed:\n{out}");
    assert!(models.path().join("churn.joblib").is_file(), "no model written:\n{out}");

    let port = free_port();
    let api = RunRequest {
        command: Some(argv(&["uvicorn", "churn.api:app", "--host", "127.0.0.1", "--port", &port.to_string()])),
        volumes,
        ..Default::default()
    };
    let mut svc = engine().start(&image("example-churn-api-docker-api"), &api).unwrap();
    let health = wait_for(&mut svc, port, "/health", 200, START);
    assert_eq!(health.json()["status"], "ok");
    let customers = r#"[
        {"tenure_months": 2, "monthly_charges": 105.5, "support_calls": 6, "contract": "month-to-month",
         "internet_service": "fiber", "tech_support": "no", "paperless_billing": "yes"},
        {"tenure_months": 60, "monthly_charges": 25.0, "support_calls": 0, "contract": "two-year",
         "internet_service": "dsl", "tech_support": "yes", "paperless_billing": "no"}
    ]"#;
    let r = http(port, "POST", "/predict", Some(customers)).unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    let preds = r.json();
    let p: Vec<f64> = preds.as_array().unwrap().iter().map(|x| x["churn_probability"].as_f64().unwrap()).collect();
    assert_eq!(p.len(), 2);
    assert!(p.iter().all(|v| (0.0..=1.0).contains(v)), "{p:?}");
    assert!(p[0] > p[1], "a new, unhappy fiber customer churns more than a loyal one: {p:?}");
    let invalid = http(port, "POST", "/predict", Some(r#"[{"tenure_months": -1}]"#)).unwrap();
    assert_eq!(invalid.status, 422);
    svc.stop();
    assert_port_closed(port);
}
