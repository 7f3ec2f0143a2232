//! The rewrite of the examples' single-stage files: the output is a two-stage build that
//! BuildKit's parser accepts, whose last stage starts from the slim base and keeps the
//! original's runtime settings.

use std::path::PathBuf;

fn example(rel: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn instructions(text: &str) -> Vec<(String, String)> {
    let parsed = dockstage_syntax::parse(text).unwrap_or_else(|e| panic!("rewrite does not parse: {e:?}\n{text}"));
    parsed.instructions.iter().map(|i| (i.keyword.to_ascii_uppercase(), i.original.clone())).collect()
}

#[test]
fn bert_naive_becomes_builder_and_slim_runtime() {
    let out = dockstage_split::split(&example("bert-classifier/naive/Dockerfile"), &Default::default())
        .unwrap_or_else(|r| panic!("refused at {}:{}: {}", r.line, r.column, r.message));
    eprintln!("{}", out.dockerfile);
    assert_eq!(out.runtime_base, "python:3.10-slim");
    let ins = instructions(&out.dockerfile);
    let froms: Vec<_> = ins.iter().filter(|(k, _)| k == "FROM").collect();
    assert_eq!(froms.len(), 2, "two stages: {froms:?}");
    assert!(froms[0].1.contains("python:3.10") && froms[0].1.to_ascii_lowercase().contains(" as builder"));
    assert!(froms[1].1.contains("python:3.10-slim"));
    let runtime_start = ins.iter().rposition(|(k, _)| k == "FROM").unwrap();
    let runtime = &ins[runtime_start..];
    assert!(runtime.iter().any(|(k, o)| k == "COPY" && o.contains("--from=builder")), "{runtime:?}");
    assert!(runtime.iter().any(|(k, o)| k == "CMD" && o.contains("app/main.py")));
    assert!(runtime.iter().any(|(k, o)| k == "EXPOSE" && o.contains("8080")));
    assert!(!runtime.iter().any(|(k, o)| k == "RUN" && o.contains("pip install")), "no install in the runtime stage: {runtime:?}");
}

#[test]
fn multi_stage_files_are_refused_with_a_line() {
    let err = dockstage_split::split(&example("bert-classifier/multistage/Dockerfile"), &Default::default()).unwrap_err();
    assert!(err.line >= 1 && !err.message.is_empty(), "{err:?}");
}

fn ds_findings(text: &str) -> Vec<String> {
    let report = dockstage_lint::lint_source("rewrite", text, &dockstage_lint::Config::default());
    report.findings.iter().filter(|f| matches!(f.rule, "DS001" | "DS008" | "DS009" | "DS011")).map(|f| format!("{} line {}: {}", f.rule, f.line, f.message)).collect()
}

#[test]
fn streamlit_single_keeps_libgomp_and_leaves_the_compilers() {
    let original = example("streamlit-app/Dockerfile.single");
    assert!(!ds_findings(&original).is_empty(), "the original is what the DS rules flag");
    let out = dockstage_split::split(&original, &Default::default()).unwrap_or_else(|r| panic!("refused at {r}"));
    assert_eq!(out.runtime_packages, ["libgomp1"]);
    for p in ["build-essential", "gcc", "g++", "make", "curl"] {
        assert!(out.builder_only_packages.iter().any(|b| b == p), "{p} stays in the builder: {:?}", out.builder_only_packages);
        assert!(out.dockerfile.contains(&format!("# split: {p} stays in the builder")), "the output says why {p} stayed");
    }
    let ins = instructions(&out.dockerfile);
    let runtime = &ins[ins.iter().rposition(|(k, _)| k == "FROM").unwrap()..];
    assert!(runtime.iter().any(|(k, o)| k == "CMD" && o.contains("streamlit")), "{runtime:?}");
    assert!(!runtime.iter().any(|(_, o)| o.contains("build-essential")), "{runtime:?}");
}

#[test]
fn example_rewrites_pass_the_multi_stage_rules() {
    for rel in ["bert-classifier/naive/Dockerfile", "streamlit-app/Dockerfile.single"] {
        let out = dockstage_split::split(&example(rel), &Default::default()).unwrap_or_else(|r| panic!("{rel}: refused at {r}"));
        let bad = ds_findings(&out.dockerfile);
        assert!(bad.is_empty(), "{rel}: {bad:#?}\n{}", out.dockerfile);
    }
}
