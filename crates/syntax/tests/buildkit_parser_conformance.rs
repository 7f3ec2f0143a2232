//! BuildKit's own parser fixtures: every positive case must dump to its `result`, every negative
//! case must be rejected.

mod common;
use common::*;
use std::path::PathBuf;

fn cases(kind: &str) -> Vec<(String, PathBuf)> {
    let root = shared_dir().join("conformance/buildkit-parser").join(kind);
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    cases.sort();
    cases
}

#[test]
fn positive_fixtures_dump_to_their_result() {
    let cases = cases("testfiles");
    assert!(cases.len() >= 30, "expected BuildKit's positive fixtures, found {}", cases.len());
    let mut failures = Vec::new();
    for (name, dir) in &cases {
        let source = String::from_utf8_lossy(&std::fs::read(dir.join("Dockerfile")).unwrap()).into_owned();
        let expected = std::fs::read_to_string(dir.join("result")).unwrap();
        match dockstage_syntax::parse(&source) {
            Ok(df) => {
                let got = dockstage_syntax::dump::dump(&df) + "\n";
                if got != expected {
                    failures.push(format!("{name}:\n--- expected\n{expected}--- got\n{got}"));
                }
            }
            Err(e) => failures.push(format!("{name}: rejected: {e}")),
        }
    }
    assert!(failures.is_empty(), "{} of {} fixtures differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn negative_fixtures_are_rejected() {
    let cases = cases("testfiles-negative");
    assert!(!cases.is_empty());
    for (name, dir) in &cases {
        let source = String::from_utf8_lossy(&std::fs::read(dir.join("Dockerfile")).unwrap()).into_owned();
        assert!(dockstage_syntax::parse(&source).is_err(), "{name} should be rejected");
    }
}
