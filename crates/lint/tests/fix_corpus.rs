//! `--fix` over the shared corpus, in both modes: the fixed file parses, a second pass changes
//! nothing, no fixed finding remains where it was fixed, and no rule finds more than before.

use std::collections::BTreeMap;

use dockstage_lint::fix::{fix_source, FixOptions};
use dockstage_lint::{Config, LintOptions};
use dockstage_test_support::corpus_dockerfiles;

fn counts(findings: &[dockstage_lint::Finding]) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for f in findings {
        *m.entry(f.rule).or_default() += 1;
    }
    m
}

fn check_mode(unsafe_fixes: bool) {
    let config = Config::default();
    let opts = FixOptions { unsafe_fixes, only: vec![] };
    let (mut fixable, mut applied) = (0, 0);
    let (mut total_before, mut total_after, mut fixable_after) = (0, 0, 0);
    for (name, src) in corpus() {
        // Cut files (half a heredoc, a dangling continuation) never panic and stay parseable or untouched.
        let mut cut = src.len() / 2;
        while !src.is_char_boundary(cut) {
            cut -= 1;
        }
        let partial = fix_source(&name, &src[..cut], &config, LintOptions::default(), &opts);
        assert!(partial.fixed == src[..cut] || dockstage_syntax::parse(&partial.fixed).is_ok(), "{name}: cut file fixed into an unparsable one");
        if dockstage_syntax::parse(&src).is_err() {
            continue;
        }
        let before = dockstage_lint::lint_source_with(&name, &src, &config, LintOptions::default());
        let out = fix_source(&name, &src, &config, LintOptions::default(), &opts);
        fixable += before.findings.iter().filter(|f| f.fix.as_ref().is_some_and(|x| unsafe_fixes || x.applicability == dockstage_lint::fix::Applicability::Safe)).count();
        applied += out.applied.len();
        total_before += before.findings.len();
        total_after += out.remaining.findings.len();
        fixable_after += out.remaining.findings.iter().filter(|f| f.fix.as_ref().is_some_and(|x| unsafe_fixes || x.applicability == dockstage_lint::fix::Applicability::Safe)).count();
        let parsed = dockstage_syntax::parse(&out.fixed).unwrap_or_else(|e| panic!("{name}: fixed file does not parse: {e}\n{}", out.fixed));
        assert!(!parsed.instructions.is_empty());
        let again = fix_source(&name, &out.fixed, &config, LintOptions::default(), &opts);
        assert_eq!(again.fixed, out.fixed, "{name}: a second --fix changed the file");
        let (b, a) = (counts(&before.findings), counts(&out.remaining.findings));
        for (rule, n) in &a {
            assert!(*n <= b.get(rule).copied().unwrap_or(0), "{name}: {rule} found {n} times after fixing, {} before\n{}", b.get(rule).copied().unwrap_or(0), out.fixed);
        }
        for f in &out.remaining.findings {
            if let Some(fix) = &f.fix {
                let wanted = unsafe_fixes || fix.applicability == dockstage_lint::fix::Applicability::Safe;
                assert!(!(wanted && fix.edits.is_empty() && fix.new_files.is_empty()), "{name}: empty fix from {}", f.rule);
            }
        }
    }
    assert!(applied > 100, "only {applied} fixes applied over the corpus ({fixable} fixable)");
    let pct = |n: usize, of: usize| 100.0 * n as f64 / of.max(1) as f64;
    eprintln!(
        "unsafe={unsafe_fixes}: {total_before} findings, {fixable} of them fixable; {applied} fixes applied; after: {total_after} findings ({:.1}% fewer), {fixable_after} still fixable ({:.1}% of the fixable ones removed)",
        pct(total_before - total_after, total_before),
        pct(fixable - fixable_after.min(fixable), fixable)
    );
}

#[test]
fn safe_fixes_over_the_corpus() {
    check_mode(false);
}

#[test]
fn unsafe_fixes_over_the_corpus() {
    check_mode(true);
}

fn corpus() -> Vec<(String, String)> {
    let out: Vec<(String, String)> = corpus_dockerfiles()
        .into_iter()
        .map(|p| (p.display().to_string(), String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned()))
        .collect();
    assert!(out.len() > 200, "expected the shared corpus, found {} files", out.len());
    out
}
