//! "Safe means safe", proven by a build: for the example and fixture Dockerfiles where
//! `lint --fix` (safe fixes only) changes something, the original and the fixed file are both
//! built with buildah (scripts/make-test-images.sh, cached by content) and compared with
//! dockstage's image library: the same runtime config (Cmd, Entrypoint, Env, User, WorkingDir,
//! ExposedPorts) and the same files, except under the paths the applied rules name.
//!
//! Files where the safe fixes change nothing are listed in [`UNCHANGED`] and checked to stay
//! that way. Files skipped for build cost are in [`SKIPPED`], with the reason.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use dockstage_lint::fix::{fix_source, FixOptions};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// (build name, context and Dockerfile relative to the workspace, the make-test-images.sh
/// target that builds the original under that name and that the other tests share).
const BUILT: &[(&str, &str, &str, &[&str])] = &[
    ("wasteful", "crates/image/tests/fixtures/wasteful", "crates/image/tests/fixtures/wasteful/Dockerfile", &["fixtures"]),
    ("example-streamlit-app-single", "examples/streamlit-app", "examples/streamlit-app/Dockerfile.single", &["examples", "streamlit-app"]),
];

/// Safe fixes change nothing in these (checked).
const UNCHANGED: &[&str] = &[
    "examples/churn-api/docker/Dockerfile.api",
    "examples/churn-api/docker/Dockerfile.train",
    "examples/bert-classifier/multistage/Dockerfile",
    "examples/bert-classifier/slim/Dockerfile",
    "examples/ml-service/Dockerfile",
    "examples/streamlit-app/Dockerfile",
];

/// Changed by safe fixes but not built here, and why.
const SKIPPED: &[(&str, &str)] = &[(
    "examples/bert-classifier/naive/Dockerfile",
    "its fix (DL3042 --no-cache-dir) is a kind the two built files already prove; it installs the whole dev requirements set on the full base, the slowest build of the examples",
)];

/// Where each safe fix's rule is allowed to change the image: the caches and lists it removes.
fn named_paths(rule: &str) -> &'static [&'static str] {
    match rule {
        "DL3009" | "DS009" => &["var/lib/apt/lists/"],
        "DL3042" | "DS006" => &["root/.cache/pip/"],
        "DL3019" => &["var/cache/apk/"],
        "DL3032" => &["var/cache/yum/"],
        "DL3036" => &["var/cache/zypp/"],
        "DL3040" => &["var/cache/dnf/", "var/cache/libdnf5/"],
        "DL3060" => &["usr/local/share/.cache/yarn/", "root/.cache/yarn/"],
        _ => &[],
    }
}

fn safe_fix(path: &Path) -> dockstage_lint::fix::FixOutcome {
    let src = std::fs::read_to_string(path).unwrap();
    let config = dockstage_lint::Config::default();
    let opts = dockstage_lint::LintOptions { path: Some(path), target: None };
    fix_source(&path.display().to_string(), &src, &config, opts, &FixOptions::default())
}

/// Runs scripts/make-test-images.sh (cached); the archives' folder.
fn make_test_images(args: &[&std::ffi::OsStr]) -> PathBuf {
    let out = Command::new("bash").arg(workspace().join("scripts/make-test-images.sh")).args(args).output().expect("bash");
    assert!(out.status.success(), "make-test-images.sh {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

type Files = BTreeMap<String, u64>;

fn read(archive: &Path) -> (dockstage_image::config::RuntimeConfig, dockstage_image::Analysis, dockstage_image::analysis::FinalTree) {
    let spec = archive.display().to_string();
    let image = dockstage_image::open(&spec, &Default::default()).unwrap_or_else(|e| panic!("{spec}: {e}"));
    let config = image.config.config.clone().unwrap_or_default();
    let (analysis, tree) = dockstage_image::analysis::analyze_owned(image, &dockstage_image::AnalyzeOptions { top: 10 });
    (config, analysis, tree)
}

fn files(tree: &dockstage_image::analysis::FinalTree) -> Files {
    let mut out = Files::new();
    tree.walk_files(|parts, size| {
        out.insert(parts.join("/"), size);
    });
    out
}

#[test]
fn unchanged_files_stay_unchanged() {
    for f in UNCHANGED {
        let out = safe_fix(&workspace().join(f));
        assert!(out.applied.is_empty() && out.new_files.is_empty(), "{f}: safe fixes now apply ({:?}); build it in BUILT", out.applied);
    }
    for (f, _) in SKIPPED {
        assert!(!safe_fix(&workspace().join(f)).applied.is_empty(), "{f}: no longer changed; move it to UNCHANGED");
    }
}

#[test]
fn safe_fixes_build_the_same_image_less_the_named_caches() {
    let ws = workspace();
    let fixed_dir = std::env::temp_dir().join("dockstage-safe-fix-build");
    let mut report = Vec::new();
    // DOCKSTAGE_SAFE_FIX_BUILDS=wasteful,... limits the builds (all by default).
    let only: Option<Vec<String>> = std::env::var("DOCKSTAGE_SAFE_FIX_BUILDS").ok().map(|v| v.split(',').map(str::to_string).collect());
    for (name, context, dockerfile, target) in BUILT.iter().filter(|b| only.as_ref().is_none_or(|o| o.iter().any(|n| n == b.0))) {
        let (context, dockerfile) = (ws.join(context), ws.join(dockerfile));
        let out = safe_fix(&dockerfile);
        assert!(!out.applied.is_empty(), "{name}: no safe fix applies; list it in UNCHANGED");
        assert!(out.new_files.is_empty(), "{name}: the fixes write {:?}; the build would need a copied context", out.new_files);
        let fixed = fixed_dir.join(name).join("Dockerfile");
        std::fs::create_dir_all(fixed.parent().unwrap()).unwrap();
        std::fs::write(&fixed, &out.fixed).unwrap();

        let target: Vec<&std::ffi::OsStr> = target.iter().map(std::ffi::OsStr::new).collect();
        let original_archive = make_test_images(&target).join(format!("{name}.docker.tar"));
        let fixed_name = format!("{name}-safe-fixed");
        let args = [std::ffi::OsStr::new("build"), fixed_name.as_ref(), context.as_os_str(), fixed.as_os_str()];
        let fixed_archive = make_test_images(&args).join(format!("{fixed_name}.docker.tar"));
        let (ca, a, ta) = read(&original_archive);
        let (cb, b, tb) = read(&fixed_archive);

        assert_eq!(ca.cmd, cb.cmd, "{name}: Cmd");
        assert_eq!(ca.entrypoint, cb.entrypoint, "{name}: Entrypoint");
        assert_eq!(ca.env, cb.env, "{name}: Env");
        assert_eq!(ca.user, cb.user, "{name}: User");
        assert_eq!(ca.working_dir, cb.working_dir, "{name}: WorkingDir");
        assert_eq!(ca.exposed_ports, cb.exposed_ports, "{name}: ExposedPorts");

        let rules: Vec<&str> = out.applied.iter().map(|f| f.rule).collect();
        let allowed: Vec<&str> = rules.iter().flat_map(|r| named_paths(r).iter().copied()).collect();
        let (fa, fb) = (files(&ta), files(&tb));
        let mut outside = Vec::new();
        let mut inside_bytes = 0u64;
        for (path, size) in &fa {
            let other = fb.get(path);
            if other == Some(size) {
                continue;
            }
            if allowed.iter().any(|p| path.starts_with(p)) {
                inside_bytes += size - other.copied().unwrap_or(0).min(*size);
            } else {
                outside.push(format!("{path}: {size} -> {other:?}"));
            }
        }
        for (path, size) in &fb {
            if !fa.contains_key(path) && !allowed.iter().any(|p| path.starts_with(p)) {
                outside.push(format!("{path}: only in the fixed image ({size} bytes)"));
            }
        }
        assert!(outside.is_empty(), "{name}: the safe fixes {rules:?} changed files outside {allowed:?}:\n{}", outside.join("\n"));

        let d = dockstage_image::diff::diff(&a, &ta, &b, &tb, 10);
        assert!(d.saving_bytes > 0, "{name}: the fixed image is not smaller ({} bytes)", d.saving_bytes);
        report.push(format!(
            "{name}: fixes {rules:?}; {} -> {} bytes, {} saved ({:.1}%), {} bytes of them under {allowed:?}",
            a.final_size_bytes, b.final_size_bytes, d.saving_bytes, d.saving_percent, inside_bytes
        ));
    }
    eprintln!("{}", report.join("\n"));
}
