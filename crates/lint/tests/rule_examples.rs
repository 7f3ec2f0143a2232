//! Every rule's documentation carries a bad and a good example; the bad one must trigger the rule
//! and the good one must not. Rules that need configuration (label schema, trusted registries) or
//! are off by default get it here.

use std::collections::BTreeMap;

use dockstage_lint::{Config, LabelType, Severity};

/// The fenced `dockerfile` block after a `## Bad` or `## Good` heading.
fn example(docs: &str, heading: &str) -> String {
    let after = docs.split(&format!("## {heading}\n")).nth(1).unwrap_or_else(|| panic!("no {heading} section"));
    let body = after.split("```dockerfile\n").nth(1).expect("fenced example");
    body.split("```").next().unwrap().to_string()
}

/// Wraps a fragment that does not start with FROM/ARG/comment into a stage, so only the rule under
/// test has something to say about the structure.
fn complete(src: &str, id: &str) -> String {
    let first = src.lines().next().unwrap_or("").to_ascii_uppercase();
    if id == "DL3061" || first.starts_with("FROM") || first.starts_with("ARG") || first.starts_with('#') {
        src.to_string()
    } else {
        format!("FROM debian:12\n{src}")
    }
}

fn config_for(id: &str) -> Config {
    let mut c = Config::default();
    c.overrides.insert(id.to_string(), Severity::Warning);
    let schema = |pairs: &[(&str, LabelType)]| pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect::<BTreeMap<_, _>>();
    match id {
        "DL3026" => c.trusted_registries = vec!["my.registry.io".into()],
        "DL3049" | "DL3051" => c.label_schema = schema(&[("maintainer", LabelType::Text)]),
        "DL3050" => {
            c.label_schema = schema(&[("version", LabelType::Semver)]);
            c.strict_labels = true;
        }
        "DL3052" => c.label_schema = schema(&[("website", LabelType::Url)]),
        "DL3053" => c.label_schema = schema(&[("created", LabelType::Rfc3339)]),
        "DL3054" => c.label_schema = schema(&[("license", LabelType::Spdx)]),
        "DL3055" => c.label_schema = schema(&[("revision", LabelType::Hash)]),
        "DL3056" => c.label_schema = schema(&[("version", LabelType::Semver)]),
        "DL3058" => c.label_schema = schema(&[("maintainer", LabelType::Email)]),
        "InvalidBaseImagePlatform" => {
            c.base_platforms.insert("debian:12".into(), "linux/arm64".into());
        }
        _ => {}
    }
    c
}

/// The fenced block of another language after the Dockerfile in a section (e.g. the
/// `.dockerignore` a good example needs beside it).
fn companion(docs: &str, heading: &str, lang: &str) -> Option<String> {
    let after = docs.split(&format!("## {heading}\n")).nth(1)?;
    let section = after.split("\n## ").next().unwrap_or(after);
    let body = section.split(&format!("```{lang}\n")).nth(1)?;
    Some(body.split("```").next().unwrap().to_string())
}

/// Rules that look beside the Dockerfile get a real directory holding it and, when the example
/// has one, its `.dockerignore`.
fn fires_on_disk(id: &str, src: &str, config: &Config, dockerignore: Option<&str>) -> bool {
    let dir = std::env::temp_dir().join(format!("dockstage-rule-example-{id}-{}-{}", std::process::id(), dockerignore.is_some()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("Dockerfile");
    std::fs::write(&path, src).unwrap();
    let ignore = dir.join(".dockerignore");
    match dockerignore {
        Some(text) => std::fs::write(&ignore, text).unwrap(),
        None => {
            let _ = std::fs::remove_file(&ignore);
        }
    }
    let options = dockstage_lint::LintOptions { path: Some(&path), target: None };
    let report = dockstage_lint::lint_source_with(&path.to_string_lossy(), src, config, options);
    std::fs::remove_dir_all(&dir).unwrap();
    report.findings.iter().any(|f| f.rule == id)
}

const ON_DISK: &[&str] = &["DS012", "CopyIgnoredFile"];

fn fires(id: &str, src: &str, config: &Config) -> bool {
    let report = dockstage_lint::lint_source("Dockerfile", src, config);
    assert!(
        !report.findings.iter().any(|f| f.rule == dockstage_lint::PARSE_ERROR_RULE),
        "{id}: example does not parse:\n{src}"
    );
    report.findings.iter().any(|f| f.rule == id)
}

#[test]
fn every_rule_has_docs_and_its_examples_behave() {
    let mut checked = 0;
    for rule in dockstage_lint::registry() {
        let meta = rule.meta();
        let docs = meta.docs();
        assert!(docs.starts_with(&format!("# {}", meta.id)), "{}: docs must start with a title", meta.id);
        assert!(docs.contains("## Why"), "{}: docs need a Why section", meta.id);
        let config = config_for(meta.id);
        let bad = complete(&example(&docs, "Bad"), meta.id);
        let good = complete(&example(&docs, "Good"), meta.id);
        if ON_DISK.contains(&meta.id) {
            assert!(fires_on_disk(meta.id, &bad, &config, companion(&docs, "Bad", "dockerignore").as_deref()), "{}: bad example does not trigger the rule:\n{bad}", meta.id);
            let ignore = companion(&docs, "Good", "dockerignore");
            assert!(!fires_on_disk(meta.id, &good, &config, ignore.as_deref()), "{}: good example triggers the rule:\n{good}", meta.id);
            // Without a directory (standard input) the rule has nothing to look at.
            assert!(!fires(meta.id, &bad, &config), "{}: fires without a path", meta.id);
        } else {
            assert!(fires(meta.id, &bad, &config), "{}: bad example does not trigger the rule:\n{bad}", meta.id);
            assert!(!fires(meta.id, &good, &config), "{}: good example triggers the rule:\n{good}", meta.id);
        }
        checked += 1;
    }
    assert!(checked >= 60, "only {checked} rules");
}

#[test]
fn ids_are_unique() {
    let mut ids: Vec<&str> = dockstage_lint::registry().iter().map(|r| r.meta().id).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n);
}
