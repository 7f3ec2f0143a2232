//! Compose and bake files: which Dockerfiles a project builds, and with what context, target,
//! args and additional contexts, resolved as `docker compose` and `docker buildx bake` do.
//!
//! ```no_run
//! let project = dockstage_project::load(std::path::Path::new("compose.yaml")).unwrap();
//! for build in &project.builds {
//!     println!("{} builds {:?} (target {:?})", build.name, build.dockerfile, build.target);
//! }
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

mod bake;
mod compose;
mod interpolate;
mod merge;
mod yaml;

pub use interpolate::interpolate;

/// The compose file names `docker compose` looks for, in its order of preference.
pub const COMPOSE_FILES: [&str; 4] = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];
/// The bake file names `docker buildx bake` reads besides compose files.
pub const BAKE_FILES: [&str; 2] = ["docker-bake.json", "docker-bake.hcl"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Compose,
    Bake,
}

/// A place in a compose or bake file; line and column start at 1, 0 when unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DockerfileSource {
    /// A file, already joined to the context directory.
    File(PathBuf),
    /// `dockerfile_inline` (compose) or `dockerfile-inline` (bake).
    Inline(String),
}

/// One image build: a compose service with `build:`, or a bake target (one per matrix entry).
#[derive(Debug, Clone, serde::Serialize)]
pub struct BuildSpec {
    /// The service or target name.
    pub name: String,
    /// The file the service or target is defined in: the one `at` (and `dockerfile_at`,
    /// `target_at` when known) point into.
    pub file: PathBuf,
    pub at: Pos,
    /// The build context; `None` for a remote one (a Git or HTTP URL), which is not read.
    pub context: Option<PathBuf>,
    /// The context as written, after interpolation.
    pub context_spec: String,
    pub dockerfile: DockerfileSource,
    pub dockerfile_at: Pos,
    pub target: Option<String>,
    pub target_at: Pos,
    pub args: BTreeMap<String, String>,
    pub additional_contexts: BTreeMap<String, String>,
    pub tags: Vec<String>,
    pub platforms: Vec<String>,
    /// Compose profiles the service belongs to (metadata: every service is analyzed).
    pub profiles: Vec<String>,
    /// Bake targets this one inherits from, nearest first.
    pub inherits: Vec<String>,
    /// Compose `x-bake` keys, as written.
    pub x_bake: BTreeMap<String, String>,
}

/// A compose or bake file, resolved.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Project {
    /// The (first) file: relative paths are relative to its directory.
    pub file: PathBuf,
    /// Every file read: the ones given, in merge order, then those `extends` named.
    pub files: Vec<PathBuf>,
    pub kind: Kind,
    /// Compose `name:` when set.
    pub name: Option<String>,
    pub builds: Vec<BuildSpec>,
    /// Compose services that only run an image (no `build:`).
    pub image_only: Vec<String>,
}

/// An error in a compose or bake file, at a place in it when the parser said where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub file: PathBuf,
    pub at: Pos,
    pub message: String,
}

impl Error {
    pub(crate) fn new(file: &Path, at: Pos, message: impl Into<String>) -> Error {
        Error { file: file.to_path_buf(), at, message: message.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.at.line == 0 {
            write!(f, "{}: {}", self.file.display(), self.message)
        } else {
            write!(f, "{}:{}:{}: {}", self.file.display(), self.at.line, self.at.column, self.message)
        }
    }
}

impl std::error::Error for Error {}

/// Whether a file's name makes it a compose or bake file (`docker-compose.prod.yml` and
/// `docker-bake.override.hcl` included).
pub fn is_project_file(path: &Path) -> bool {
    kind_of(path).is_some()
}

fn kind_of(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_str()?;
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    if yaml && (name.starts_with("compose.") || name.starts_with("docker-compose.") || name.starts_with("docker-compose-")) {
        return Some(Kind::Compose);
    }
    if name.starts_with("docker-bake") && (name.ends_with(".hcl") || name.ends_with(".json")) {
        return Some(Kind::Bake);
    }
    None
}

/// The compose or bake files a directory holds, as the tools find them: the first compose file
/// by `docker compose`'s preference, then the bake files.
pub fn discover(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    if let Some(c) = discover_compose(dir).into_iter().next() {
        found.push(c);
    }
    found.extend(BAKE_FILES.iter().map(|n| dir.join(n)).filter(|p| p.is_file()));
    found
}

/// The compose files `docker compose` reads from a directory with no `-f`: the first compose
/// file by its preference, then its override file (`compose.override.yaml` beside
/// `compose.yaml`, `docker-compose.override.yml` beside `docker-compose.yml` ...) when present.
pub fn discover_compose(dir: &Path) -> Vec<PathBuf> {
    let Some(main) = COMPOSE_FILES.iter().map(|n| dir.join(n)).find(|p| p.is_file()) else { return Vec::new() };
    let name = main.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let (stem, _) = name.rsplit_once('.').unwrap_or((name, ""));
    let over = ["yaml", "yml"].iter().map(|ext| dir.join(format!("{stem}.override.{ext}"))).find(|p| p.is_file());
    std::iter::once(main).chain(over).collect()
}

const NOT_A_PROJECT_FILE: &str = "not a compose or bake file name (compose.yaml, docker-compose.yml, docker-bake.hcl, docker-bake.json ...)";

/// Reads and resolves a compose or bake file; variables come from the environment (and, for
/// compose, the `.env` file beside it).
pub fn load(path: &Path) -> Result<Project, Error> {
    let env: BTreeMap<String, String> = std::env::vars().collect();
    load_with_env(path, &env)
}

/// [`load`] with the given environment instead of the process's.
pub fn load_with_env(path: &Path, env: &BTreeMap<String, String>) -> Result<Project, Error> {
    if kind_of(path).is_none() {
        return Err(Error::new(path, Pos::default(), NOT_A_PROJECT_FILE));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::new(path, Pos::default(), e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| Error::new(path, Pos::default(), format!("not UTF-8 text: {e}")))?;
    load_text(path, &text, env)
}

/// Resolves `text` as the compose or bake file `path` names (its kind comes from the name;
/// relative contexts from its directory; compose's `.env` is read from there when it exists).
pub fn load_text(path: &Path, text: &str, env: &BTreeMap<String, String>) -> Result<Project, Error> {
    let kind = kind_of(path).ok_or_else(|| Error::new(path, Pos::default(), NOT_A_PROJECT_FILE))?;
    let text = text.to_string();
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    match kind {
        Kind::Compose => {
            let mut env = env.clone();
            // Compose reads `.env` from the project directory; the process environment wins.
            if let Ok(dotenv) = std::fs::read_to_string(dir.join(".env")) {
                for (k, v) in parse_dotenv(&dotenv) {
                    env.entry(k).or_insert(v);
                }
            }
            compose::resolve(&[(path, text)], dir, &env)
        }
        Kind::Bake if path.extension().is_some_and(|e| e == "json") => bake::resolve_json(path, dir, &text, env),
        Kind::Bake => bake::resolve_hcl(path, dir, &text, env),
    }
}

/// Several compose files merged in order, as `docker compose -f a.yml -f b.yml` merges them:
/// later files override and extend earlier ones, and every relative path is relative to the
/// first file's directory (compose's rule). One file is [`load`]; bake files are not merged.
pub fn load_files(paths: &[PathBuf]) -> Result<Project, Error> {
    let env: BTreeMap<String, String> = std::env::vars().collect();
    load_files_with_env(paths, &env)
}

/// [`load_files`] with the given environment instead of the process's.
pub fn load_files_with_env(paths: &[PathBuf], env: &BTreeMap<String, String>) -> Result<Project, Error> {
    let Some(first) = paths.first() else { return Err(Error::new(Path::new("."), Pos::default(), "no compose file given")) };
    if paths.len() == 1 && kind_of(first).is_some() {
        return load_with_env(first, env);
    }
    // Files given as compose files are read as such whatever their names (`docker compose -f
    // base.yml` does the same).
    let mut texts = Vec::new();
    for p in paths {
        if kind_of(p) == Some(Kind::Bake) {
            return Err(Error::new(p, Pos::default(), "only compose files are merged; give a bake file on its own"));
        }
        let bytes = std::fs::read(p).map_err(|e| Error::new(p, Pos::default(), io_reason(&e)))?;
        let text = String::from_utf8(bytes).map_err(|e| Error::new(p, Pos::default(), format!("not UTF-8 text: {e}")))?;
        texts.push((p.as_path(), text));
    }
    let dir = first.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut env = env.clone();
    if let Ok(dotenv) = std::fs::read_to_string(dir.join(".env")) {
        for (k, v) in parse_dotenv(&dotenv) {
            env.entry(k).or_insert(v);
        }
    }
    compose::resolve(&texts, dir, &env)
}

fn parse_dotenv(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let l = l.strip_prefix("export ").unwrap_or(l);
            let (k, v) = l.split_once('=')?;
            let v = v.trim();
            let v = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\''))).unwrap_or(v);
            Some((k.trim().to_string(), v.to_string()))
        })
        .collect()
}

/// Checks what the tools would fail on before building: a missing context or Dockerfile, and a
/// target stage the Dockerfile does not have. Returns the first problem, at the service's line.
pub fn check(project: &Project) -> Result<(), Error> {
    for b in &project.builds {
        let Some(context) = &b.context else { continue };
        if !context.is_dir() {
            return Err(Error::new(&b.file, b.at, format!("{}: build context {} is not a directory", b.name, context.display())));
        }
        let text = match &b.dockerfile {
            DockerfileSource::Inline(t) => t.clone(),
            DockerfileSource::File(f) => std::fs::read_to_string(f).map_err(|e| {
                let at = if b.dockerfile_at.line > 0 { b.dockerfile_at } else { b.at };
                Error::new(&b.file, at, format!("{}: Dockerfile {}: {}", b.name, f.display(), io_reason(&e)))
            })?,
        };
        let Some(target) = &b.target else { continue };
        // A Dockerfile that does not parse is reported by whoever reads it next, with its own
        // position; only a missing stage is this file's mistake.
        let Ok(df) = dockstage_syntax::parse(&text) else { continue };
        let Ok(build) = dockstage_model::Build::from_dockerfile(&df) else { continue };
        if build.target(Some(target)).is_err() {
            let names: Vec<String> = build.stages.iter().filter_map(|s| s.name.clone()).collect();
            let at = if b.target_at.line > 0 { b.target_at } else { b.at };
            let known = if names.is_empty() { "it has no named stages".to_string() } else { format!("its stages are {}", names.join(", ")) };
            return Err(Error::new(&b.file, at, format!("{}: unknown target {target:?} in {} ({known})", b.name, b.dockerfile_label())));
        }
    }
    Ok(())
}

pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        _ => e.to_string(),
    }
}

impl BuildSpec {
    /// The Dockerfile's path for messages, or `<name>: dockerfile_inline`.
    pub fn dockerfile_label(&self) -> String {
        match &self.dockerfile {
            DockerfileSource::File(f) => f.display().to_string(),
            DockerfileSource::Inline(_) => format!("{} (inline Dockerfile)", self.name),
        }
    }
}

/// A context path joined to the project's directory; `None` for remote contexts.
pub(crate) fn local_context(dir: &Path, spec: &str) -> Option<PathBuf> {
    if spec.contains("://") || spec.starts_with("git@") || spec.starts_with("docker-image:") || spec.starts_with("target:") {
        return None;
    }
    let spec = spec.strip_prefix("cwd://").unwrap_or(spec);
    let p = Path::new(spec);
    Some(if p.is_absolute() { p.to_path_buf() } else { clean_join(dir, p) })
}

/// `dir/rel` without `./` noise, so paths in messages read as the user wrote them.
pub(crate) fn clean_join(dir: &Path, rel: &Path) -> PathBuf {
    let mut out = if dir == Path::new(".") { PathBuf::new() } else { dir.to_path_buf() };
    for c in rel.components() {
        match c {
            std::path::Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// `a/b/../c` as `a/c`, without asking the file system (a `..` after a symlink is taken
/// lexically, as compose's path joining takes it).
pub(crate) fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if matches!(out.components().next_back(), Some(std::path::Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}
