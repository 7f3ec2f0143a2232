//! Every rule that declares a fix: the fix removes the rule's finding from the rule's own Bad
//! example, and the fixes written for specific shapes produce exactly the expected text.

use dockstage_lint::fix::{fix_source, Applicability, FixOptions};
use dockstage_lint::{Config, Severity};

fn bad_example(docs: &str) -> String {
    let after = docs.split("## Bad\n").nth(1).expect("a Bad section");
    let body = after.split("```dockerfile\n").nth(1).expect("fenced example");
    let src = body.split("```").next().unwrap().to_string();
    let first = src.lines().next().unwrap_or("").to_ascii_uppercase();
    if first.starts_with("FROM") || first.starts_with("ARG") || first.starts_with('#') {
        src
    } else {
        format!("FROM debian:12\n{src}")
    }
}

fn config_for(id: &str) -> Config {
    let mut c = Config::default();
    c.overrides.insert(id.to_string(), Severity::Warning);
    c
}

fn fix_only(id: &str, src: &str) -> String {
    let opts = FixOptions { unsafe_fixes: true, only: vec![id.to_string()] };
    fix_source("Dockerfile", src, &config_for(id), Default::default(), &opts).fixed
}

fn findings_of(id: &str, src: &str) -> usize {
    dockstage_lint::lint_source("Dockerfile", src, &config_for(id)).findings.iter().filter(|f| f.rule == id).count()
}

/// Rules whose fix needs a directory beside the Dockerfile (tested in the CLI tests).
const ON_DISK: &[&str] = &["DS012"];

#[test]
fn every_declared_fix_clears_its_bad_example() {
    let mut fixable = Vec::new();
    let mut failures = Vec::new();
    for rule in dockstage_lint::registry() {
        let meta = rule.meta();
        if meta.fix.is_none() {
            continue;
        }
        fixable.push(meta.id);
        if ON_DISK.contains(&meta.id) {
            continue;
        }
        let bad = bad_example(&meta.docs());
        let fixed = fix_only(meta.id, &bad);
        let problem = if findings_of(meta.id, &bad) == 0 {
            "the Bad example does not fire"
        } else if fixed == bad {
            "the fix changes nothing in its Bad example"
        } else if dockstage_syntax::parse(&fixed).is_err() {
            "the fixed example does not parse"
        } else if findings_of(meta.id, &fixed) > 0 {
            "still fires after the fix"
        } else if fix_only(meta.id, &fixed) != fixed {
            "a second fix changes the text"
        } else {
            continue;
        };
        failures.push(format!("{}: {problem}:\n{bad}---\n{fixed}", meta.id));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(fixable.len() >= 30, "only {} rules have fixes: {fixable:?}", fixable.len());
}

#[test]
fn fixes_produce_the_expected_text() {
    let cases: &[(&str, &str, &str)] = &[
        ("DL3003", "FROM a\nRUN cd /src && make\n", "FROM a\nWORKDIR /src\nRUN make\n"),
        ("DL3003", "FROM a\nRUN cd /src && \\\n    make\n", "FROM a\nWORKDIR /src\nRUN \\\n    make\n"),
        ("DL3030", "FROM a\nRUN yum install httpd && yum clean all\n", "FROM a\nRUN yum -y install httpd && yum clean all\n"),
        ("DL3038", "FROM a\nRUN microdnf install x && microdnf clean all\n", "FROM a\nRUN microdnf -y install x && microdnf clean all\n"),
        ("DL3034", "FROM a\nRUN zypper in x && zypper clean\n", "FROM a\nRUN zypper --non-interactive in x && zypper clean\n"),
        ("DL3032", "FROM a\nRUN yum install -y x\n", "FROM a\nRUN yum install -y x && yum clean all\n"),
        ("DL3036", "FROM a\nRUN zypper install -y x\n", "FROM a\nRUN zypper install -y x && zypper clean\n"),
        ("DL3040", "FROM a\nRUN microdnf install -y x\n", "FROM a\nRUN microdnf install -y x && microdnf clean all\n"),
        ("DL3060", "FROM a\nRUN yarn install\n", "FROM a\nRUN yarn install && yarn cache clean\n"),
        ("StageNameCasing", "FROM a AS Build\nFROM b\nCOPY --from=Build /x /x\n", "FROM a AS build\nFROM b\nCOPY --from=Build /x /x\n"),
        ("RedundantTargetPlatform", "FROM --platform=${TARGETPLATFORM}  a\n", "FROM a\n"),
        ("ExposeProtoCasing", "FROM a\nEXPOSE 80/TCP 53/udp\n", "FROM a\nEXPOSE 80/tcp 53/udp\n"),
        ("ExposeProtoCasing", "FROM a\nARG PORT=80\nEXPOSE ${PORT}/TCP\n", "FROM a\nARG PORT=80\nEXPOSE ${PORT}/tcp\n"),
        ("MultipleInstructionsDisallowed", "FROM a\nCMD x\nRUN y\nCMD z\n", "FROM a\nRUN y\nCMD z\n"),
        ("DL4003", "FROM a\nCMD x\nCMD z\nFROM b\nCMD w\n", "FROM a\nCMD z\nFROM b\nCMD w\n"),
        ("DL4004", "FROM a\nENTRYPOINT [\"x\"]\nENTRYPOINT [\"z\"]\n", "FROM a\nENTRYPOINT [\"z\"]\n"),
        ("DL3021", "FROM a\nCOPY a b /dest\n", "FROM a\nCOPY a b /dest/\n"),
        ("WorkdirRelativePath", "FROM a\nWORKDIR app\n", "FROM a\nWORKDIR /app\n"),
    ];
    let failures: Vec<String> = cases
        .iter()
        .filter(|(id, src, want)| fix_only(id, src) != *want)
        .map(|(id, src, want)| format!("{id} on {src:?}:\n got {:?}\nwant {want:?}", fix_only(id, src)))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn no_fix_where_it_would_guess() {
    let cases: &[(&str, &str, &str)] = &[
        ("DL3003", "FROM a\nRUN make && cd /src\n", "cd is not the first command"),
        ("DL3003", "FROM a\nRUN cd $HOME && make\n", "the directory needs expansion"),
        ("DL3032", "FROM a\nRUN yum clean all && yum install -y x\n", "a clean before the install would still come first"),
        ("DL3021", "FROM a\nCOPY [\"a\", \"b\", \"/dest\"]\n", "JSON form"),
        ("WorkdirRelativePath", "FROM a\nWORKDIR \"my app\"\n", "quoted"),
    ];
    for (id, src, why) in cases {
        assert!(findings_of(id, src) > 0, "{id}: {src:?} should fire");
        assert_eq!(&fix_only(id, src), src, "{id}: no fix expected ({why})");
    }
}

#[test]
fn safety_is_declared_as_documented() {
    let unsafe_ids = ["DL3003", "DL3059", "WorkdirRelativePath"];
    for id in unsafe_ids {
        let rule = dockstage_lint::find_rule(id).unwrap();
        assert_eq!(rule.meta().fix, Some(Applicability::Unsafe), "{id}");
    }
    // Safe-only --fix leaves unsafe rewrites alone.
    let src = "FROM a\nRUN cd /src && make\n";
    let opts = FixOptions { unsafe_fixes: false, only: vec![] };
    assert_eq!(fix_source("Dockerfile", src, &Config::default(), Default::default(), &opts).fixed, src);
}
