//! Mangled real Dockerfiles never make the linter panic with every rule on (off-by-default ones
//! too): the parser, `# check=` and ignore pragmas, the stage model, target plans, the shell model
//! and each rule all see broken input. Findings stay inside the file. (The cargo-fuzz target
//! `lint` in fuzz/ explores the same property without a time limit.)


use dockstage_lint::{lint_source, registry, Config, LabelType, Severity};
use dockstage_test_support::{files_under, shared_dir};

const INSERTS: &[&str] = &[
    "\\", "`", "\n", "\r\n", "<<EOF", "<<-", "EOF\n", "\"", "'", "[", "]", "#", "# escape=`\n", "# check=skip=all;error=true\n",
    "# check=error=true\n", "# hadolint ignore=DL3008,DL3015\n", "# hadolint global ignore=DL3006\n", "\u{feff}", "\u{a0}", "é",
    "--", "=", "\t", "${", "}", ":-", "$", "&&", "||", ";", "|", "(", ")", "{", "}", "\nFROM scratch AS x\n", " AS ", "\nFROM x\n",
    "--from=", "--mount=type=cache,target=", "\nARG A=${B:-c}\n", "\nCOPY --from=0 . .\n", "\nRUN --network=none ", "\nONBUILD ",
    "apt-get install ", "pip install ", "\nSHELL [\"cmd\", \"/S\"]\n", "\nWORKDIR ", "\nUSER ", "\nLABEL version=",
];

fn all_rules() -> Config {
    let mut config = Config::default();
    for rule in registry() {
        let meta = rule.meta();
        let sev = if meta.severity == Severity::Ignore { Severity::Info } else { meta.severity };
        config.overrides.insert(meta.id.to_string(), sev);
    }
    config.label_schema.insert("version".into(), LabelType::Semver);
    config.label_schema.insert("maintainer".into(), LabelType::Email);
    config.strict_labels = true;
    config.trusted_registries.push("docker.io".into());
    config
}

/// Lints one text; true when it parsed (so the rules, not only the parser, saw it).
fn check(text: &str, config: &Config) -> bool {
    let report = lint_source("Dockerfile", text, config);
    let lines = text.lines().count() + 2;
    for f in &report.findings {
        assert!(f.line >= 1 && f.column >= 1 && f.line <= lines, "finding outside the file: {f:?}");
        assert!(f.span.end <= text.len(), "span outside the file: {f:?}");
    }
    !report.findings.iter().any(|f| f.rule == dockstage_lint::PARSE_ERROR_RULE)
}

struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn mutated_corpus_files_lint_without_panic() {
    let mut files = Vec::new();
    for repo in ["hadolint+hadolint", "docker+awesome-compose", "wagoodman+dive", "nodejs+docker-node", "CentOS+CentOS-Dockerfiles"] {
        files.extend(files_under(&shared_dir().join("corpus").join(repo), |n| n.starts_with("Dockerfile")));
    }
    files.sort();
    // Small files keep the debug build fast; the big docker-library scripts add time, not shapes.
    let texts: Vec<String> = files
        .iter()
        .map(|p| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned())
        .filter(|t| t.len() < 4096)
        .collect();
    assert!(texts.len() > 50, "expected corpus Dockerfiles, found {}", texts.len());
    let config = all_rules();
    let mut g = Gen(0x9e3779b97f4a7c15);
    let mut parsed = 0;
    for round in 0..1000 {
        let mut text: Vec<char> = texts[(g.next() as usize) % texts.len()].chars().collect();
        for _ in 0..g.below(10) + 1 {
            let at = g.below(text.len() + 1);
            match g.below(3) {
                0 if !text.is_empty() => {
                    let end = (at + g.below(40)).min(text.len());
                    text.drain(at.min(end)..end);
                }
                _ => {
                    let insert = INSERTS[g.below(INSERTS.len())];
                    text.splice(at..at, insert.chars());
                }
            }
        }
        let text: String = text.into_iter().collect();
        match std::panic::catch_unwind(|| check(&text, &config)) {
            Ok(ok) => parsed += usize::from(ok),
            Err(_) => panic!("round {round} panicked on:\n{text}"),
        }
    }
    // Most mutants must still parse, or the rules and the model would go untested.
    assert!(parsed > 500, "only {parsed} of 1000 mutants parsed");
}

#[test]
fn pathological_shapes_lint_without_panic() {
    let config = all_rules();
    for text in [
        String::new(),
        "\u{feff}".to_string(),
        "# check=".to_string(),
        "# check=skip=;error=\nFROM a".to_string(),
        "# hadolint ignore=\nFROM a".to_string(),
        "# hadolint global ignore=,,\n".to_string(),
        "FROM a AS b\nFROM b AS a\nCOPY --from=a . .\n".to_string(),
        "FROM $X\nFROM ${X:-}\nFROM ${X:?e}\n".to_string(),
        "FROM a\nONBUILD ONBUILD RUN x\n".to_string(),
        format!("FROM a\nRUN {}\n", "(".repeat(2_000)),
        format!("FROM a\nRUN {}\n", "$(".repeat(500)),
        format!("FROM a\nRUN {}\n", "a && ".repeat(2_000)),
        "FROM scratch\n".repeat(300),
        "FROM a\nRUN <<EOF\nEOF\nRUN <<-A <<B\n".to_string(),
    ] {
        let _ = check(&text, &config);
    }
}
