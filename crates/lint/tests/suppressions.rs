//! Suppressions, configuration and bad input, end to end through `lint_source`.

use dockstage_lint::{Config, Severity};

fn rules(src: &str, config: &Config) -> Vec<(usize, &'static str)> {
    dockstage_lint::lint_source("Dockerfile", src, config).findings.iter().map(|f| (f.line, f.rule)).collect()
}

#[test]
fn hadolint_ignore_applies_to_the_next_line_only() {
    let src = "# hadolint ignore=DL3006,DL3007\nFROM ubuntu\nFROM debian\n";
    let found = rules(src, &Config::default());
    assert!(!found.contains(&(2, "DL3006")));
    assert!(found.contains(&(3, "DL3006")));
}

#[test]
fn global_and_dockstage_pragmas() {
    let src = "# hadolint global ignore=DL3006\nFROM ubuntu\n# dockstage ignore=JSONArgsRecommended\nCMD run\n";
    let found = rules(src, &Config::default());
    assert!(!found.iter().any(|f| f.1 == "DL3006"));
    assert!(!found.contains(&(4, "JSONArgsRecommended")));
    assert!(found.contains(&(4, "DL3025")));
}

#[test]
fn disable_ignore_pragma() {
    let config = Config { disable_ignore_pragma: true, ..Config::default() };
    assert!(rules("# hadolint ignore=DL3006\nFROM ubuntu\n", &config).contains(&(2, "DL3006")));
}

#[test]
fn buildkit_check_directive() {
    let src = "# check=skip=JSONArgsRecommended\nFROM alpine:3.20\nCMD run\nMAINTAINER me\n";
    let found = rules(src, &Config::default());
    assert!(!found.iter().any(|f| f.1 == "JSONArgsRecommended"));
    assert!(found.iter().any(|f| f.1 == "MaintainerDeprecated"));
    let report = dockstage_lint::lint_source("D", "# check=error=true\nFROM alpine:3.20\nCMD run\n", &Config::default());
    let f = report.findings.iter().find(|f| f.rule == "JSONArgsRecommended").unwrap();
    assert_eq!(f.severity, Severity::Error);
    assert!(dockstage_lint::is_failure(&[report], &Config::default()));
    assert!(!rules("# check=skip=all\nFROM alpine:3.20\nCMD run\n", &Config::default()).iter().any(|f| f.1 == "JSONArgsRecommended"));
}

#[test]
fn config_ignores_and_overrides() {
    let config = Config::from_yaml("ignored: [DL3006]\noverride:\n  info: [DL3025]\n").unwrap();
    let report = dockstage_lint::lint_source("D", "FROM ubuntu\nCMD run\n", &config);
    assert!(!report.findings.iter().any(|f| f.rule == "DL3006"));
    assert_eq!(report.findings.iter().find(|f| f.rule == "DL3025").unwrap().severity, Severity::Info);
}

#[test]
fn exit_status_follows_failure_threshold() {
    let report = dockstage_lint::lint_source("D", "FROM ubuntu\n", &Config::default());
    assert!(dockstage_lint::is_failure(std::slice::from_ref(&report), &Config::default()));
    let lenient = Config { failure_threshold: Severity::Error, ..Config::default() };
    assert!(!dockstage_lint::is_failure(std::slice::from_ref(&report), &lenient));
    let no_fail = Config { no_fail: true, ..Config::default() };
    assert!(!dockstage_lint::is_failure(&[report], &no_fail));
}

#[test]
fn style_suggestions_do_not_fail_a_default_run() {
    // DS and BuildKit rules report at style: below the default `info` threshold.
    let report = dockstage_lint::lint_source("D", "FROM python:3.12\nRUN pip install -r r.txt\nCMD [\"python\"]\n", &Config::default());
    assert!(report.findings.iter().any(|f| f.rule.starts_with("DS")));
    assert!(report.findings.iter().all(|f| f.severity == Severity::Style));
    assert!(!dockstage_lint::is_failure(&[report], &Config::default()));
}

#[test]
fn unparsable_file_is_one_finding() {
    let report = dockstage_lint::lint_source("D", "FROM alpine\nENV A\nCMD run\n", &Config::default());
    assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
    let f = &report.findings[0];
    assert_eq!((f.rule, f.line, f.severity), (dockstage_lint::PARSE_ERROR_RULE, 2, Severity::Error));
    assert!(f.message.contains("ENV must have two arguments"));
    assert!(dockstage_lint::is_failure(&[report], &Config { failure_threshold: Severity::Ignore, ..Config::default() }));
}
