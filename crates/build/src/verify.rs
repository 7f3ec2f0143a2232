//! The proof that a rewrite builds the same application: both Dockerfiles built with a real
//! engine, the two final images read by dockstage-image, and four checks.
//!
//! 1. Both build.
//! 2. The runtime config is equal: Cmd, Entrypoint, User, WorkingDir, ExposedPorts,
//!    Healthcheck, Labels, Volumes, StopSignal exactly; Env by the rule below.
//! 3. Every application file (see [`crate::app_paths`]) of the original exists in the rewrite
//!    with the same content. Compiled bytecode (`__pycache__/*.pyc`) and pip's
//!    `*.dist-info/RECORD` are compared by presence only: bytecode records its source's
//!    mtime, and RECORD lists which bytecode pip compiled, both of which differ between any
//!    two builds (the files RECORD lists are compared one by one).
//!    A file the rewrite lacks is a failure unless it is a dev dependency (a package the
//!    lock file or package.json marks dev, or a `node_modules/.bin` link into one) or a cache.
//!    The narrow exceptions a compiled program's rewrite needs (its sources stay in the
//!    builder, a Go binary rebuilt static, npm's own metadata) are [`crate::allowances`].
//! 4. What only the original ships is classified (toolchains, headers, caches, dev
//!    dependencies, docs, other) and named by the Debian package that installed it.
//!
//! The Env rule: every variable the original's Dockerfile sets with ENV keeps its value in the
//! rewrite; PATH may gain directories as long as the original's keep their order (the rewrite
//! puts its copied prefix's `bin` first); the rewrite may add variables the original lacks
//! (`PYTHONUSERBASE` and the like point the interpreter at the copied prefix). A variable that
//! only the original's base image sets (golang's `GOPATH`, its PATH with `/go/bin`) belongs to
//! that base: a rewrite onto another base (`scratch`) may lose or change it, and that is
//! reported beside the check, not failed. Added variables are reported too: they cannot
//! change a value the original relies on.
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use dockstage_image::config::RuntimeConfig;
use dockstage_image::diff::ImageDiff;
use dockstage_image::layer::Content;
use dockstage_image::render;
use serde::Serialize;

use crate::allowances::{is_package_manager_metadata, Allowance, Allowances};
use crate::app_paths::{AppPaths, PYTHON_PACKAGES};
use crate::contents::{read_from_engine, read_image, ImageContents};
use crate::engine::{BuildRequest, Built, Engine, EngineKind};
use crate::error::BuildError;

/// One side's build.
#[derive(Clone, Debug, Serialize)]
pub struct SideReport {
    pub dockerfile: PathBuf,
    pub tag: String,
    pub built: Option<Built>,
    /// The build's error, when it failed.
    pub error: Option<String>,
    /// Bytes of the final file system.
    pub size_bytes: Option<u64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ConfigCheck {
    pub field: &'static str,
    pub original: String,
    pub rewrite: String,
    pub equal: bool,
    /// Why an allowed difference is allowed.
    pub note: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct FileCheck {
    /// Application paths of the original, for the report.
    pub roots: Vec<String>,
    pub compared: usize,
    pub same: usize,
    /// Bytecode and RECORD files present on both sides (content not compared).
    pub bytecode: usize,
    /// In the original, not in the rewrite, and neither a dev dependency nor a cache.
    pub missing: Vec<String>,
    /// Same key, different content.
    pub differing: Vec<String>,
    /// Only in the rewrite.
    pub added: Vec<String>,
    /// Different bytes allowed: binaries the rewrite rebuilds with `CGO_ENABLED=0`.
    pub rebuilt_static: Vec<String>,
    /// Package-manager metadata that differs or is gone (noted, not failed).
    pub metadata: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DropClass {
    Toolchain,
    Headers,
    Cache,
    DevDependency,
    Sources,
    Docs,
    Other,
}

impl DropClass {
    pub fn label(self) -> &'static str {
        match self {
            DropClass::Toolchain => "toolchains",
            DropClass::Headers => "headers",
            DropClass::Cache => "caches",
            DropClass::DevDependency => "dev dependencies",
            DropClass::Sources => "sources",
            DropClass::Docs => "docs",
            DropClass::Other => "other",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Dropped {
    pub class: DropClass,
    pub files: u64,
    pub bytes: u64,
    /// Debian packages (or Python/npm packages) the files belong to, biggest first.
    pub packages: Vec<(String, u64)>,
    /// Largest files with no package.
    pub paths: Vec<(String, u64)>,
}

#[derive(Clone, Debug, Serialize)]
pub struct VerifyReport {
    pub engine: EngineKind,
    pub original: SideReport,
    pub rewrite: SideReport,
    pub config: Vec<ConfigCheck>,
    pub files: FileCheck,
    pub dropped: Vec<Dropped>,
    #[serde(skip)]
    pub diff: Option<ImageDiff>,
    /// original - rewrite, final file systems.
    pub saving_bytes: Option<i64>,
    /// What failed, one line each; empty when the rewrite is proven.
    pub failures: Vec<String>,
}

impl VerifyReport {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    /// 0 when proven, 1 otherwise (the CLI's exit code).
    pub fn exit_code(&self) -> i32 {
        i32::from(!self.passed())
    }
}

/// Where verify works: archives and build logs go under `work_dir`.
#[derive(Clone, Debug)]
pub struct VerifyOptions {
    pub work_dir: PathBuf,
    /// Image tags are `localhost/dockstage-verify/NAME-original` and `...-split`.
    pub name: String,
    /// The ignore file the original's build uses besides the context's `.dockerignore`
    /// (`<Dockerfile>.dockerignore` when unset and present).
    pub ignore_file: Option<PathBuf>,
    /// Write both images as docker-archives under `work_dir` and read those; otherwise each
    /// is streamed out of the engine and read in one pass, with no copy on disk.
    pub keep_archives: bool,
    /// An image the engine already holds, built from the original Dockerfile in the same
    /// context: read instead of building the original again (`None`: build it).
    pub original_image: Option<String>,
}

impl VerifyOptions {
    pub fn for_dockerfile(dockerfile: &Path) -> VerifyOptions {
        let name = dockerfile
            .canonicalize()
            .unwrap_or_else(|_| dockerfile.to_path_buf())
            .iter()
            .rev()
            .take(3)
            .map(|c| c.to_string_lossy().to_ascii_lowercase())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join("-")
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' })
            .collect::<String>();
        VerifyOptions {
            work_dir: std::env::temp_dir().join(format!("dockstage-verify-{}", std::process::id())),
            name,
            ignore_file: None,
            keep_archives: false,
            original_image: None,
        }
    }
}

/// The one call behind `dockstage split --verify [--engine E]`: finds the engine (`None`: the
/// first that answers) and verifies `rewritten` against `original`.
pub fn verify_with_engine(
    original: &Path,
    rewritten: &str,
    context: &Path,
    engine: Option<&str>,
) -> Result<VerifyReport, BuildError> {
    let engine = Engine::find(engine)?;
    Ok(verify(original, rewritten, context, &engine, &VerifyOptions::for_dockerfile(original)))
}

/// Builds the original Dockerfile and the rewrite with `engine` in `context` and compares the
/// two final images. Build failures are in the report, not errors.
pub fn verify(
    original: &Path,
    rewritten: &str,
    context: &Path,
    engine: &Engine,
    opts: &VerifyOptions,
) -> VerifyReport {
    let mut failures = Vec::new();
    let work = &opts.work_dir;
    let _ = std::fs::create_dir_all(work);
    let ignore = opts.ignore_file.clone().or_else(|| {
        let mut p = original.as_os_str().to_owned();
        p.push(".dockerignore");
        Some(PathBuf::from(p)).filter(|p| p.is_file())
    });
    // The rewrite sits beside its own copy of the ignore file, where docker looks for it.
    let rewrite_path = work.join(format!("{}.split.Dockerfile", opts.name));
    let write = std::fs::write(&rewrite_path, rewritten);
    if let (Some(ig), Ok(())) = (&ignore, &write) {
        let mut p = rewrite_path.as_os_str().to_owned();
        p.push(".dockerignore");
        let _ = std::fs::copy(ig, PathBuf::from(p));
    }
    let build = |df: &Path, suffix: &str| -> SideReport {
        let tag = format!("localhost/dockstage-verify/{}-{suffix}:latest", opts.name);
        let req = BuildRequest {
            dockerfile: df.to_path_buf(),
            context: context.to_path_buf(),
            tag: tag.clone(),
            archive: opts.keep_archives.then(|| work.join(format!("{}-{suffix}.docker.tar", opts.name))),
            ignore_file: ignore.clone(),
        };
        let log = work.join(format!("{}-{suffix}.build.log", opts.name));
        match engine.build(&req, Some(&log)) {
            Ok(b) => SideReport { dockerfile: req.dockerfile, tag, built: Some(b), error: None, size_bytes: None },
            Err(e) => SideReport { dockerfile: req.dockerfile, tag, built: None, error: Some(e.message), size_bytes: None },
        }
    };
    let mut orig = match &opts.original_image {
        Some(tag) => SideReport {
            dockerfile: original.to_path_buf(),
            tag: tag.clone(),
            built: Some(Built { tag: tag.clone(), archive: None, build_seconds: 0.0 }),
            error: None,
            size_bytes: None,
        },
        None => build(original, "original"),
    };
    let mut rew = match write {
        Ok(()) => build(&rewrite_path, "split"),
        Err(e) => SideReport {
            dockerfile: rewrite_path.clone(),
            tag: String::new(),
            built: None,
            error: Some(format!("{}: {e}", rewrite_path.display())),
            size_bytes: None,
        },
    };
    for (what, side) in [("original", &orig), ("rewrite", &rew)] {
        if let Some(e) = &side.error {
            failures.push(format!("the {what} does not build: {}", first_line(e)));
        }
    }
    let mut report = VerifyReport {
        engine: engine.kind,
        original: orig.clone(),
        rewrite: rew.clone(),
        config: Vec::new(),
        files: FileCheck::default(),
        dropped: Vec::new(),
        diff: None,
        saving_bytes: None,
        failures: Vec::new(),
    };
    let (Some(bo), Some(br)) = (&orig.built, &rew.built) else {
        report.failures = failures;
        return report;
    };
    let original_text = std::fs::read_to_string(original).unwrap_or_default();
    let app = AppPaths::from_dockerfile(&original_text);
    let read = |b: &Built| match &b.archive {
        Some(archive) => read_image(archive, &app),
        None => read_from_engine(engine, &b.tag, &app),
    };
    let (a, b) = match (read(bo), read(br)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            failures.push(format!("cannot read the built image: {e}"));
            report.failures = failures;
            return report;
        }
    };
    orig.size_bytes = Some(a.analysis.final_size_bytes);
    rew.size_bytes = Some(b.analysis.final_size_bytes);
    report.original = orig;
    report.rewrite = rew;
    report.saving_bytes = Some(a.analysis.final_size_bytes as i64 - b.analysis.final_size_bytes as i64);
    let own_env = env_set_by(&original_text);
    report.config = compare_config_with(
        a.config.config.as_ref().cloned().unwrap_or_default(),
        b.config.config.as_ref().cloned().unwrap_or_default(),
        Some(&own_env),
    );
    for c in report.config.iter().filter(|c| !c.equal) {
        failures.push(format!("runtime config differs: {}: {} vs {}", c.field, c.original, c.rewrite));
    }
    let dev = DevDependencies::from_context(context);
    let allow = Allowances::new(&original_text, rewritten);
    report.files = compare_files(&a.app_files, &b.app_files, &app, &dev, &allow);
    for m in report.files.missing.iter().take(20) {
        failures.push(format!("missing in the rewrite: {m}"));
    }
    if report.files.missing.len() > 20 {
        failures.push(format!("... and {} more missing", report.files.missing.len() - 20));
    }
    for d in report.files.differing.iter().take(20) {
        failures.push(format!("content differs: {d}"));
    }
    if report.files.differing.len() > 20 {
        failures.push(format!("... and {} more differing", report.files.differing.len() - 20));
    }
    report.dropped = classify_dropped(&a, &b, &dev, &allow);
    report.diff = Some(dockstage_image::diff::diff(&a.analysis, &a.tree, &b.analysis, &b.tree, 10));
    report.failures = failures;
    report
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

fn show<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn env_map(env: &Option<Vec<String>>) -> BTreeMap<String, String> {
    env.iter()
        .flatten()
        .map(|e| match e.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (e.clone(), String::new()),
        })
        .collect()
}

/// The original's PATH entries appear in the rewrite's, in the same order.
fn path_extends(original: &str, rewrite: &str) -> bool {
    let mut it = rewrite.split(':');
    original.split(':').all(|dir| it.any(|r| r == dir))
}

fn keys<V>(m: &Option<BTreeMap<String, V>>) -> Vec<String> {
    m.iter().flatten().map(|(k, _)| k.clone()).collect()
}

/// The variables a Dockerfile sets with ENV (in any stage: a stage built FROM another inherits
/// them); the rest of an image's environment comes from its base.
pub fn env_set_by(dockerfile: &str) -> HashSet<String> {
    let Ok(df) = dockstage_syntax::parse(dockerfile) else { return HashSet::new() };
    df.instructions
        .iter()
        .map(|i| i.effective())
        .filter(|i| i.kind == dockstage_syntax::Keyword::Env)
        .flat_map(|i| i.key_values().into_iter().map(|(k, _)| k.to_string()).collect::<Vec<_>>())
        .collect()
}

/// [`compare_config_with`] where every variable of the original counts as the Dockerfile's own.
pub fn compare_config(a: RuntimeConfig, b: RuntimeConfig) -> Vec<ConfigCheck> {
    compare_config_with(a, b, None)
}

/// Compares the runtime configs; `own_env` names the variables the original's Dockerfile sets
/// (the others come from its base image; see the module's Env rule).
pub fn compare_config_with(a: RuntimeConfig, b: RuntimeConfig, own_env: Option<&HashSet<String>>) -> Vec<ConfigCheck> {
    let mut out = Vec::new();
    let mut exact = |field: &'static str, x: String, y: String| {
        out.push(ConfigCheck { field, equal: x == y, original: x, rewrite: y, note: None });
    };
    exact("Cmd", show(&a.cmd), show(&b.cmd));
    exact("Entrypoint", show(&a.entrypoint), show(&b.entrypoint));
    exact("User", show(&a.user.clone().unwrap_or_default()), show(&b.user.clone().unwrap_or_default()));
    exact(
        "WorkingDir",
        show(&a.working_dir.clone().unwrap_or_default()),
        show(&b.working_dir.clone().unwrap_or_default()),
    );
    exact("ExposedPorts", show(&keys(&a.exposed_ports)), show(&keys(&b.exposed_ports)));
    exact("Healthcheck", show(&a.healthcheck), show(&b.healthcheck));
    exact("Labels", show(&a.labels.clone().unwrap_or_default()), show(&b.labels.clone().unwrap_or_default()));
    exact("Volumes", show(&keys(&a.volumes)), show(&keys(&b.volumes)));
    exact("StopSignal", show(&a.stop_signal), show(&b.stop_signal));
    let (ea, eb) = (env_map(&a.env), env_map(&b.env));
    let mut bad = Vec::new();
    let mut notes = Vec::new();
    let from_base = |k: &str| own_env.is_some_and(|own| !own.contains(k));
    for (k, va) in &ea {
        match eb.get(k) {
            Some(vb) if vb == va => {}
            Some(vb) if k == "PATH" && path_extends(va, vb) => notes.push(format!("PATH gains directories: {vb}")),
            None if from_base(k) => notes.push(format!("{k} (set by the original's base image) unset")),
            Some(vb) if from_base(k) => notes.push(format!("{k}={vb} (the original's base image set {va})")),
            None => bad.push(format!("{k} unset")),
            Some(vb) => bad.push(format!("{k}={vb} (was {va})")),
        }
    }
    let added: Vec<String> = eb.iter().filter(|(k, _)| !ea.contains_key(*k)).map(|(k, v)| format!("{k}={v}")).collect();
    if !added.is_empty() {
        notes.push(format!("added: {}", added.join(" ")));
    }
    out.push(ConfigCheck {
        field: "Env",
        original: show(&a.env.clone().unwrap_or_default()),
        rewrite: if bad.is_empty() { show(&b.env.clone().unwrap_or_default()) } else { bad.join(", ") },
        equal: bad.is_empty(),
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    });
    out
}

/// Development-only packages, from what the context declares (package-lock.json's `dev`
/// marks, package.json's `devDependencies`) and the Python tools no application imports at
/// run time.
#[derive(Clone, Debug, Default)]
pub struct DevDependencies {
    /// `node_modules/...` paths the lock file marks `"dev": true` or package.json lists
    /// under `devDependencies`.
    npm: HashSet<String>,
}

/// Test runners, formatters, linters and type checkers, by import or distribution name.
const PYTHON_DEV_TOOLS: &[&str] = &[
    "pytest", "_pytest", "py", "pluggy", "iniconfig", "black", "blib2to3", "blackd", "mypy", "mypyc",
    "mypy_extensions", "ruff", "flake8", "pycodestyle", "pyflakes", "mccabe", "isort", "pylint", "astroid",
    "coverage", "pytest_cov", "tox", "pre_commit", "nox", "hypothesis",
];

impl DevDependencies {
    pub fn from_context(context: &Path) -> DevDependencies {
        let mut npm = HashSet::new();
        let json = |name: &str| {
            std::fs::read_to_string(context.join(name))
                .ok()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        };
        if let Some(pkgs) = json("package-lock.json").as_ref().and_then(|v| v.get("packages")?.as_object()) {
            for (k, p) in pkgs {
                if p.get("dev").and_then(|d| d.as_bool()) == Some(true) {
                    npm.insert(k.clone());
                }
            }
        }
        // Without a lock (yarn, pnpm) the manifest still names the direct ones.
        if let Some(dev) = json("package.json").as_ref().and_then(|v| v.get("devDependencies")?.as_object()) {
            npm.extend(dev.keys().map(|name| format!("node_modules/{name}")));
        }
        DevDependencies { npm }
    }

    /// The dev package of an application file: [`Self::package_of`] its key, or, for a
    /// `node_modules/.bin` link, of the file the link points to (`.bin/tsc` ->
    /// `../typescript/bin/tsc` is typescript's, so it goes with typescript).
    pub fn package_of_file(&self, key: &str, content: &Content) -> Option<String> {
        if let Some(p) = self.package_of(key) {
            return Some(p);
        }
        let Content::Symlink(target) = content else { return None };
        let (dir, _) = key.rsplit_once('/')?;
        if !dir.ends_with("node_modules/.bin") {
            return None;
        }
        let mut parts: Vec<&str> = if target.starts_with('/') { Vec::new() } else { dir.split('/').collect() };
        for c in target.split('/') {
            match c {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                c => parts.push(c),
            }
        }
        self.package_of(&parts.join("/"))
    }

    /// The dev package a file belongs to, if it is one.
    pub fn package_of(&self, key: &str) -> Option<String> {
        if let Some(rest) = key.strip_prefix(PYTHON_PACKAGES) {
            let top = rest.split('/').next().unwrap_or("");
            let name = top.split('-').next().unwrap_or(top).trim_end_matches(".py");
            let norm = name.to_ascii_lowercase().replace('-', "_");
            return PYTHON_DEV_TOOLS.contains(&norm.as_str()).then_some(norm);
        }
        let i = key.find("node_modules/")?;
        let rel = &key[i..];
        // The longest node_modules/... prefix the lock names.
        let parts: Vec<&str> = rel.split('/').collect();
        (2..=parts.len()).rev().map(|n| parts[..n].join("/")).find(|p| self.npm.contains(p))
    }
}

fn is_cache(path: &str) -> bool {
    let p = path.trim_start_matches('/');
    p.contains("__pycache__/")
        || p.starts_with("root/.cache/")
        || p.starts_with("root/.npm/")
        || p.starts_with("var/cache/")
        || p.starts_with("var/lib/apt/lists/")
        || p.starts_with("tmp/")
        || p.starts_with("root/go/pkg/")
        || p.starts_with("root/.cargo/registry/")
        || p.contains("/.cache/")
}

/// Compared by presence only: compiled bytecode records its source's mtime, and a
/// distribution's RECORD lists the bytecode pip happened to compile (the other files it
/// lists are compared one by one anyway).
fn is_bytecode(key: &str) -> bool {
    (key.contains("__pycache__/") && key.ends_with(".pyc"))
        || (key.starts_with(PYTHON_PACKAGES) && key.ends_with(".dist-info/RECORD"))
}

/// Application files by comparison key: (absolute path, content).
type AppFiles = HashMap<String, (String, Content)>;

fn compare_files(a: &AppFiles, b: &AppFiles, app: &AppPaths, dev: &DevDependencies, allow: &Allowances) -> FileCheck {
    let mut fc = FileCheck { roots: app.roots(), ..Default::default() };
    let mut keys: Vec<&String> = a.keys().collect();
    keys.sort();
    for k in keys {
        let (path, ca) = &a[k];
        match b.get(k) {
            None => {
                if is_package_manager_metadata(path) {
                    fc.metadata.push(format!("{path} is not in the rewrite"));
                } else if dev.package_of_file(k, ca).is_none() && !is_cache(path) && allow.may_be_absent(path).is_none() {
                    fc.missing.push(path.clone());
                }
            }
            Some((pb, cb)) => {
                fc.compared += 1;
                if is_bytecode(k) {
                    fc.bytecode += 1;
                } else if same_content(ca, cb) {
                    fc.same += 1;
                } else if is_package_manager_metadata(path) {
                    fc.metadata.push(format!("{path} differs"));
                } else if allow.rebuilt_static(path) {
                    fc.rebuilt_static.push(path.clone());
                } else {
                    fc.differing.push(if path == pb { path.clone() } else { format!("{path} vs {pb}") });
                }
            }
        }
    }
    let mut added: Vec<String> =
        b.iter().filter(|(k, _)| !a.contains_key(*k)).map(|(_, (p, _))| p.clone()).collect();
    added.sort();
    fc.added = added;
    fc
}

fn same_content(a: &Content, b: &Content) -> bool {
    match (a, b) {
        // A symlink into the package tree may name it by either prefix.
        (Content::Symlink(x), Content::Symlink(y)) => x == y || x.rsplit('/').next() == y.rsplit('/').next(),
        _ => a == b,
    }
}

fn class_of_package(name: &str) -> DropClass {
    if name.ends_with("-dev") || name == "linux-libc-dev" {
        DropClass::Headers
    } else if dockstage_split::is_build_only(name)
        || ["gcc", "cpp", "binutils", "g++", "libgcc-", "libstdc++-", "golang", "dpkg-dev", "make", "patch", "libc-dev-bin", "libtool"]
            .iter()
            .any(|p| name.starts_with(p))
    {
        DropClass::Toolchain
    } else {
        DropClass::Other
    }
}

fn class_of_path(path: &str) -> DropClass {
    let p = path.trim_start_matches('/');
    if is_cache(path) {
        DropClass::Cache
    } else if p.starts_with("usr/include/") || p.starts_with("usr/local/include/") || p.ends_with(".h") || p.ends_with(".hpp") {
        DropClass::Headers
    } else if p.starts_with("usr/lib/gcc/")
        || p.starts_with("usr/libexec/gcc/")
        || p.starts_with("usr/local/go/")
        || p.starts_with("usr/lib/go")
        || p.starts_with("usr/share/go")
        || p.ends_with(".a")
    {
        DropClass::Toolchain
    } else if p.starts_with("usr/share/doc/") || p.starts_with("usr/share/man/") || p.starts_with("usr/share/info/") {
        DropClass::Docs
    } else {
        DropClass::Other
    }
}

/// Files, bytes, bytes per package, and the paths no package owns.
type Group = (u64, u64, HashMap<String, u64>, Vec<(String, u64)>);

fn classify_dropped(a: &ImageContents, b: &ImageContents, dev: &DevDependencies, allow: &Allowances) -> Vec<Dropped> {
    let mut in_b = HashSet::new();
    b.tree.walk_files(|parts, _| {
        in_b.insert(parts.join("/"));
    });
    // Files of the original's application keys that the rewrite has elsewhere are not dropped.
    let moved: HashSet<&str> = a
        .app_files
        .iter()
        .filter(|(k, _)| b.app_files.contains_key(*k))
        .map(|(_, (p, _))| p.as_str())
        .collect();
    let key_of: HashMap<&str, (&str, &Content)> =
        a.app_files.iter().map(|(k, (p, c))| (p.as_str(), (k.as_str(), c))).collect();
    let mut groups: HashMap<DropClass, Group> = HashMap::new();
    a.tree.walk_files(|parts, size| {
        let rel = parts.join("/");
        if in_b.contains(&rel) {
            return;
        }
        let path = format!("/{rel}");
        if moved.contains(path.as_str()) {
            return;
        }
        let app_file = key_of.get(path.as_str());
        let dev_pkg = app_file.and_then(|(k, c)| dev.package_of_file(k, c));
        let (class, package) = if let Some(p) = dev_pkg {
            (DropClass::DevDependency, Some(p))
        } else if let Some(why) = app_file.and_then(|_| allow.may_be_absent(&path)) {
            (if why == Allowance::Doc { DropClass::Docs } else { DropClass::Sources }, None)
        } else if is_cache(&path) {
            (DropClass::Cache, None)
        } else if let Some(pkg) = a.owners.get(&path) {
            let c = class_of_package(pkg);
            let c = if c == DropClass::Other { class_of_path(&path) } else { c };
            (c, Some(pkg.clone()))
        } else {
            (class_of_path(&path), None)
        };
        let g = groups.entry(class).or_default();
        g.0 += 1;
        g.1 += size;
        match package {
            Some(p) => *g.2.entry(p).or_default() += size,
            None => g.3.push((path, size)),
        }
    });
    let mut out: Vec<Dropped> = groups
        .into_iter()
        .map(|(class, (files, bytes, pkgs, mut paths))| {
            let mut packages: Vec<(String, u64)> = pkgs.into_iter().collect();
            packages.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
            paths.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
            paths.truncate(5);
            Dropped { class, files, bytes, packages, paths }
        })
        .collect();
    out.sort_by_key(|d| d.class);
    out
}

/// The report as text: verdict first, then the checks, what was dropped, and the image diff.
pub fn render_text(r: &VerifyReport) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let verdict = if r.passed() { "PASS" } else { "FAIL" };
    let _ = writeln!(s, "verify ({}): {verdict}", r.engine);
    for (what, side) in [("original", &r.original), ("rewrite ", &r.rewrite)] {
        let _ = match (&side.built, side.size_bytes) {
            (Some(b), Some(size)) => writeln!(
                s,
                "  {what}  {}  built in {:.1}s, {}",
                side.dockerfile.display(),
                b.build_seconds,
                render::bytes(size)
            ),
            (Some(b), None) => writeln!(s, "  {what}  {}  built in {:.1}s", side.dockerfile.display(), b.build_seconds),
            (None, _) => writeln!(
                s,
                "  {what}  {}  BUILD FAILED: {}",
                side.dockerfile.display(),
                side.error.as_deref().map(first_line).unwrap_or("")
            ),
        };
    }
    if let (Some(saving), Some(a)) = (r.saving_bytes, r.original.size_bytes) {
        let pct = if a == 0 { 0.0 } else { saving as f64 * 100.0 / a as f64 };
        let sign = if saving < 0 { "-" } else { "" };
        let _ = writeln!(s, "  saving    {sign}{} ({pct:.1}%)", render::bytes(saving.unsigned_abs()));
    }
    if !r.config.is_empty() {
        let _ = writeln!(s, "\nruntime config:");
        for c in &r.config {
            let mark = if c.equal { "ok  " } else { "DIFF" };
            let _ = if c.equal {
                writeln!(s, "  {mark} {:<12} {}", c.field, c.original)
            } else {
                writeln!(s, "  {mark} {:<12} {}  ->  {}", c.field, c.original, c.rewrite)
            };
            if let Some(n) = &c.note {
                let _ = writeln!(s, "       {:<12} ({n})", "");
            }
        }
        let f = &r.files;
        let _ = writeln!(s, "\napplication files ({}, installed Python packages, the command):", f.roots.join(", "));
        let _ = writeln!(
            s,
            "  {} compared: {} same, {} bytecode and RECORD (presence only), {} differ, {} missing, {} only in the rewrite",
            f.compared,
            f.same,
            f.bytecode,
            f.differing.len(),
            f.missing.len(),
            f.added.len()
        );
        for m in f.missing.iter().take(10) {
            let _ = writeln!(s, "  missing  {m}");
        }
        for d in f.differing.iter().take(10) {
            let _ = writeln!(s, "  differs  {d}");
        }
        for a in f.added.iter().take(5) {
            let _ = writeln!(s, "  added    {a}");
        }
        for p in &f.rebuilt_static {
            let _ = writeln!(
                s,
                "  rebuilt  {p} (the rewrite links it static with CGO_ENABLED=0: compared by presence, not bytes)"
            );
        }
        for p in &f.metadata {
            let _ = writeln!(s, "  note     {p} (the package manager's record of the tree it last wrote)");
        }
    }
    if !r.dropped.is_empty() {
        let _ = writeln!(s, "\ndropped by the rewrite:");
        for d in &r.dropped {
            let _ = writeln!(s, "  {:<17} {:>10}  {} files", d.class.label(), render::bytes(d.bytes), d.files);
            if !d.packages.is_empty() {
                let names: Vec<String> = d.packages.iter().take(12).map(|(n, b)| format!("{n} ({})", render::bytes(*b))).collect();
                let more = d.packages.len().saturating_sub(12);
                let _ = writeln!(
                    s,
                    "      {}{}",
                    names.join(", "),
                    if more > 0 { format!(", and {more} more") } else { String::new() }
                );
            }
            for (p, b) in d.paths.iter().take(3) {
                let _ = writeln!(s, "      {p} ({})", render::bytes(*b));
            }
        }
    }
    if let Some(d) = &r.diff {
        let _ = writeln!(s, "\n{}", render::diff_text(d).trim_end());
    }
    if !r.failures.is_empty() {
        let _ = writeln!(s, "\nfailures:");
        for f in &r.failures {
            let _ = writeln!(s, "  - {f}");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(json: &str) -> RuntimeConfig {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn path_may_gain_directories_in_order_and_new_variables_are_notes() {
        let a = cfg(r#"{"Env":["PATH=/usr/bin:/bin","LANG=C.UTF-8"],"Cmd":["python","app.py"]}"#);
        let b = cfg(r#"{"Env":["PATH=/opt/deps/bin:/usr/bin:/bin","LANG=C.UTF-8","PYTHONUSERBASE=/opt/deps"],"Cmd":["python","app.py"]}"#);
        let checks = compare_config(a, b);
        assert!(checks.iter().all(|c| c.equal), "{checks:?}");
        let env = checks.iter().find(|c| c.field == "Env").unwrap();
        assert!(env.note.as_deref().unwrap().contains("PYTHONUSERBASE=/opt/deps"));
    }

    #[test]
    fn a_changed_or_lost_variable_or_reordered_path_fails() {
        let a = cfg(r#"{"Env":["PATH=/usr/bin:/bin","LANG=C.UTF-8"]}"#);
        for b in [
            r#"{"Env":["PATH=/bin:/usr/bin","LANG=C.UTF-8"]}"#,
            r#"{"Env":["PATH=/usr/bin:/bin"]}"#,
            r#"{"Env":["PATH=/usr/bin:/bin","LANG=C"]}"#,
        ] {
            let checks = compare_config(a.clone(), cfg(b));
            assert!(!checks.iter().find(|c| c.field == "Env").unwrap().equal, "{b}");
        }
    }

    #[test]
    fn every_runtime_field_is_compared() {
        let a = cfg(r#"{"User":"app","ExposedPorts":{"80/tcp":{}},"Labels":{"a":"1"},"Volumes":{"/data":{}},"StopSignal":"SIGINT","Healthcheck":{"Test":["CMD","true"]}}"#);
        let b = cfg("{}");
        let differing: Vec<&str> = compare_config(a, b).iter().filter(|c| !c.equal).map(|c| c.field).collect();
        assert_eq!(differing, ["User", "ExposedPorts", "Healthcheck", "Labels", "Volumes", "StopSignal"]);
    }

    #[test]
    fn dev_dependencies_are_named_from_the_lock_file_and_the_tool_list() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("package-lock.json"),
            r#"{"packages":{"":{},"node_modules/typescript":{"dev":true},"node_modules/ms":{}}}"#,
        )
        .unwrap();
        let dev = DevDependencies::from_context(dir.path());
        assert_eq!(dev.package_of("/app/node_modules/typescript/lib/tsc.js").as_deref(), Some("node_modules/typescript"));
        assert_eq!(dev.package_of("/app/node_modules/ms/index.js"), None);
        assert_eq!(dev.package_of("<python packages>/_pytest/main.py").as_deref(), Some("_pytest"));
        assert_eq!(dev.package_of("<python packages>/black-26.10.1.dist-info/RECORD").as_deref(), Some("black"));
        assert_eq!(dev.package_of("<python packages>/flask/app.py"), None);
    }

    #[test]
    fn a_base_variable_may_change_value_with_the_base_but_the_dockerfiles_may_not() {
        // node:18 and node:18-slim are built apart: what they set themselves may differ.
        let a = cfg(r#"{"Env":["NODE_VERSION=18.20.4","YARN_VERSION=1.22.19","NODE_ENV=production"]}"#);
        let own = env_set_by("FROM node:18\nENV NODE_ENV=production\nCMD [\"node\", \"server.js\"]\n");
        let b = cfg(r#"{"Env":["NODE_VERSION=18.20.4","YARN_VERSION=1.22.22","NODE_ENV=production"]}"#);
        let env = compare_config_with(a.clone(), b, Some(&own)).into_iter().find(|c| c.field == "Env").unwrap();
        assert!(env.equal, "{env:?}");
        assert_eq!(env.note.as_deref(), Some("YARN_VERSION=1.22.22 (the original's base image set 1.22.19)"));
        let b = cfg(r#"{"Env":["NODE_VERSION=18.20.4","YARN_VERSION=1.22.19","NODE_ENV=development"]}"#);
        let env = compare_config_with(a.clone(), b.clone(), Some(&own)).into_iter().find(|c| c.field == "Env").unwrap();
        assert!(!env.equal && env.rewrite == "NODE_ENV=development (was production)", "{env:?}");
        // Without the Dockerfile's own list every variable counts as its own.
        let b = cfg(r#"{"Env":["NODE_VERSION=18.20.4","YARN_VERSION=1.22.22","NODE_ENV=production"]}"#);
        assert!(!compare_config(a, b).into_iter().find(|c| c.field == "Env").unwrap().equal);
    }

    fn files(entries: &[(&str, Content)]) -> AppFiles {
        entries.iter().map(|(p, c)| (p.to_string(), (p.to_string(), c.clone()))).collect()
    }

    fn sha(byte: u8) -> Content {
        Content::Sha256([byte; 32])
    }

    fn node_context() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("package.json"),
            r#"{"dependencies":{"ms":"2.1.3"},"devDependencies":{"typescript":"5.4.5"}}"#,
        )
        .unwrap();
        dir
    }

    const NODE: &str = "FROM node:18\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"node\", \"dist/server.js\"]\n";

    #[test]
    fn a_pruned_dev_tools_link_and_npms_own_lock_are_not_failures() {
        let dir = node_context();
        let dev = DevDependencies::from_context(dir.path());
        let link = |t: &str| Content::Symlink(t.into());
        let a = files(&[
            ("/app/dist/server.js", sha(1)),
            ("/app/node_modules/ms/index.js", sha(2)),
            ("/app/node_modules/typescript/lib/tsc.js", sha(3)),
            ("/app/node_modules/.bin/tsc", link("../typescript/bin/tsc")),
            ("/app/node_modules/.package-lock.json", sha(4)),
        ]);
        let b = files(&[
            ("/app/dist/server.js", sha(1)),
            ("/app/node_modules/ms/index.js", sha(2)),
            ("/app/node_modules/.package-lock.json", sha(5)),
        ]);
        let app = AppPaths::from_dockerfile(NODE);
        let fc = compare_files(&a, &b, &app, &dev, &Allowances::new(NODE, NODE));
        assert!(fc.missing.is_empty() && fc.differing.is_empty(), "{fc:?}");
        assert_eq!(fc.metadata, ["/app/node_modules/.package-lock.json differs"]);
        assert_eq!(fc.same, 2);
    }

    #[test]
    fn a_link_to_a_runtime_package_or_a_changed_app_file_still_fails() {
        let dir = node_context();
        let dev = DevDependencies::from_context(dir.path());
        let a = files(&[
            ("/app/dist/server.js", sha(1)),
            ("/app/node_modules/ms/index.js", sha(2)),
            ("/app/node_modules/.bin/ms", Content::Symlink("../ms/cli.js".into())),
            ("/app/src/server.ts", sha(6)),
        ]);
        let b = files(&[("/app/dist/server.js", sha(9)), ("/app/node_modules/ms/index.js", sha(2))]);
        let app = AppPaths::from_dockerfile(NODE);
        // Even with a build step, a compiled file and a runtime package's link must match.
        let fc = compare_files(&a, &b, &app, &dev, &Allowances::new(NODE, NODE));
        assert_eq!(fc.differing, ["/app/dist/server.js"]);
        assert_eq!(fc.missing, ["/app/node_modules/.bin/ms"]);
        // Sources of the build may stay in the builder only because the original compiles.
        let no_build = NODE.replace(" && npm run build", "");
        let fc = compare_files(&a, &b, &app, &dev, &Allowances::new(&no_build, &no_build));
        assert_eq!(fc.missing, ["/app/node_modules/.bin/ms", "/app/src/server.ts"]);
    }

    #[test]
    fn a_go_binary_rebuilt_static_is_compared_by_presence_and_nothing_else_is() {
        let go = "FROM golang:1.19\nWORKDIR /src\nCOPY . .\nRUN go build -o /usr/local/bin/app ./cmd/app\nCMD [\"app\"]\n";
        let split = "FROM golang:1.19 AS builder\nENV CGO_ENABLED=0\nWORKDIR /src\nCOPY . .\nRUN go build -o /usr/local/bin/app ./cmd/app\nFROM scratch\nCOPY --from=builder /usr/local/bin/app /usr/local/bin/app\nCMD [\"app\"]\n";
        let a = files(&[
            ("/usr/local/bin/app", sha(1)),
            ("/src/main.go", sha(2)),
            ("/src/README.md", sha(3)),
            ("/src/static/index.html", sha(4)),
        ]);
        let b = files(&[("/usr/local/bin/app", sha(7))]);
        let app = AppPaths::from_dockerfile(go);
        let dev = DevDependencies::default();
        let fc = compare_files(&a, &b, &app, &dev, &Allowances::new(go, split));
        assert_eq!(fc.rebuilt_static, ["/usr/local/bin/app"]);
        // A file the program may read at run time is not a source.
        assert_eq!(fc.missing, ["/src/static/index.html"]);
        // Rebuilt with the same flags, the binary must be the same bytes.
        let fc = compare_files(&a, &b, &app, &dev, &Allowances::new(go, go));
        assert_eq!(fc.differing, ["/usr/local/bin/app"]);
    }

    #[test]
    fn dropped_files_are_classified_by_package_then_path() {
        assert_eq!(class_of_package("libssl-dev"), DropClass::Headers);
        assert_eq!(class_of_package("gcc-12"), DropClass::Toolchain);
        assert_eq!(class_of_package("binutils-x86-64-linux-gnu"), DropClass::Toolchain);
        assert_eq!(class_of_package("git"), DropClass::Toolchain);
        assert_eq!(class_of_package("perl"), DropClass::Other);
        assert_eq!(class_of_path("/usr/include/stdio.h"), DropClass::Headers);
        assert_eq!(class_of_path("/root/.cache/pip/http/x"), DropClass::Cache);
        assert_eq!(class_of_path("/usr/share/doc/gcc/copyright"), DropClass::Docs);
    }

    #[test]
    fn the_base_images_own_environment_may_change_with_the_base() {
        let a = cfg(r#"{"Env":["PATH=/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","GOPATH=/go","APP_MODE=prod"]}"#);
        let b = cfg(r#"{"Env":["PATH=/usr/local/bin:/usr/bin:/bin:/go/bin","APP_MODE=prod"]}"#);
        let own = env_set_by("FROM golang:1.19\nENV APP_MODE=prod\nCMD [\"app\"]\n");
        assert_eq!(own, HashSet::from(["APP_MODE".to_string()]));
        let env = compare_config_with(a.clone(), b, Some(&own)).into_iter().find(|c| c.field == "Env").unwrap();
        assert!(env.equal, "{env:?}");
        let note = env.note.unwrap();
        assert!(note.contains("GOPATH (set by the original's base image) unset") && note.contains("PATH="), "{note}");
        // What the Dockerfile itself sets must survive.
        let lost = cfg(r#"{"Env":["PATH=/usr/local/bin:/usr/bin:/bin:/go/bin"]}"#);
        let env = compare_config_with(a, lost, Some(&own)).into_iter().find(|c| c.field == "Env").unwrap();
        assert!(!env.equal && env.rewrite.contains("APP_MODE unset"), "{env:?}");
    }
}
