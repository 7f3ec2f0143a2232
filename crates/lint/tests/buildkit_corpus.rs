//! dockstage's BuildKit-rule findings on the shared corpus, run as `docker build --check` runs the
//! checks, must be exactly those listed in `buildkit/corpus-findings.tsv`, and every listed
//! finding carries its reason: `documented: ...` for what the rule's BuildKit documentation
//! describes, an explanation for everything else. Zero unexplained findings.

use std::collections::BTreeSet;

use dockstage_lint::{Config, LintOptions, Origin};
use dockstage_test_support::{dockerfiles_under, shared_dir};

type Key = (String, usize, String);

#[test]
fn corpus_findings_are_listed_with_reasons() {
    let corpus = shared_dir().join("corpus");
    assert!(corpus.is_dir(), "corpus not found at {} (set DOCKSTAGE_SHARED)", corpus.display());
    let files = dockerfiles_under(&corpus);
    assert!(files.len() >= 250, "only {} Dockerfiles in the corpus", files.len());

    let mut listed: BTreeSet<Key> = BTreeSet::new();
    for line in include_str!("buildkit/corpus-findings.tsv").lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(cols.len() == 4, "need file, line, rule, reason: {line}");
        let reason = cols[3].trim();
        assert!(!reason.is_empty() && reason != "documented:", "finding without a reason: {line}");
        assert!(listed.insert((cols[0].to_string(), cols[1].parse().unwrap(), cols[2].to_string())), "listed twice: {line}");
    }

    let config = Config::default();
    let mut found: BTreeSet<Key> = BTreeSet::new();
    for path in &files {
        let Ok(source) = std::fs::read_to_string(path) else { continue };
        let rel = path.strip_prefix(&corpus).unwrap().to_string_lossy().into_owned();
        let report = dockstage_lint::lint_source_with(&rel, &source, &config, LintOptions { path: Some(path), target: None });
        for f in &report.findings {
            let origin = dockstage_lint::find_rule(f.rule).map(|r| r.meta().origin);
            if origin == Some(Origin::Buildkit) || f.rule == "InvalidCheckDirective" {
                found.insert((rel.clone(), f.line, f.rule.to_string()));
            }
        }
    }
    let unlisted: Vec<_> = found.difference(&listed).collect();
    let gone: Vec<_> = listed.difference(&found).collect();
    assert!(unlisted.is_empty() && gone.is_empty(), "reported but not listed (add with a reason): {unlisted:#?}\nlisted but no longer reported: {gone:#?}");
}
