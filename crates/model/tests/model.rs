use std::collections::BTreeMap;

use dockstage_model::practices::{check_practices, Status};
use dockstage_model::{Base, Build, EdgeKind, ModelError, Source};

fn build(src: &str) -> Build {
    Build::from_dockerfile(&dockstage_syntax::parse(src).unwrap()).unwrap()
}

fn error(src: &str) -> ModelError {
    Build::from_dockerfile(&dockstage_syntax::parse(src).unwrap()).unwrap_err()
}

#[test]
fn meta_args_resolve_in_from_and_build_args_override_them() {
    let src = "ARG PY=3.11\nARG VARIANT=${PY}-slim\nFROM python:${VARIANT} AS base\nFROM base\n";
    let b = build(src);
    match &b.stages[0].base {
        Base::Image { image } => assert_eq!(image.raw, "python:3.11-slim"),
        other => panic!("{other:?}"),
    }
    assert_eq!(b.stages[1].base, Base::Stage { index: 0 });
    let args = BTreeMap::from([("PY".to_string(), "3.12".to_string())]);
    let b = Build::with_build_args(&dockstage_syntax::parse(src).unwrap(), &args).unwrap();
    match &b.stages[0].base {
        Base::Image { image } => assert_eq!(image.raw, "python:3.12-slim"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn platform_keeps_unknown_automatic_args() {
    let b = build("ARG OS=linux\nFROM --platform=$BUILDPLATFORM golang AS b\nFROM --platform=${OS}/arm64 scratch\n");
    assert_eq!(b.stages[0].platform.as_deref(), Some("$BUILDPLATFORM"));
    assert_eq!(b.stages[1].platform.as_deref(), Some("linux/arm64"));
    assert_eq!(b.stages[1].base, Base::Scratch);
}

#[test]
fn edges_from_copy_index_image_and_mounts() {
    let b = build(
        "FROM alpine AS Deps\nRUN echo\nFROM alpine AS tools\nFROM deps\n\
         COPY --from=DEPS /a /b\nCOPY --from=1 /c /d\nCOPY --from=nginx:1.27 /etc/nginx /n\n\
         RUN --mount=type=bind,from=tools,source=/bin,target=/t true\nRUN --mount=type=cache,target=/c true\n",
    );
    assert_eq!(b.stages[0].name.as_deref(), Some("deps"));
    let kinds: Vec<(EdgeKind, Source, usize)> = b.edges.iter().map(|e| (e.kind, e.from.clone(), e.line)).collect();
    assert_eq!(kinds.len(), 5);
    assert_eq!(kinds[0], (EdgeKind::From, Source::Stage { index: 0 }, 4));
    assert_eq!(kinds[1], (EdgeKind::Copy, Source::Stage { index: 0 }, 5));
    assert_eq!(kinds[2], (EdgeKind::Copy, Source::Stage { index: 1 }, 6));
    assert!(matches!(&kinds[3].1, Source::Image { image } if image.raw == "nginx:1.27"));
    assert_eq!(kinds[4], (EdgeKind::Mount, Source::Stage { index: 1 }, 8));
    assert_eq!(b.edges[1].label(), "COPY --from=DEPS /a -> /b");
    assert_eq!(b.edges[4].label(), "RUN --mount=from=tools /bin -> /t");
}

#[test]
fn from_matches_earlier_stages_only_and_exactly() {
    // A later stage's name in FROM is an image reference, as in BuildKit.
    let b = build("FROM later AS first\nFROM alpine AS later\n");
    assert!(matches!(&b.stages[0].base, Base::Image { image } if image.raw == "later"));
    let e = error("FROM alpine AS builder\nFROM Builder\n");
    assert_eq!(e.line, 2);
    assert!(e.message.contains("write FROM builder"), "{}", e.message);
}

#[test]
fn target_skips_unneeded_stages_and_levels_run_in_parallel() {
    let b = build(
        "FROM alpine AS a\nFROM alpine AS b\nFROM alpine AS unused\nFROM a AS c\nCOPY --from=b /x /x\n\
         FROM alpine AS final\nCOPY --from=c /y /y\n",
    );
    let plan = b.target(None).unwrap();
    assert_eq!(plan.target, 4);
    assert_eq!(plan.needed, vec![0, 1, 3, 4]);
    assert_eq!(plan.skipped, vec![2]);
    assert_eq!(plan.levels, vec![vec![0, 1], vec![3], vec![4]]);
    assert_eq!(plan.critical_path, vec![0, 3, 4]);
    let plan = b.target(Some("B")).unwrap();
    assert_eq!((plan.needed.clone(), plan.levels.len()), (vec![1], 1));
    let e = b.target(Some("nope")).unwrap_err();
    assert!(e.message.contains("\"nope\" could not be found") && e.message.contains("a, b, unused, c, final"), "{}", e.message);
}

#[test]
fn copy_from_a_later_stage_counts_and_cycles_are_refused() {
    let b = build("FROM alpine AS a\nCOPY --from=b /x /x\nFROM alpine AS b\n");
    let plan = b.target(Some("a")).unwrap();
    assert_eq!(plan.levels, vec![vec![1], vec![0]]);
    let e = error("FROM alpine AS a\nCOPY --from=b /x /x\nFROM alpine AS b\nCOPY --from=a /y /y\n");
    assert!(e.message.starts_with("circular dependency detected on stage"), "{}", e.message);
    assert!(e.line == 2 || e.line == 4);
    let e = error("FROM alpine AS a\nCOPY --from=0 /x /x\n");
    assert!(e.message.contains("circular"), "{}", e.message);
}

#[test]
fn clear_errors_for_bad_input() {
    let e = error("FROM alpine\nCOPY --from=Not_An_Image! /x /y\n");
    assert_eq!((e.line, e.column), (2, 1));
    assert!(e.message.contains("names no stage and is not a valid image reference"), "{}", e.message);
    let e = error("FROM alpine\nCOPY --from=3 /x /y\n");
    assert!(e.message.contains("invalid stage index 3"), "{}", e.message);
    let e = error("# just a readme\nHello world, this is text\n");
    assert!(e.message.contains("does not look like a Dockerfile"), "{}", e.message);
    let e = error("ARG X=1\n");
    assert!(e.message.contains("no FROM"), "{}", e.message);
    let e = error("FROM alpine\nFROMM x\n");
    assert!(e.message.contains("unknown instruction: FROMM"), "{}", e.message);
    let e = error("FROM alpine AS 1st\n");
    assert!(e.message.contains("invalid name for build stage"), "{}", e.message);
    let e = error("FROM alpine\nCOPY --from=$X /a /b\n");
    assert!(e.message.contains("variable expansion is not supported"), "{}", e.message);
}

fn examples() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn practices_of(rel: &str) -> Vec<(&'static str, Status)> {
    let src = std::fs::read_to_string(examples().join(rel)).unwrap();
    let b = build(&src);
    let plan = b.target(None).unwrap();
    check_practices(&b, &plan).into_iter().map(|r| (r.id, r.status)).collect()
}

#[test]
fn ml_service_passes_all_seven() {
    let r = practices_of("ml-service/Dockerfile");
    assert_eq!(r.len(), 7);
    assert!(r.iter().all(|(_, s)| *s == Status::Pass), "{r:?}");
}

#[test]
fn naive_single_stage_fails_what_it_does_wrong() {
    let r = practices_of("bert-classifier/naive/Dockerfile");
    use Status::*;
    assert_eq!(
        r,
        vec![
            ("multi-stage", Fail),
            ("small-base", Fail),
            ("non-root-user", Fail),
            ("manifests-first", Fail),
            ("healthcheck", Fail),
            ("pip-no-cache", Fail),
            ("copy-from", Fail)
        ]
    );
    let r = practices_of("churn-api/docker/Dockerfile.train");
    assert_eq!(r[5], ("pip-no-cache", Pass));
    assert_eq!(r[4], ("healthcheck", Fail));
}

/// Every Dockerfile in the shared corpus either builds a model or gets a located error; none
/// panics. The corpus is real-world, so errors must stay rare.
#[test]
fn corpus_models_without_panics() {
    let shared = std::env::var("DOCKSTAGE_SHARED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let corpus = shared.join("corpus");
    if !corpus.is_dir() {
        eprintln!("no corpus at {}", corpus.display());
        return;
    }
    let mut files = Vec::new();
    let mut stack = vec![corpus];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().unwrap().to_string_lossy().contains("Dockerfile") {
                files.push(p);
            }
        }
    }
    assert!(files.len() > 200, "{}", files.len());
    let mut errors = Vec::new();
    for f in &files {
        let text = String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned();
        let Ok(df) = dockstage_syntax::parse(&text) else { continue };
        match Build::from_dockerfile(&df) {
            Ok(b) => {
                let plan = b.target(None).unwrap();
                assert_eq!(plan.needed.len() + plan.skipped.len(), b.stages.len());
                let _ = check_practices(&b, &plan);
            }
            Err(e) => errors.push(format!("{}:{}: {}", f.display(), e.line, e.message)),
        }
    }
    eprintln!("{}", errors.join("\n"));
    assert!(errors.len() * 50 < files.len(), "{} of {} files refused:\n{}", errors.len(), files.len(), errors.join("\n"));
}
