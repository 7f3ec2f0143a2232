//! A caller that has built the stage model passes it to lint, and lint then builds none: one
//! command, one model per Dockerfile.

use std::path::{Path, PathBuf};

use dockstage_lint::{Config, LintOptions, Model};
use dockstage_model::{builds_on_this_thread, Build};

fn example(rel: &str) -> (PathBuf, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples").join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    (path, text)
}

#[test]
fn lint_with_the_callers_model_builds_none_and_finds_the_same() {
    let (path, text) = example("bert-classifier/naive/Dockerfile");
    let df = dockstage_syntax::parse(&text).unwrap();
    let options = LintOptions { path: Some(&path), target: None };

    let before = builds_on_this_thread();
    let own = dockstage_lint::lint_parsed_with(&df, &text, &Config::default(), options);
    assert_eq!(builds_on_this_thread() - before, 1, "lint on its own builds the model once");
    assert!(own.iter().any(|f| f.rule.starts_with("DS")), "the example has DS findings: {own:?}");

    let build = Build::from_dockerfile(&df).unwrap();
    let plan = build.target(None).unwrap();
    let model = Model::new(build, plan);
    let before = builds_on_this_thread();
    let given = dockstage_lint::lint_model(&df, &text, &Config::default(), options, &model);
    assert_eq!(builds_on_this_thread() - before, 0, "lint used the model it was given");
    let key = |f: &dockstage_lint::Finding| (f.rule, f.line, f.column, f.message.clone());
    assert_eq!(given.iter().map(key).collect::<Vec<_>>(), own.iter().map(key).collect::<Vec<_>>());
}

#[test]
fn the_given_model_is_the_one_read() {
    // Two stages; the model is for the first as target, the options name none. The DS rules
    // follow the model (the first stage alone is built), which shows lint did not make its own.
    let text = "FROM python:3.11 AS build\nRUN pip install flask\nFROM python:3.11-slim\nCOPY --from=build /usr/local /usr/local\n";
    let df = dockstage_syntax::parse(text).unwrap();
    let options = LintOptions { path: None, target: None };
    let build = Build::from_dockerfile(&df).unwrap();
    let first = build.target(Some("build")).unwrap();
    let last = build.target(None).unwrap();
    assert_ne!(first, last);
    let with_first = Model::new(build.clone(), first);
    let with_last = Model::new(build, last);
    let ds = |m: &Model| -> Vec<(&'static str, usize)> {
        dockstage_lint::lint_model(&df, text, &Config::default(), options, m).into_iter().filter(|f| f.rule.starts_with("DS")).map(|f| (f.rule, f.line)).collect()
    };
    let own: Vec<_> = dockstage_lint::lint_parsed_with(&df, text, &Config::default(), options).into_iter().filter(|f| f.rule.starts_with("DS")).map(|f| (f.rule, f.line)).collect();
    assert_eq!(ds(&with_last), own);
    assert_ne!(ds(&with_first), own, "a model for another target gives other DS findings");
}
