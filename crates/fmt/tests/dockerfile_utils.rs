//! Side by side with `dockerfile-utils format -s 4` (npm `dockerfile-utils`, the formatter of
//! the Docker VS Code extension) over the shared corpus, instruction by instruction. The test
//! documents where the two agree and classifies every difference; a difference of a kind not
//! listed here fails it, so a change of either formatter shows up.
//!
//! Known kinds of difference:
//! - keyword case: dockstage upper-cases keywords, dockerfile-utils keeps them;
//! - keyword spacing: dockstage leaves one blank after the keyword, dockerfile-utils keeps them;
//! - continuation indent: dockstage indents the words of a command inside a broken `&&` chain
//!   by eight spaces and leaves lines inside quotes or glued words alone; dockerfile-utils
//!   indents every continuation line by one level;
//! - JSON spacing: dockstage writes `["a", "b"]`, dockerfile-utils keeps arrays as written;
//! - `&&` chains: dockstage moves `&&` to the start of the next line, dockerfile-utils keeps it;
//! - trailing blanks: dockerfile-utils removes blanks at line ends, dockstage keeps them.
//!
//! dockerfile-utils also re-indents lines that are not blanks between words: the value of a
//! legacy `ENV KEY value` spanning lines (tabs become spaces inside the variable), lines inside
//! quotes. On the corpus that changes what BuildKit reads in 70 of 258 files (the test prints
//! them); dockstage checks every rewrite and leaves such lines as written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use dockstage_test_support::corpus_dockerfiles as corpus_files;

mod common;

/// dockerfile-utils' output for each file, in one node process.
fn dockerfile_utils(files: &[PathBuf]) -> Vec<Option<String>> {
    let root = Command::new("npm").args(["root", "-g"]).output().expect("npm must be on PATH (scripts/install-test-deps.sh)");
    let root = String::from_utf8(root.stdout).unwrap().trim().to_string();
    assert!(Path::new(&root).join("dockerfile-utils").is_dir(), "npm dockerfile-utils@0.16.3 must be installed globally (scripts/install-test-deps.sh)");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/dockerfile-utils-batch.js");
    let out = Command::new("node").env("NODE_PATH", &root).arg(script).args(files).output().expect("node must be on PATH");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("a JSON array")
}

/// The first of a sequence of ever looser comparisons under which the two spellings of one
/// instruction agree; each step keeps the normalisations of the steps before it.
fn classify(ours: &str, theirs: &str, inst: &dockstage_syntax::Instruction) -> &'static str {
    if ours == theirs {
        return "same";
    }
    let kw = inst.keyword.len().min(theirs.len());
    let theirs = format!("{}{}", theirs[..kw].to_ascii_uppercase(), &theirs[kw..]);
    if ours == theirs {
        return "keyword case";
    }
    let rest = &theirs[kw..];
    let gap = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let theirs = if gap > 1 && !rest[gap..].starts_with(['\\', '\n']) { format!("{} {}", &theirs[..kw], &rest[gap..]) } else { theirs };
    if ours == theirs {
        return "keyword spacing";
    }
    if inst.json {
        return "JSON spacing";
    }
    let trailing = |s: &str| s.lines().map(|l| l.trim_end()).collect::<Vec<_>>().join("\n");
    if trailing(ours) == trailing(&theirs) {
        return "trailing blanks";
    }
    let indent = |s: &str| s.lines().map(|l| l.trim()).collect::<Vec<_>>().join("\n");
    if indent(ours) == indent(&theirs) {
        return "continuation indent";
    }
    let squeezed = |s: &str| s.lines().map(|l| l.trim_end().trim_end_matches('\\')).collect::<Vec<_>>().join(" ").split_whitespace().collect::<String>();
    if inst.kind == dockstage_syntax::Keyword::Run && squeezed(ours) == squeezed(&theirs) {
        return "&& chain layout";
    }
    "other"
}

#[test]
fn side_by_side_with_dockerfile_utils() {
    let files: Vec<PathBuf> = corpus_files().into_iter().filter(|p| dockstage_syntax::parse(&String::from_utf8_lossy(&std::fs::read(p).unwrap())).is_ok()).collect();
    assert!(files.len() > 200, "expected the shared corpus, found {} files", files.len());
    let theirs_all = dockerfile_utils(&files);
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut same_files, mut their_meaning_changed, mut they_failed) = (0, Vec::new(), 0);
    let mut others = Vec::new();
    for (path, theirs) in files.iter().zip(theirs_all) {
        let src = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
        let ours = dockstage_fmt::format(&src).unwrap();
        let Some(theirs) = theirs else {
            they_failed += 1;
            continue;
        };
        same_files += usize::from(ours == theirs);
        let (o, t) = (dockstage_syntax::parse(&ours).unwrap(), dockstage_syntax::parse(&theirs));
        let Ok(t) = t else {
            their_meaning_changed.push(format!("{}: no longer parses", path.display()));
            continue;
        };
        let before = dockstage_syntax::parse(&src).unwrap();
        if before.instructions.len() != t.instructions.len() || !before.instructions.iter().zip(&t.instructions).all(|(a, b)| common::same(a, b)) {
            let first = before.instructions.iter().zip(&t.instructions).find(|(a, b)| !common::same(a, b)).map(|(a, _)| a.start_line).unwrap_or(0);
            their_meaning_changed.push(format!("{}:{first}", path.display()));
            continue;
        }
        for (a, b) in o.instructions.iter().zip(&t.instructions) {
            let kind = classify(&ours[a.span.start..a.span.end], &theirs[b.span.start..b.span.end], a);
            *kinds.entry(kind).or_default() += 1;
            if kind == "other" {
                others.push(format!("{}:{}\n--- dockstage\n{}\n--- dockerfile-utils\n{}", path.display(), a.start_line, &ours[a.span.start..a.span.end], &theirs[b.span.start..b.span.end]));
            }
        }
    }
    eprintln!("dockstage fmt vs dockerfile-utils format -s 4 over {} corpus files:", files.len());
    eprintln!("  byte-identical files: {same_files}");
    eprintln!("  files dockerfile-utils could not format: {they_failed}");
    eprintln!("  files whose instructions dockerfile-utils changes: {}", their_meaning_changed.len());
    for f in their_meaning_changed.iter().take(5) {
        eprintln!("    e.g. {f}");
    }
    eprintln!("  instructions by kind of difference:");
    for (k, n) in &kinds {
        eprintln!("    {k:<22} {n}");
    }
    assert!(others.is_empty(), "{} differences of no known kind:\n{}", others.len(), others.join("\n\n"));
    assert!(kinds["same"] > kinds.values().sum::<usize>() / 2, "the two should agree on most instructions: {kinds:?}");
}
