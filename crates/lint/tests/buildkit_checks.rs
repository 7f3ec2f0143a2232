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
    base: Option<(String, String)>,
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
            let mut base = None;
            for w in words {
                if let Some(b) = w.strip_prefix("base=") {
                    let (r, p) = b.split_once('=').unwrap();
                    base = Some((r.to_string(), p.to_string()));
                } else if let Some(i) = w.strip_prefix("ignore=") {
                    ignore = Some(format!("{i}\n"));
                } else {
                    bad_lines = Some(w.split(',').map(|l| l.parse().unwrap()).collect());
                }
            }
            assert_eq!(kind == "bad", bad_lines.is_some(), "line {}: a bad case lists its lines", n + 1);
            out.push(Case { rule, bad_lines, ignore, base, source: String::new(), header_line: n + 1 });
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
        config.base_platforms.extend(case.base.clone());
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

fn at(found: &[(&'static str, usize, String)], rule: &str) -> Vec<(usize, String)> {
    found.iter().filter(|f| f.0 == rule).map(|f| (f.1, f.2.clone())).collect()
}

fn with_build_args(pairs: &[(&str, &str)]) -> Config {
    Config { build_args: pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>(), ..Config::default() }
}

#[test]
fn check_comment_above_an_instruction_applies_to_it_only() {
    // BuildKit's testSecretsUsedInArgOrEnv.
    let src = "# check=skip=InvalidDefinitionDescription\n\nFROM scratch\nARG SECRET_PASSPHRASE\nENV SUPER_Secret=foo\nENV password=bar secret=baz\nARG super_duper_secret_token=foo auth=bar\nENV apikey=bar sunflower=foo\nENV git_key=\nENV PUBLIC_KEY=\nARG public_token\nARG SECRET_PASSPHRASE_FILE\nENV password_file=bar secret_File=baz\nARG AUTH_MODULE_VERSION\n# check=skip=SecretsUsedInArgOrEnv // allow secret in environment\nENV password=bar\n# check=skip=SecretsUsedInArgOrEnv // allow secret in arg\nARG password\n# check=skip=all // is local to only this instruction\nENV alternate_password=bar\n# check=skip=all // is local to only this instruction\nARG alternate_password\n";
    let found = lint(src);
    let mut got = at(&found, "SecretsUsedInArgOrEnv");
    got.sort();
    let want: Vec<(usize, String)> = [
        (4, r#"ARG "SECRET_PASSPHRASE""#),
        (5, r#"ENV "SUPER_Secret""#),
        (6, r#"ENV "password""#),
        (6, r#"ENV "secret""#),
        (7, r#"ARG "auth""#),
        (7, r#"ARG "super_duper_secret_token""#),
        (8, r#"ENV "apikey""#),
        (9, r#"ENV "git_key""#),
    ]
    .iter()
    .map(|(l, what)| (*l, format!("Do not use ARG or ENV instructions for sensitive data ({what})")))
    .collect();
    assert_eq!(got, want);
    // BuildKit's testWorkdirRelativePath: the comment may sit anywhere, and after a blank line.
    assert!(at(&lint("FROM scratch\n# check=skip=WorkdirRelativePath\nWORKDIR app/\n"), "WorkdirRelativePath").is_empty());
    assert!(at(&lint("# check=skip=FromAsCasing\n\nFROM scratch as base\n"), "FromAsCasing").is_empty());
    assert!(at(&lint("FROM scratch\n# check=skip=JSONArgsRecommended\n\nCMD run\nENTRYPOINT run\n"), "JSONArgsRecommended").iter().map(|f| f.0).eq([5]));
    // An empty `#` line ends the comments that belong to the instruction.
    assert_eq!(lines_of(&lint("FROM scratch\n# check=skip=WorkdirRelativePath\n#\nWORKDIR app/\n"), "WorkdirRelativePath"), [4]);
}

#[test]
fn whole_file_checks_ignore_comments_above_instructions() {
    // Casing and stage-name checks run once for the file, with the file's options only.
    let found = lint("FROM scratch\n# check=skip=ConsistentInstructionCasing\nrun true\nRUN true\n");
    assert_eq!(lines_of(&found, "ConsistentInstructionCasing"), [3]);
    let found = lint("FROM scratch AS a\n# check=skip=DuplicateStageName\nFROM scratch AS a\n");
    assert_eq!(lines_of(&found, "DuplicateStageName"), [3]);
}

#[test]
fn multiple_instructions_follow_the_overriding_instructions_options() {
    // Reported at the overridden instruction, checked with the options of the one that overrides.
    let quiet = lint("FROM scratch\nCMD [\"a\"]\n# check=skip=MultipleInstructionsDisallowed\nCMD [\"b\"]\n");
    assert!(at(&quiet, "MultipleInstructionsDisallowed").is_empty());
    let loud = lint("FROM scratch\n# check=skip=MultipleInstructionsDisallowed\nCMD [\"a\"]\nCMD [\"b\"]\n");
    assert_eq!(lines_of(&loud, "MultipleInstructionsDisallowed"), [3]);
}

#[test]
fn file_check_directive_skip_and_error() {
    // BuildKit's testRuleCheckOption.
    let src = |opts: &str| format!("#check={opts}\nFROM scratch as base\ncopy Dockerfile .\n");
    let rules = |found: &[(&'static str, usize, String)]| {
        let mut r: Vec<&str> = found.iter().map(|f| f.0).filter(|r| ["FromAsCasing", "ConsistentInstructionCasing"].contains(r)).collect();
        r.dedup();
        r
    };
    assert!(rules(&lint(&src("skip=all"))).is_empty());
    assert!(rules(&lint(&src("skip=all;error=true"))).is_empty());
    assert!(rules(&lint(&src("skip=ConsistentInstructionCasing,FromAsCasing"))).is_empty());
    assert_eq!(rules(&lint(&src("skip=ConsistentInstructionCasing"))), ["FromAsCasing"]);
    let report = dockstage_lint::lint_source("Dockerfile", &src("skip=ConsistentInstructionCasing;error=true"), &Config::default());
    let f = report.findings.iter().find(|f| f.rule == "FromAsCasing").unwrap();
    assert_eq!((f.line, f.severity), (2, Severity::Error));
    // The build argument replaces the directive entirely.
    let over = with_build_args(&[("BUILDKIT_DOCKERFILE_CHECK", "skip=ConsistentInstructionCasing;error=true")]);
    let report = dockstage_lint::lint_source("Dockerfile", &src("skip=all"), &over);
    let f = report.findings.iter().find(|f| f.rule == "FromAsCasing").unwrap();
    assert_eq!((f.line, f.severity), (2, Severity::Error));
    let over = with_build_args(&[("BUILDKIT_DOCKERFILE_CHECK", "skip=all")]);
    assert!(rules(&lint_with(&src("error=true"), &over, None)).is_empty());
}

#[test]
fn experimental_checks_run_only_when_named() {
    // BuildKit's testDefinitionDescription: skip=all does not turn experimental checks off.
    let valid = "# check=skip=all;experimental=InvalidDefinitionDescription\n# foo this is the foo\nARG foo=bar\n\n# base this is the base image\nFROM scratch AS base\n\n# version this is the version number\nARG version=latest\n\n# baz this is the baz\nARG foo=baz bar=qux baz=quux\n#\nARG bit=bat\n\n# comment for something other than ARG or FROM\nCOPY Dockerfile .\n";
    assert!(at(&lint(valid), "InvalidDefinitionDescription").is_empty());
    let invalid = "# check=experimental=InvalidDefinitionDescription\n# bar this is the bar\nARG foo=bar\n# BasE this is the BasE image\nFROM scratch AS base\n# definitely a bad comment\nARG version=latest\n# definitely a bad comment\nARG foo=baz bar=qux baz=quux\n";
    let got = at(&lint(invalid), "InvalidDefinitionDescription");
    let want: Vec<(usize, String)> = [(3, "foo"), (5, "base"), (7, "version"), (9, "<arg_key>")]
        .iter()
        .map(|(l, k)| (*l, format!("Comment for {} should follow the format: `# {k} <description>`", if *l == 5 { "FROM" } else { "ARG" })))
        .collect();
    assert_eq!(got, want);
    // Off without `experimental=`, and `experimental=all` works too.
    assert!(at(&lint(&invalid.replace("# check=experimental=InvalidDefinitionDescription", "# check=skip=none")), "InvalidDefinitionDescription").is_empty());
    assert_eq!(lines_of(&lint(&invalid.replace("InvalidDefinitionDescription", "all")), "InvalidDefinitionDescription"), [3, 5, 7, 9]);
    // A comment above one instruction turns it on for that instruction only.
    let one = "FROM scratch\n# check=experimental=InvalidDefinitionDescription\n# not a description\nARG a=1\n# not one either\nARG b=2\n";
    assert_eq!(lines_of(&lint(one), "InvalidDefinitionDescription"), [4]);
}

#[test]
fn malformed_check_settings_are_reported_at_their_line() {
    let rule = "InvalidCheckDirective";
    let found = lint("# check=skip:all\nFROM scratch\nCMD run\n");
    assert_eq!(at(&found, rule), [(1, r#"failed to parse check options: invalid check option "skip:all"; BuildKit fails the build"#.to_string())]);
    // The bad directive is dropped: the checks run.
    assert_eq!(lines_of(&found, "JSONArgsRecommended"), [3]);
    let found = lint("# check=error=maybe\nFROM scratch\n");
    assert_eq!(
        at(&found, rule),
        [(1, r#"failed to parse check options: failed to parse check option "error=maybe": strconv.ParseBool: parsing "maybe": invalid syntax; BuildKit fails the build"#.to_string())]
    );
    let found = lint("# check=skipp=all\nFROM scratch\n");
    assert_eq!(at(&found, rule)[0].1, r#"failed to parse check options: invalid check option "skipp"; BuildKit fails the build"#);
    // Above an instruction BuildKit ignores it, so the check still runs there.
    let found = lint("FROM scratch\n\n# check=skip JSONArgsRecommended\nCMD run\n");
    assert_eq!(at(&found, rule), [(3, r#"invalid check option "skip"; BuildKit ignores this comment"#.to_string())]);
    assert_eq!(lines_of(&found, "JSONArgsRecommended"), [4]);
    // A bad build argument replaces the directive and is reported instead of it.
    let over = with_build_args(&[("BUILDKIT_DOCKERFILE_CHECK", "nonsense")]);
    let found = lint_with("# check=skip=all\nFROM scratch\n", &over, None);
    assert_eq!(at(&found, rule)[0].1, r#"failed to parse BUILDKIT_DOCKERFILE_CHECK: invalid check option "nonsense"; BuildKit fails the build"#);
    // Good settings, including BuildKit's spellings of booleans, are not reported.
    for ok in ["skip=all", "error=1", "error=F", "experimental=all;skip=A,B;error=TRUE", " skip = A "] {
        assert!(at(&lint(&format!("# check={ok}\nFROM scratch\n")), rule).is_empty(), "{ok}");
    }
}

#[test]
fn malformed_check_settings_never_crash() {
    // Every short string of check-like pieces, as the directive and above an instruction.
    let pieces = ["skip", "=", ";", ",", "all", "error", "true", "experimental", " ", "//", "é", "\t", "X"];
    let mut n = 0;
    for a in pieces {
        for b in pieces {
            for c in pieces {
                let value = format!("{a}{b}{c}");
                for src in [format!("# check={value}\nFROM scratch\nCMD x\n"), format!("FROM scratch\n# check={value}\nCMD x\n")] {
                    let report = dockstage_lint::lint_source("Dockerfile", &src, &Config::default());
                    assert!(report.findings.iter().all(|f| f.line >= 1 && f.span.end <= src.len()), "{src:?}");
                    n += 1;
                }
            }
        }
    }
    assert!(n > 4000);
}

#[test]
fn stages_inherit_shell_and_workdir() {
    // BuildKit's testJSONArgsRecommended and testWorkdirRelativePath.
    for kw in ["CMD", "ENTRYPOINT"] {
        assert_eq!(lines_of(&lint(&format!("FROM scratch\n{kw} mycommand\n")), "JSONArgsRecommended"), [2]);
        assert!(lines_of(&lint(&format!("FROM scratch\nSHELL [\"/usr/bin/customshell\"]\n{kw} mycommand\n")), "JSONArgsRecommended").is_empty());
        assert!(lines_of(&lint(&format!("FROM scratch AS base\nSHELL [\"/usr/bin/customshell\"]\n\nFROM base\n{kw} mycommand\n")), "JSONArgsRecommended").is_empty());
        // Through two generations, names compared case-insensitively.
        let src = format!("FROM scratch AS base\nSHELL [\"/usr/bin/customshell\"]\nFROM BASE AS mid\nFROM mid\n{kw} mycommand\n");
        assert!(lines_of(&lint(&src), "JSONArgsRecommended").is_empty());
        // A sibling's SHELL is not inherited.
        let src = format!("FROM scratch AS base\nSHELL [\"/usr/bin/customshell\"]\nFROM scratch\n{kw} mycommand\n");
        assert_eq!(lines_of(&lint(&src), "JSONArgsRecommended"), [4]);
    }
    assert_eq!(lines_of(&lint("FROM scratch\nWORKDIR app/\n"), "WorkdirRelativePath"), [2]);
    assert!(lines_of(&lint("FROM scratch AS a\nWORKDIR /app\n\nFROM a AS b\nWORKDIR subdir/\n"), "WorkdirRelativePath").is_empty());
    assert_eq!(lines_of(&lint("FROM scratch AS a\nWORKDIR /app\n\nFROM scratch AS b\nWORKDIR subdir/\n"), "WorkdirRelativePath"), [5]);
    // Declared ARGs carry over to stages built on the stage too.
    assert!(lines_of(&lint("FROM scratch AS a\nARG X\nFROM a\nCOPY $X .\n"), "UndefinedVar").is_empty());
    assert_eq!(lines_of(&lint("FROM scratch AS a\nARG X\nFROM scratch\nCOPY $X .\n"), "UndefinedVar"), [4]);
}

#[test]
fn lines_are_buildkits() {
    // BuildKit's testNoEmptyContinuation: the line where the continued instruction ends.
    let found = lint("\nFROM scratch\n# warning: empty continuation line\nCOPY Dockerfile \\\n\n.\nCOPY Dockerfile \\\n.\n");
    assert_eq!(lines_of(&found, "NoEmptyContinuation"), [6]);
    // BuildKit's testUndeclaredArg (last case) and testAllTargetUnmarshal.
    let found = lint("\nARG tag=latest\nFROM busybox:${tag}${version} AS b\nCOPY Dockerfile .\n");
    assert_eq!(at(&found, "UndefinedArgInFrom"), [(3, "FROM argument 'version' is not declared".to_string())]);
    let found = lint("\nFROM scratch AS first\nCOPY $foo .\n\nFROM scratch AS second\nCOPY $bar .\n");
    assert_eq!(lines_of(&found, "UndefinedVar"), [3, 6]);
    // Multi-line instructions are reported at their first line (BuildKit's node location start).
    let found = lint("FROM scratch\nENV a \\\n  b\nMAINTAINER \\\n  me\n");
    assert_eq!(lines_of(&found, "LegacyKeyValueFormat"), [2]);
    assert_eq!(lines_of(&found, "MaintainerDeprecated"), [4]);
}

#[test]
fn build_inputs_change_what_the_checks_see() {
    // --target: the checks that run while building leave out stages the target does not need
    // (BuildKit's testAllTargetUnmarshal: the build's warnings); parse-time checks still see all.
    let src = "\nFROM scratch AS first\nCOPY $foo .\nMAINTAINER me\n\nFROM scratch AS second\nCOPY $bar .\n";
    assert_eq!(lines_of(&lint_with(src, &Config::default(), Some("second")), "UndefinedVar"), [7]);
    assert_eq!(lines_of(&lint_with(src, &Config::default(), Some("first")), "UndefinedVar"), [3]);
    assert_eq!(lines_of(&lint_with(src, &Config::default(), Some("second")), "MaintainerDeprecated"), [4]);
    // A stage the target builds on is checked.
    let chain = "FROM scratch AS base\nCOPY $foo .\nFROM base AS app\nCOPY $bar .\nFROM scratch AS other\nCOPY $baz .\n";
    assert_eq!(lines_of(&lint_with(chain, &Config::default(), Some("app")), "UndefinedVar"), [2, 4]);
    // TARGETSTAGE is predefined.
    assert!(lines_of(&lint("FROM alpine:${TARGETSTAGE}\n"), "UndefinedArgInFrom").is_empty());

    // --build-arg: a given ARG's default is not expanded, so its variables are not undefined.
    let src = "FROM scratch\nARG VERSION=$nothere\n";
    assert_eq!(lines_of(&lint(src), "UndefinedVar"), [2]);
    assert!(lines_of(&lint_with(src, &with_build_args(&[("VERSION", "1")]), None), "UndefinedVar").is_empty());
    // FROM lines are checked with defaults: a build argument does not make a bad default good,
    // except for the predefined platform args.
    let src = "ARG TAG\nFROM debian:${TAG}\n";
    assert_eq!(lines_of(&lint_with(src, &with_build_args(&[("TAG", "12")]), None), "InvalidDefaultArgInFrom"), [2]);
    let src = "FROM debian:${TARGETVARIANT}\n";
    assert_eq!(lines_of(&lint(src), "InvalidDefaultArgInFrom"), [1]);
    assert!(lines_of(&lint_with(src, &with_build_args(&[("TARGETVARIANT", "v7")]), None), "InvalidDefaultArgInFrom").is_empty());

    // --platform sets the TARGET* args.
    let arm = Config { platform: Some("linux/arm/v7".into()), ..Config::default() };
    assert!(lines_of(&lint_with(src, &arm, None), "InvalidDefaultArgInFrom").is_empty());
}

#[test]
fn secrets_in_global_args_are_not_checked() {
    // BuildKit checks an ARG when a stage declares it; the ARGs before the first FROM are never
    // dispatched.
    let found = lint("ARG API_TOKEN\nFROM scratch\nARG API_TOKEN\n");
    assert_eq!(lines_of(&found, "SecretsUsedInArgOrEnv"), [3]);
}

#[test]
fn copy_ignored_file_follows_buildkits_matcher() {
    // BuildKit's testCopyIgnoredFiles and testCopyIgnoredFileContextRoot.
    let cfg = Config::default();
    let l = |src: &str, ignore: &str| lines_of(&lint_on_disk("cif", src, Some(ignore), &cfg, None), "CopyIgnoredFile");
    let src = "\nFROM scratch\nCOPY Dockerfile .\nADD Dockerfile /windy\n";
    let found = lint_on_disk("cif1", src, Some("\nDockerfile\n"), &cfg, None);
    assert_eq!(
        at(&found, "CopyIgnoredFile"),
        [(3, r#"Attempting to Copy file "Dockerfile" that is excluded by .dockerignore"#.to_string()), (4, r#"Attempting to Add file "Dockerfile" that is excluded by .dockerignore"#.to_string())]
    );
    assert!(l(&format!("# check=skip=CopyIgnoredFile\n{src}"), "\nDockerfile\n").is_empty());
    // COPY --from reads a stage, not the context.
    assert_eq!(l("\nFROM scratch AS base\nCOPY Dockerfile /foobar\nADD Dockerfile /windy\n\nFROM base\nCOPY --from=base /foobar /Dockerfile\n", "\nfoobar\n"), Vec::<usize>::new());
    // Any `!` exception turns the check off.
    assert!(l("\nFROM scratch\nCOPY ./Dockerfile .\n", "\n**\n!Dockerfile\n").is_empty());
    assert!(l("\nFROM scratch\nCOPY . .\n", "\n**\n!Dockerfile\n").is_empty());
    // The context root counts as ignored only under a catch-all pattern.
    assert!(l("\nFROM scratch\nCOPY . .\n", "\n.*\n").is_empty());
    assert_eq!(l("\nFROM scratch\nCOPY . .\n", "\n*\n"), [3]);
    // A parent directory's pattern covers the files inside it.
    assert_eq!(l("FROM scratch\nCOPY build/out/app /app\n", "build\n"), [2]);
    // Without a file on disk there is nothing to read.
    assert!(lines_of(&lint(src), "CopyIgnoredFile").is_empty());
}

#[test]
fn suggestions_and_whole_file_casing_follow_buildkit() {
    // BuildKit's testUndeclaredArg.
    let found = lint("\nFROM --platform=$BULIDPLATFORM scratch\nCOPY Dockerfile .\n");
    assert_eq!(at(&found, "UndefinedArgInFrom"), [(2, "FROM argument 'BULIDPLATFORM' is not declared (did you mean BUILDPLATFORM?)".to_string())]);
    let found = lint("\nARG MY_OS=linux\nARG MY_ARCH=amd64\nFROM --platform=linux/${MYARCH} busybox\nCOPY Dockerfile .\n");
    assert_eq!(at(&found, "UndefinedArgInFrom"), [(4, "FROM argument 'MYARCH' is not declared (did you mean MY_ARCH?)".to_string())]);
    // The documentation's UndefinedVar example.
    let found = lint("FROM alpine\nENV PATH=$PAHT:/app/bin\n");
    assert_eq!(at(&found, "UndefinedVar"), [(2, "Usage of undefined variable '$PAHT' (did you mean $PATH?)".to_string())]);
    // No suggestion when nothing is close.
    let found = lint("FROM scratch\nCOPY $zzzzzz .\n");
    assert_eq!(at(&found, "UndefinedVar"), [(2, "Usage of undefined variable '$zzzzzz'".to_string())]);
    // Casing: the ARGs before the first FROM are not counted or checked.
    let found = lint("arg a=1\narg b=2\narg c=3\nFROM scratch\nCOPY x .\n");
    assert!(at(&found, "ConsistentInstructionCasing").is_empty(), "{found:?}");
}
