//! BuildKit's build checks as `docker build --check` runs them: the documentation's examples of
//! every rule (fixtures in `buildkit/doc-examples.txt`, rule and line), and one differential test
//! per behaviour of BuildKit's check machinery: `# check=` comments above single instructions,
//! `experimental=`, malformed settings, stage inheritance of SHELL and WORKDIR, reported lines,
//! and the build inputs `--build-arg`, `--target` and `--platform`. Expected results are
//! BuildKit's, read from its linter and its integration tests (frontend/dockerfile in
//! moby/buildkit).

use std::collections::BTreeMap;
use std::path::Path;

use dockstage_lint::{Config, LintOptions, Origin, Severity};

struct Case {
    rule: String,
    bad_lines: Option<Vec<usize>>,
    ignore: Option<String>,
    source: String,
    header_line: usize,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/buildkit/doc-examples.txt")).unwrap();
    let mut out: Vec<Case> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if let Some(head) = line.strip_prefix("### ") {
            let mut words = head.split(' ');
            let rule = words.next().unwrap().to_string();
            let kind = words.next().unwrap();
            let mut bad_lines = None;
            let mut ignore = None;
            for w in words {
                if let Some(i) = w.strip_prefix("ignore=") {
                    ignore = Some(format!("{i}\n"));
                } else {
                    bad_lines = Some(w.split(',').map(|l| l.parse().unwrap()).collect());
                }
            }
            assert_eq!(kind == "bad", bad_lines.is_some(), "line {}: a bad case lists its lines", n + 1);
            out.push(Case { rule, bad_lines, ignore, source: String::new(), header_line: n + 1 });
        } else if let Some(case) = out.last_mut() {
            case.source.push_str(line);
            case.source.push('\n');
        }
    }
    for c in &mut out {
        c.source = c.source.trim_end_matches('\n').to_string() + "\n";
    }
    out
}

/// Lints `source` as a file on disk in a fresh directory, with an optional `.dockerignore`.
fn lint_on_disk(tag: &str, source: &str, ignore: Option<&str>, config: &Config, target: Option<&str>) -> Vec<(&'static str, usize, String)> {
    let dir = std::env::temp_dir().join(format!("dockstage-buildkit-checks-{}-{tag}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("Dockerfile");
    std::fs::write(&path, source).unwrap();
    if let Some(i) = ignore {
        std::fs::write(dir.join(".dockerignore"), i).unwrap();
    }
    let report = dockstage_lint::lint_source_with("Dockerfile", source, config, LintOptions { path: Some(&path), target });
    std::fs::remove_dir_all(&dir).unwrap();
    report.findings.iter().map(|f| (f.rule, f.line, f.message.clone())).collect()
}

fn lint(source: &str) -> Vec<(&'static str, usize, String)> {
    lint_with(source, &Config::default(), None)
}

fn lint_with(source: &str, config: &Config, target: Option<&str>) -> Vec<(&'static str, usize, String)> {
    let report = dockstage_lint::lint_source_with("Dockerfile", source, config, LintOptions { path: None, target });
    report.findings.iter().map(|f| (f.rule, f.line, f.message.clone())).collect()
}

fn lines_of(found: &[(&'static str, usize, String)], rule: &str) -> Vec<usize> {
    let mut v: Vec<usize> = found.iter().filter(|f| f.0 == rule).map(|f| f.1).collect();
    v.dedup();
    v
}

#[test]
fn documentation_examples_report_the_rule_at_buildkits_lines() {
    let cases = cases();
    let buildkit_rules: Vec<&str> = dockstage_lint::registry().iter().map(|r| r.meta()).filter(|m| m.origin == Origin::Buildkit).map(|m| m.id).collect();
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        assert!(buildkit_rules.contains(&case.rule.as_str()), "line {}: {} is not a BuildKit rule of dockstage", case.header_line, case.rule);
        let mut config = Config::default();
        config.build_args.insert("BUILDKIT_DOCKERFILE_CHECK".into(), "experimental=all".into());
        let found = lint_on_disk(&i.to_string(), &case.source, case.ignore.as_deref(), &config, None);
        assert!(!found.iter().any(|f| f.0 == dockstage_lint::PARSE_ERROR_RULE), "line {}: fixture does not parse", case.header_line);
        let got = lines_of(&found, &case.rule);
        let want = case.bad_lines.clone().unwrap_or_default();
        if got != want {
            failures.push(format!("line {}: {} expected at {want:?}, reported at {got:?}\n{}", case.header_line, case.rule, case.source));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every documented BuildKit rule dockstage has is covered, bad and good.
    for rule in &buildkit_rules {
        assert!(cases.iter().any(|c| c.rule == *rule && c.bad_lines.is_some()), "{rule}: no bad fixture");
        assert!(cases.iter().any(|c| c.rule == *rule && c.bad_lines.is_none()), "{rule}: no good fixture");
    }
}
