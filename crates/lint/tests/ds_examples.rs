//! The multi-stage DS rules on the bundled example apps: every multi-stage variant comes out clean,
//! every single-stage variant is flagged by the rules that apply to it.

use std::path::{Path, PathBuf};

use dockstage_lint::{Config, LintOptions};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// DS rules that fired on an example, as (rule, line).
fn ds_findings(rel: &str) -> Vec<(&'static str, usize)> {
    let path = examples().join(rel);
    let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let options = LintOptions { path: Some(&path), target: None };
    let report = dockstage_lint::lint_source_with(rel, &source, &Config::default(), options);
    report.findings.iter().filter(|f| f.rule.starts_with("DS")).map(|f| (f.rule, f.line)).collect()
}

/// The multi-stage rules: toolchains, caches, secrets, whole-tree copies, .dockerignore, unused
/// stages, and the cache-busting COPY (DS004). DS014 (digest) is left out: the examples pin tags,
/// not digests, because no registry is reachable to resolve one.
const MULTI_STAGE_RULES: &[&str] = &["DS004", "DS008", "DS009", "DS010", "DS011", "DS012", "DS013"];

#[test]
fn multi_stage_variants_are_clean() {
    for rel in ["ml-service/Dockerfile", "bert-classifier/multistage/Dockerfile", "streamlit-app/Dockerfile", "churn-api/docker/Dockerfile.api", "churn-api/docker/Dockerfile.train"] {
        let hits: Vec<_> = ds_findings(rel).into_iter().filter(|(r, _)| MULTI_STAGE_RULES.contains(r)).collect();
        assert!(hits.is_empty(), "{rel}: {hits:?}");
    }
}

#[test]
fn single_stage_variants_are_flagged() {
    // (file, rule, line)
    let expected: &[(&str, &str, usize)] = &[
        // COPY . . then pip install: cache busting; no .dockerignore in naive/; pip cache kept (DS006).
        ("bert-classifier/naive/Dockerfile", "DS004", 12),
        ("bert-classifier/naive/Dockerfile", "DS012", 12),
        ("bert-classifier/naive/Dockerfile", "DS006", 13),
        // build-essential, gcc, g++, make installed and never removed, apt lists kept; pip cache kept (DS006).
        ("streamlit-app/Dockerfile.single", "DS008", 6),
        ("streamlit-app/Dockerfile.single", "DS009", 6),
        ("streamlit-app/Dockerfile.single", "DS006", 16),
    ];
    for (rel, rule, line) in expected {
        let hits = ds_findings(rel);
        assert!(hits.contains(&(rule, *line)), "{rel}: expected {rule} at line {line}, got {hits:?}");
    }
    // Every single-stage variant is told to split its build.
    for rel in ["bert-classifier/naive/Dockerfile", "bert-classifier/slim/Dockerfile", "streamlit-app/Dockerfile.single"] {
        assert!(ds_findings(rel).iter().any(|(r, _)| *r == "DS001"), "{rel}: DS001");
    }
}

#[test]
fn slim_variant_purges_its_toolchain_in_the_same_run() {
    // bert-classifier/slim installs build-essential, builds, purges it and the apt lists in one RUN:
    // nothing of the toolchain or the cache reaches a layer.
    let hits = ds_findings("bert-classifier/slim/Dockerfile");
    assert!(!hits.iter().any(|(r, _)| matches!(*r, "DS008" | "DS009")), "{hits:?}");
    // It has no .dockerignore but copies named directories only, so DS012 has nothing to say.
    assert!(!hits.iter().any(|(r, _)| *r == "DS012"), "{hits:?}");
}

#[test]
fn stdin_has_no_directory_so_dockerignore_rule_is_silent() {
    let source = std::fs::read_to_string(examples().join("bert-classifier/naive/Dockerfile")).unwrap();
    let report = dockstage_lint::lint_source("<stdin>", &source, &Config::default());
    assert!(!report.findings.iter().any(|f| f.rule == "DS012"));
}

#[test]
fn ds_rules_never_fail_a_default_run() {
    // Every DS rule defaults below hadolint's default failure threshold (info), so a file that
    // passed hadolint still passes.
    let config = Config::default();
    for rule in dockstage_lint::registry().iter().filter(|r| r.meta().id.starts_with("DS")) {
        assert!(rule.meta().severity > config.failure_threshold, "{}", rule.meta().id);
    }
    let rel = "streamlit-app/Dockerfile.single";
    let path = examples().join(rel);
    let source = std::fs::read_to_string(&path).unwrap();
    let report = dockstage_lint::lint_source_with(rel, &source, &config, LintOptions { path: Some(&path), target: None });
    let ds_only = dockstage_lint::FileReport { findings: report.findings.iter().filter(|f| f.rule.starts_with("DS")).cloned().collect(), ..report.clone() };
    assert!(!ds_only.findings.is_empty());
    assert!(!dockstage_lint::is_failure(&[ds_only], &config));
}
