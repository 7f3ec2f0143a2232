//! The crate's two layers stay apart: the readers under `src/source/` yield layers and entries
//! and know nothing of what is made of them; the analysis above consumes them and never names
//! a particular reader. Checked on the source text, so a stray `use` fails here rather than in
//! review.
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The code of a file without comments and without its `#[cfg(test)]` module (tests may
/// reach across layers to build their inputs).
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]") {
        Some(at) => &text[..at],
        None => &text[..],
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(at) => &l[..at],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The crate modules a file refers to: `crate::NAME`, and each NAME of `use crate::{A, B::..}`.
fn crate_modules(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                out.push(name);
            }
        } else {
            out.push(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect());
        }
    }
    out.retain(|n| !n.is_empty());
    out
}

fn relative(p: &Path) -> String {
    p.strip_prefix(src()).unwrap().display().to_string()
}

#[test]
fn readers_use_only_the_shared_types() {
    // What a reader may know: the image's JSON documents, errors, and the layer reader that
    // turns a tar stream into entries.
    let allowed = ["source", "config", "error", "layer"];
    let mut files = Vec::new();
    rust_files(&src().join("source"), &mut files);
    assert!(files.len() >= 5, "the readers are under src/source/");
    let mut wrong = Vec::new();
    for f in &files {
        for m in crate_modules(&code(f)) {
            if !allowed.contains(&m.as_str()) {
                wrong.push(format!("{} uses crate::{m}", relative(f)));
            }
        }
    }
    assert!(wrong.is_empty(), "readers reaching up into the analysis:\n{}", wrong.join("\n"));
}

#[test]
fn nothing_above_the_readers_names_one() {
    let readers = ["tar", "oci_dir", "stream", "engine", "registry"];
    let stores = ["TarStore", "DirStore", "StreamStore", "RegistryStore"];
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut wrong = Vec::new();
    for f in &files {
        let rel = relative(f);
        // The readers themselves, and the crate root that re-exports the registry's options.
        if rel.starts_with("source") || rel == "lib.rs" {
            continue;
        }
        let code = code(f);
        for r in readers {
            if code.contains(&format!("source::{r}")) {
                wrong.push(format!("{rel} names source::{r}"));
            }
        }
        for s in stores {
            if code.contains(s) {
                wrong.push(format!("{rel} names {s}"));
            }
        }
    }
    assert!(wrong.is_empty(), "the analysis names a particular reader:\n{}", wrong.join("\n"));
}

#[test]
fn the_shared_types_sit_below_both_layers() {
    // Trees, entries, configs and errors are what the readers yield: they must not depend on
    // the readers or on anything built from them, or the layers would form a cycle again.
    let below = ["tree.rs", "layer.rs", "config.rs", "error.rs"];
    let above = ["source", "analysis", "diff", "render", "ci", "leakage", "packages", "sbom", "dockerfile_map"];
    let mut wrong = Vec::new();
    for f in below {
        for m in crate_modules(&code(&src().join(f))) {
            if above.contains(&m.as_str()) {
                wrong.push(format!("{f} uses crate::{m}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_checker_sees_uses() {
    // The checks above would pass vacuously if the parsing missed uses.
    let found = crate_modules("use crate::{a, b::C};\nlet x = crate::d::e();\n");
    assert_eq!(found, ["a", "b", "d"]);
    assert!(crate_modules(&code(&src().join("analysis.rs"))).iter().any(|m| m == "tree"));
}
