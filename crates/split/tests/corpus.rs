//! Every single-stage file of the shared corpus that split accepts: the rewrite parses, has no
//! DS001/DS008/DS009/DS011 finding (the multi-stage rules split exists to satisfy), and its last
//! stage has the original's runtime config. The share accepted is printed and held above a floor;
//! every refusal must carry a line inside the file.

use std::collections::BTreeMap;

use dockstage_syntax::{Dockerfile, Keyword};
use dockstage_test_support::{dockerfiles_under, shared_dir};

/// The runtime config the last stage gives the image, as comparable strings.
fn runtime_config(df: &Dockerfile) -> BTreeMap<String, String> {
    let start = df.instructions.iter().rposition(|i| i.kind == Keyword::From).expect("a FROM");
    let mut cfg: BTreeMap<String, String> = BTreeMap::new();
    let mut workdir = "/".to_string();
    let mut exposed: Vec<String> = Vec::new();
    let mut volumes: Vec<String> = Vec::new();
    for ins in &df.instructions[start + 1..] {
        let words = |i: &dockstage_syntax::Instruction| {
            if i.json {
                i.args.join(" ")
            } else {
                i.args.join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
            }
        };
        match ins.kind {
            Keyword::Cmd => drop(cfg.insert("CMD".into(), words(ins))),
            Keyword::Entrypoint => {
                cfg.insert("ENTRYPOINT".into(), words(ins));
                // An ENTRYPOINT resets the CMD inherited so far, as in the image config.
                cfg.remove("CMD");
            }
            Keyword::Healthcheck => drop(cfg.insert("HEALTHCHECK".into(), ins.original.clone())),
            Keyword::User => drop(cfg.insert("USER".into(), ins.args.join(" "))),
            Keyword::Stopsignal => drop(cfg.insert("STOPSIGNAL".into(), ins.args.join(" "))),
            Keyword::Workdir => {
                let w = ins.args.first().cloned().unwrap_or_default();
                workdir = if w.starts_with('/') { w } else { format!("{}/{w}", workdir.trim_end_matches('/')) };
                cfg.insert("WORKDIR".into(), workdir.clone());
            }
            Keyword::Expose => exposed.extend(ins.args.iter().cloned()),
            Keyword::Volume => volumes.extend(ins.args.iter().cloned()),
            Keyword::Env | Keyword::Label => {
                for (k, v) in ins.key_values() {
                    cfg.insert(format!("{} {k}", ins.kind.as_str()), v.to_string());
                }
            }
            _ => {}
        }
    }
    exposed.sort();
    exposed.dedup();
    volumes.sort();
    volumes.dedup();
    cfg.insert("EXPOSE".into(), exposed.join(" "));
    cfg.insert("VOLUME".into(), volumes.join(" "));
    cfg
}

#[test]
fn corpus_single_stage_rewrites_are_clean_and_keep_the_runtime_config() {
    let corpus = shared_dir().join("corpus");
    assert!(corpus.is_dir(), "corpus not found at {} (set DOCKSTAGE_SHARED)", corpus.display());
    let config = dockstage_lint::Config::default();
    let (mut single, mut accepted) = (0usize, Vec::new());
    let mut refusals: BTreeMap<String, usize> = BTreeMap::new();
    for path in dockerfiles_under(&corpus) {
        let Ok(source) = std::fs::read_to_string(&path) else { continue };
        let Ok(original) = dockstage_syntax::parse(&source) else { continue };
        if original.instructions.iter().filter(|i| i.kind == Keyword::From).count() != 1 {
            continue;
        }
        single += 1;
        let name = path.strip_prefix(&corpus).unwrap().display().to_string();
        let out = match dockstage_split::split(&source, &Default::default()) {
            Ok(out) => out,
            Err(r) => {
                let lines = source.lines().count().max(1);
                assert!(r.line >= 1 && r.line <= lines && r.column >= 1, "{name}: refusal outside the file: {r}");
                *refusals.entry(r.message.split(':').next().unwrap_or("").to_string()).or_default() += 1;
                continue;
            }
        };
        let rewrite = dockstage_syntax::parse(&out.dockerfile).unwrap_or_else(|e| panic!("{name}: rewrite does not parse: {e:?}\n{}", out.dockerfile));
        let report = dockstage_lint::lint_source(&name, &out.dockerfile, &config);
        let bad: Vec<_> = report.findings.iter().filter(|f| matches!(f.rule, "DS001" | "DS008" | "DS009" | "DS011")).map(|f| format!("{} line {}: {}", f.rule, f.line, f.message)).collect();
        assert!(bad.is_empty(), "{name}: the rewrite still has {bad:#?}\n{}", out.dockerfile);
        let (before, after) = (runtime_config(&original), runtime_config(&rewrite));
        for (k, v) in &before {
            if k == "ENV PATH" {
                continue; // split prepends its prefix's bin directory
            }
            assert_eq!(after.get(k), Some(v), "{name}: {k} differs\n{}", out.dockerfile);
        }
        accepted.push(name);
    }
    let share = 100.0 * accepted.len() as f64 / single.max(1) as f64;
    eprintln!("split rewrote {} of {single} single-stage corpus files ({share:.1}%):", accepted.len());
    for a in &accepted {
        eprintln!("  {a}");
    }
    eprintln!("refused, by reason:");
    for (reason, n) in &refusals {
        eprintln!("  {n:4}  {reason}");
    }
    assert!(single >= 200, "expected the corpus's ~227 single-stage files, saw {single}");
    assert!(accepted.len() >= 3, "split should rewrite a few corpus files, rewrote {}", accepted.len());
}

/// Truncated and mangled corpus files: split answers with a rewrite that parses or a refusal
/// inside the file, and never panics.
#[test]
fn mangled_inputs_get_an_answer_never_a_panic() {
    let corpus = shared_dir().join("corpus");
    assert!(corpus.is_dir(), "corpus not found at {} (set DOCKSTAGE_SHARED)", corpus.display());
    let mut tried = 0;
    for path in dockerfiles_under(&corpus) {
        let Ok(source) = std::fs::read_to_string(&path) else { continue };
        let lines: Vec<&str> = source.lines().collect();
        let mut variants: Vec<String> = (1..=lines.len().min(40)).map(|n| lines[..n].join("\n")).collect();
        // COPY turned into RUN cp, every line doubled, continuations removed: odd but parseable shapes.
        variants.push(lines.iter().map(|l| l.replacen("COPY", "RUN cp", 1)).collect::<Vec<_>>().join("\n"));
        variants.push(lines.iter().flat_map(|l| [*l, *l]).collect::<Vec<_>>().join("\n"));
        variants.push(source.replace('\\', ""));
        for v in variants {
            tried += 1;
            let answer = std::panic::catch_unwind(|| dockstage_split::split(&v, &Default::default()));
            match answer {
                Err(_) => panic!("{}: split panicked on\n{v}", path.display()),
                Ok(Ok(out)) => {
                    dockstage_syntax::parse(&out.dockerfile).unwrap_or_else(|e| panic!("{}: rewrite does not parse: {e:?}\n{}", path.display(), out.dockerfile));
                }
                Ok(Err(r)) => assert!(r.line >= 1 && r.line <= v.lines().count().max(1) + 1, "{}: {r} outside\n{v}", path.display()),
            }
        }
    }
    eprintln!("{tried} mangled inputs");
    assert!(tried > 2000, "{tried}");
}
