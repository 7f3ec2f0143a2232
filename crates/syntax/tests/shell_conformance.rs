//! Runs BuildKit's own shell-lexer fixtures (envVarTest, wordsTest, copied
//! into $DOCKSTAGE_SHARED/conformance/buildkit-shell) against our lexer, with
//! the same environment and rules as BuildKit's lex_test.go.
//!
//! Run with `-- --nocapture` to see the case counts.

use std::path::PathBuf;

use dockstage_syntax::expand::Lexer;

fn fixture_dir() -> PathBuf {
    let candidates: Vec<PathBuf> = std::env::var_os("DOCKSTAGE_SHARED")
        .map(PathBuf::from)
        .into_iter()
        .chain([PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared")])
        .collect();
    for base in &candidates {
        let dir = base.join("conformance/buildkit-shell");
        if dir.is_dir() {
            return dir;
        }
    }
    panic!(
        "BuildKit shell fixtures not found: looked for conformance/buildkit-shell under {candidates:?}. \
         Set DOCKSTAGE_SHARED to the shared test-data directory."
    );
}

fn read_fixture(name: &str) -> String {
    let path = fixture_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[derive(Default, Debug)]
struct Tally {
    passed: usize,
    skipped: usize,
    failures: Vec<String>,
}

impl Tally {
    fn finish(self, fixture: &str) {
        println!(
            "{fixture}: {} passed, {} failed, {} skipped",
            self.passed,
            self.failures.len(),
            self.skipped
        );
        assert!(self.passed > 0, "{fixture}: no cases were run; is the fixture empty?");
        assert!(
            self.failures.is_empty(),
            "{fixture}: {} case(s) failed:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

/// Format: `PLATFORM | input | expected`, `#` comments, blank lines.
/// PLATFORM is A (all), U (Unix) or W (Windows); we are a Unix tool, so W
/// cases (which rely on case-insensitive variable names) are skipped.
/// Expected `error` means the expansion must fail.
#[test]
fn buildkit_env_var_test() {
    let text = read_fixture("envVarTest");
    let env = [("PWD", "/home"), ("SHELL", "bash"), ("KOREAN", "한국어"), ("NULL", "")];
    let lexer = Lexer::new('\\');
    let mut tally = Tally::default();

    for (idx, raw) in text.lines().enumerate() {
        let lineno = idx + 1;
        if raw.starts_with('#') {
            continue;
        }
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('|').collect();
        assert_eq!(fields.len(), 3, "envVarTest:{lineno}: expected 3 '|'-separated fields in {line:?}");
        let (platform, input, expected) = (fields[0].trim(), fields[1].trim(), fields[2].trim());
        match platform {
            "A" | "U" => {}
            "W" => {
                tally.skipped += 1;
                continue;
            }
            other => panic!("envVarTest:{lineno}: unknown platform tag {other:?}"),
        }
        let got = lexer.process_word(input, &env);
        let ok = match (&got, expected) {
            (Err(_), "error") => true,
            (Ok(word), want) => want != "error" && word == want,
            (Err(_), _) => false,
        };
        if ok {
            tally.passed += 1;
        } else {
            tally.failures.push(format!("  line {lineno}: {input:?} -> {got:?}, want {expected:?}"));
        }
    }
    tally.finish("envVarTest");
}

/// Format: `input | word1,word2,...`, `#` comments, and `ENV name=value`
/// lines that add to the environment of all later cases. Expected `error`
/// means the expansion must fail.
///
/// BuildKit's lex_test.go loops over two lexer modes but reuses one
/// exhausted file reader, so only the default mode ever runs there; the
/// expectations are written for that mode and so is this test.
#[test]
fn buildkit_words_test() {
    let text = read_fixture("wordsTest");
    let lexer = Lexer::new('\\');
    let mut env: Vec<(String, String)> = Vec::new();
    let mut tally = Tally::default();

    for (idx, line) in text.lines().enumerate() {
        let lineno = idx + 1;
        if line.starts_with('#') {
            continue;
        }
        if let Some(decl) = line.strip_prefix("ENV ") {
            let decl = decl.trim_start_matches(' ');
            let (k, v) = decl.split_once('=').unwrap_or((decl, ""));
            env.push((k.to_string(), v.to_string()));
            continue;
        }
        let fields: Vec<&str> = line.split('|').collect();
        assert_eq!(fields.len(), 2, "wordsTest:{lineno}: expected exactly one '|' in {line:?}");
        let input = fields[0].trim();
        let expected: Vec<&str> = fields[1].trim_start_matches(' ').split(',').collect();
        let got = match lexer.process_words(input, &env) {
            Ok(words) => words,
            Err(_) => vec!["error".to_string()],
        };
        if got == expected {
            tally.passed += 1;
        } else {
            tally.failures.push(format!("  line {lineno}: {input:?} -> {got:?}, want {expected:?}"));
        }
    }
    tally.finish("wordsTest");
}
