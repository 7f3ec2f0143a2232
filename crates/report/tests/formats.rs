//! Output formats: SARIF validated against the real SARIF 2.1.0 schema, hadolint's JSON fields,
//! and well-formed shapes for the others.

use dockstage_lint::{Config, FileReport};
use dockstage_report::lint::{render, Format};

fn reports() -> Vec<FileReport> {
    let config = Config::default();
    vec![
        dockstage_lint::lint_source("app/Dockerfile", "FROM ubuntu\nWORKDIR app\nMAINTAINER me <me@x>\nCMD echo \"hi\"\n", &config),
        dockstage_lint::lint_source("dir with space/Dockerfile.dev", "FROM alpine\nENV A\n", &config),
        dockstage_lint::lint_source("clean/Dockerfile", "FROM scratch\nCOPY --from=busybox:1.36 /bin/busybox /busybox\n", &config),
    ]
}

fn rendered(format: Format) -> String {
    let mut buf = Vec::new();
    render(format, &reports(), false, &mut buf).unwrap();
    String::from_utf8(buf).unwrap()
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let schema: serde_json::Value = serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let log: serde_json::Value = serde_json::from_str(&rendered(Format::Sarif)).unwrap();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "DL3000" && r["level"] == "error"));
    assert!(results.iter().any(|r| r["ruleId"] == "DL1000"));
    // MAINTAINER's fix travels as a SARIF fix the schema accepts.
    let fixed = results.iter().find(|r| r["ruleId"] == "DL4000").unwrap();
    assert_eq!(fixed["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"], "LABEL maintainer=\"me <me@x>\"");
    // And the validator does reject a broken log, so the check above means something.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "severe".into();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn json_has_hadolints_fields() {
    let items: Vec<serde_json::Value> = serde_json::from_str(&rendered(Format::Json)).unwrap();
    let first = &items[0];
    let mut keys: Vec<&str> = first.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["code", "column", "file", "level", "line", "message"]);
    assert!(items.iter().any(|i| i["code"] == "DL3006" && i["level"] == "warning" && i["line"] == 1 && i["file"] == "app/Dockerfile"));
}

#[test]
fn gitlab_code_quality_shape() {
    let items: Vec<serde_json::Value> = serde_json::from_str(&rendered(Format::Gitlab)).unwrap();
    let fps: std::collections::HashSet<&str> = items.iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    assert_eq!(fps.len(), items.len(), "fingerprints must be unique");
    assert!(items.iter().all(|i| i["location"]["lines"]["begin"].is_u64() && i["check_name"].is_string()));
}

#[test]
fn text_formats() {
    let gnu = rendered(Format::Gnu);
    assert!(gnu.lines().any(|l| l == "dockstage:app/Dockerfile:2: DL3000 error: Use absolute WORKDIR"));
    let gh = rendered(Format::Github);
    assert!(gh.lines().any(|l| l.starts_with("::error file=app/Dockerfile,line=2,col=1,") && l.ends_with("::DL3000 Use absolute WORKDIR")));
    let cs = rendered(Format::Checkstyle);
    assert!(cs.contains("<error column=\"1\" line=\"3\" message=\"MAINTAINER is deprecated\" severity=\"error\" source=\"DL4000\"/>"));
    assert!(!cs.contains("<me@x>"));
    let junit = rendered(Format::Junit);
    assert!(junit.contains("<testcase name=\"clean/Dockerfile\"") || junit.contains("testsuite name=\"clean/Dockerfile\""));
    let tty = rendered(Format::Tty);
    assert!(tty.contains("app/Dockerfile:2:1 DL3000 error: Use absolute WORKDIR\n    2 | WORKDIR app\n      | ^\n"), "{tty}");
    assert!(!tty.contains('\x1b'));
}
