//! The container engines dockstage drives: found on PATH or chosen by name, each building a
//! Dockerfile to a docker-archive (the form dockstage-image reads) and running an image.
use std::ffi::OsString;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::BuildError;
use crate::process::{Running, Stopper};

/// Which engine, by the name a user types for `--engine`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EngineKind {
    /// `docker buildx build --load`, then `docker save`.
    DockerBuildx,
    Podman,
    Buildah,
}

impl EngineKind {
    pub const ALL: [EngineKind; 3] = [EngineKind::DockerBuildx, EngineKind::Podman, EngineKind::Buildah];

    pub fn name(self) -> &'static str {
        match self {
            EngineKind::DockerBuildx => "docker",
            EngineKind::Podman => "podman",
            EngineKind::Buildah => "buildah",
        }
    }

    /// `docker`, `buildx`, `docker-buildx`, `podman`, `buildah` (any case).
    pub fn parse(name: &str) -> Option<EngineKind> {
        match name.to_ascii_lowercase().as_str() {
            "docker" | "buildx" | "docker-buildx" | "docker buildx" => Some(EngineKind::DockerBuildx),
            "podman" => Some(EngineKind::Podman),
            "buildah" => Some(EngineKind::Buildah),
            _ => None,
        }
    }

    fn program(self) -> &'static str {
        match self {
            EngineKind::DockerBuildx => "docker",
            EngineKind::Podman => "podman",
            EngineKind::Buildah => "buildah",
        }
    }
}

impl fmt::Display for EngineKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// buildah's storage: without a daemon or overlay support it runs on vfs with chroot
/// isolation, and keeps its images under a root of its own (the test image cache's, so
/// base images made by scripts/make-test-images.sh are found with `--pull=never`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildahStorage {
    pub root: PathBuf,
    pub runroot: PathBuf,
}

impl BuildahStorage {
    /// The storage of an image cache directory laid out as scripts/make-test-images.sh does.
    pub fn in_cache(cache: &Path) -> BuildahStorage {
        BuildahStorage {
            root: cache.join("storage"),
            runroot: cache.join("run"),
        }
    }
}

/// An engine ready to use.
#[derive(Clone, Debug)]
pub struct Engine {
    pub kind: EngineKind,
    /// Only for buildah: its own storage instead of the system's (`None`: the system's).
    pub buildah_storage: Option<BuildahStorage>,
    /// `--pull=never`: every base image must already be local.
    pub pull_never: bool,
    /// Keep every step as an image to reuse in the next build (podman/buildah `--layers`).
    /// Off by default: on vfs storage each kept step is a full copy of the file system.
    pub layers: bool,
}

/// One build: a Dockerfile and its context, to an image tag and a docker-archive.
#[derive(Clone, Debug)]
pub struct BuildRequest {
    pub dockerfile: PathBuf,
    pub context: PathBuf,
    pub tag: String,
    /// Where the docker-archive goes; `None`: the image stays in the engine only (read it
    /// with [`Engine::export`], which streams it without a copy on disk).
    pub archive: Option<PathBuf>,
    /// An ignore file other than the context's `.dockerignore` (BuildKit's
    /// `<Dockerfile>.dockerignore`); docker finds it itself, podman and buildah are told.
    pub ignore_file: Option<PathBuf>,
}

/// What a build left.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Built {
    pub tag: String,
    pub archive: Option<PathBuf>,
    /// Wall time of the build itself (not the export to the archive).
    pub build_seconds: f64,
}

/// How to run an image.
#[derive(Clone, Debug, Default)]
pub struct RunRequest {
    /// Replaces the image's CMD (the ENTRYPOINT still applies); `None`: the image's own.
    pub command: Option<Vec<String>>,
    /// Replaces the ENTRYPOINT.
    pub entrypoint: Option<Vec<String>>,
    /// Extra environment, `KEY=VALUE`.
    pub env: Vec<String>,
    /// Bind mounts: host directory, path in the container.
    pub volumes: Vec<(PathBuf, String)>,
}

impl RunRequest {
    fn add_env_and_volumes(&self, c: &mut Command) {
        for e in &self.env {
            c.arg("--env").arg(e);
        }
        for (host, inside) in &self.volumes {
            let mut v = host.as_os_str().to_owned();
            v.push(format!(":{inside}"));
            c.arg("--volume").arg(v);
        }
    }
}

impl Engine {
    /// The first engine that answers, in the order docker buildx, podman, buildah; or the one
    /// named (`docker`, `podman`, `buildah`), which must answer.
    pub fn find(name: Option<&str>) -> Result<Engine, BuildError> {
        let kinds: Vec<EngineKind> = match name {
            Some(n) => vec![EngineKind::parse(n).ok_or_else(|| {
                BuildError::new(format!("unknown engine '{n}': expected docker, podman or buildah"))
            })?],
            None => EngineKind::ALL.to_vec(),
        };
        let mut tried = Vec::new();
        for kind in kinds {
            let probe: &[&str] = match kind {
                EngineKind::DockerBuildx => &["buildx", "version"],
                _ => &["version"],
            };
            let ok = Command::new(kind.program())
                .args(probe)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if ok {
                return Ok(Engine { kind, buildah_storage: None, pull_never: false, layers: false });
            }
            tried.push(format!("{} {}", kind.program(), probe.join(" ")));
        }
        Err(BuildError::new(format!(
            "no container engine answers (tried: {}); install docker with buildx, podman or buildah",
            tried.join(", ")
        )))
    }

    /// buildah on its own vfs storage, chroot isolation, `--pull=never`: the engine the
    /// tests use, with the image cache of scripts/make-test-images.sh.
    pub fn buildah_in_cache(cache: &Path) -> Engine {
        Engine {
            kind: EngineKind::Buildah,
            buildah_storage: Some(BuildahStorage::in_cache(cache)),
            pull_never: true,
            layers: false,
        }
    }

    /// The engine's command with its global options (buildah's storage).
    pub fn command(&self) -> Command {
        let mut c = Command::new(self.kind.program());
        if self.kind == EngineKind::Buildah {
            c.env("BUILDAH_ISOLATION", "chroot");
            if let Some(s) = &self.buildah_storage {
                c.env("STORAGE_DRIVER", "vfs");
                c.arg("--root").arg(&s.root).arg("--runroot").arg(&s.runroot);
                c.args(["--storage-driver", "vfs"]);
            }
        }
        c.stdin(Stdio::null());
        c
    }

    /// Builds and exports to `req.archive`. The engine's output goes to `log` when given; a
    /// failed build's error carries the log's tail.
    pub fn build(&self, req: &BuildRequest, log: Option<&Path>) -> Result<Built, BuildError> {
        let mut c = self.command();
        match self.kind {
            EngineKind::DockerBuildx => {
                c.args(["buildx", "build", "--load"]);
            }
            EngineKind::Podman => {
                c.args(["build", "--format", "docker"]);
            }
            EngineKind::Buildah => {
                c.args(["build", "--isolation", "chroot", "--format", "docker"]);
            }
        }
        if self.layers && self.kind != EngineKind::DockerBuildx {
            c.arg("--layers");
        }
        if self.pull_never {
            // docker has no "never": its default only pulls what is missing, which is the
            // nearest it offers.
            if self.kind != EngineKind::DockerBuildx {
                c.arg("--pull=never");
            }
        }
        if let (Some(ignore), true) = (&req.ignore_file, self.kind != EngineKind::DockerBuildx) {
            c.arg("--ignorefile").arg(ignore);
        }
        c.arg("-f").arg(&req.dockerfile).arg("-t").arg(&req.tag).arg(&req.context);
        let start = Instant::now();
        run_logged(c, log, false, &format!("{} build of {}", self.kind, req.dockerfile.display()))?;
        let build_seconds = start.elapsed().as_secs_f64();
        if let Some(archive) = &req.archive {
            if let Some(dir) = archive.parent() {
                std::fs::create_dir_all(dir).map_err(|e| BuildError::io(dir, e))?;
            }
            let _ = std::fs::remove_file(archive);
            let c = self.export_command(&req.tag, archive);
            run_logged(c, log, true, &format!("{} export of {}", self.kind, req.tag))?;
        }
        Ok(Built { tag: req.tag.clone(), archive: req.archive.clone(), build_seconds })
    }

    /// The command that writes `tag` as a docker-archive to `dest` (`/dev/stdout` streams it).
    fn export_command(&self, tag: &str, dest: &Path) -> Command {
        let mut c = self.command();
        match self.kind {
            EngineKind::DockerBuildx => {
                c.arg("save").arg("-o").arg(dest).arg(tag);
            }
            EngineKind::Podman => {
                c.args(["save", "--format", "docker-archive", "-o"]).arg(dest).arg(tag);
            }
            EngineKind::Buildah => {
                let mut to = OsString::from("docker-archive:");
                to.push(dest);
                to.push(format!(":{tag}"));
                c.args(["push", "--quiet", tag]).arg(to);
            }
        }
        c
    }

    /// Streams `tag` out of the engine as a docker-archive (`docker save` form); the caller
    /// reads the child's stdout and waits for it.
    pub fn export(&self, tag: &str) -> Result<std::process::Child, BuildError> {
        let mut c = self.export_command(tag, Path::new("/dev/stdout"));
        c.stdout(Stdio::piped()).stderr(Stdio::piped());
        c.spawn().map_err(|e| BuildError::spawn(self.kind.program(), e))
    }

    /// The image's config (Env, Cmd, Entrypoint, ...) as the engine reports it.
    pub fn image_config(&self, tag: &str) -> Result<dockstage_image::config::RuntimeConfig, BuildError> {
        let mut c = self.command();
        match self.kind {
            EngineKind::Buildah => c.args(["inspect", "--type", "image", tag]),
            _ => c.args(["image", "inspect", tag]),
        };
        let out = c.output().map_err(|e| BuildError::spawn(self.kind.program(), e))?;
        if !out.status.success() {
            return Err(BuildError::new(format!(
                "{} inspect {tag}: {}",
                self.kind,
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .map_err(|e| BuildError::new(format!("{} inspect {tag}: {e}", self.kind)))?;
        let config = match self.kind {
            EngineKind::Buildah => v.pointer("/OCIv1/config").cloned(),
            _ => v.pointer("/0/Config").cloned(),
        };
        serde_json::from_value(config.unwrap_or_default())
            .map_err(|e| BuildError::new(format!("{} inspect {tag}: {e}", self.kind)))
    }

    /// Removes an image from the engine's storage (a missing one is not an error).
    pub fn remove_image(&self, tag: &str) {
        let mut c = self.command();
        c.args(["rmi", tag]).stdout(Stdio::null()).stderr(Stdio::null());
        let _ = c.status();
    }

    /// Starts a container of `image` in the background, on the host's network (a service on
    /// a port answers on 127.0.0.1). Its output is collected; [`Running::stop`] ends it.
    pub fn start(&self, image: &str, req: &RunRequest) -> Result<Running, BuildError> {
        match self.kind {
            EngineKind::Buildah => self.start_buildah(image, req),
            _ => self.start_daemon(image, req),
        }
    }

    /// Runs a container to its end, bounded by `timeout`; returns exit status and output.
    pub fn run_to_end(
        &self,
        image: &str,
        req: &RunRequest,
        timeout: Duration,
    ) -> Result<(i32, String), BuildError> {
        let mut running = self.start(image, req)?;
        let status = running.wait(timeout);
        let output = running.output();
        running.stop();
        match status {
            Some(code) => Ok((code, output)),
            None => Err(BuildError::new(format!(
                "{image}: still running after {}s; stopped. Output:\n{}",
                timeout.as_secs(),
                tail(&output, 40)
            ))),
        }
    }

    fn start_buildah(&self, image: &str, req: &RunRequest) -> Result<Running, BuildError> {
        let mut c = self.command();
        c.arg("from");
        if self.pull_never {
            c.arg("--pull=never");
        }
        c.args(["--quiet", image]);
        let out = c.output().map_err(|e| BuildError::spawn("buildah", e))?;
        if !out.status.success() {
            return Err(BuildError::new(format!(
                "buildah from {image}: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        let ctr = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let remove = {
            let mut rm = self.command();
            rm.args(["rm", &ctr]);
            rm
        };
        // buildah run takes no default command: the image's ENTRYPOINT and CMD come from its
        // config, as an engine would combine them.
        let argv = match self.image_argv(&ctr, req) {
            Ok(a) => a,
            Err(e) => {
                Stopper::Remove(remove).finish();
                return Err(e);
            }
        };
        let mut c = self.command();
        c.args(["run", "--isolation", "chroot"]);
        req.add_env_and_volumes(&mut c);
        c.arg(&ctr).arg("--").args(&argv);
        Running::spawn(c, image, Stopper::Remove(remove))
    }

    fn image_argv(&self, ctr: &str, req: &RunRequest) -> Result<Vec<String>, BuildError> {
        let mut c = self.command();
        c.args(["inspect", "--type", "container", ctr]);
        let out = c.output().map_err(|e| BuildError::spawn("buildah", e))?;
        if !out.status.success() {
            return Err(BuildError::new(format!(
                "buildah inspect {ctr}: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        #[derive(serde::Deserialize, Default)]
        struct Config {
            #[serde(rename = "Entrypoint", default)]
            entrypoint: Option<Vec<String>>,
            #[serde(rename = "Cmd", default)]
            cmd: Option<Vec<String>>,
        }
        #[derive(serde::Deserialize)]
        struct Image {
            #[serde(default)]
            config: Config,
        }
        #[derive(serde::Deserialize)]
        struct Inspect {
            #[serde(rename = "OCIv1")]
            oci: Image,
        }
        let cfg = serde_json::from_slice::<Inspect>(&out.stdout)
            .map_err(|e| BuildError::new(format!("buildah inspect {ctr}: {e}")))?
            .oci
            .config;
        let entrypoint = req.entrypoint.clone().or(cfg.entrypoint).unwrap_or_default();
        let cmd = req.command.clone().or(cfg.cmd).unwrap_or_default();
        let argv: Vec<String> = entrypoint.into_iter().chain(cmd).collect();
        if argv.is_empty() {
            return Err(BuildError::new(format!("{ctr}: the image has no ENTRYPOINT or CMD to run")));
        }
        Ok(argv)
    }

    fn start_daemon(&self, image: &str, req: &RunRequest) -> Result<Running, BuildError> {
        let name = format!("dockstage-run-{}-{}", std::process::id(), unique());
        let mut c = self.command();
        c.args(["run", "--rm", "--network", "host", "--name", &name]);
        req.add_env_and_volumes(&mut c);
        if let Some(ep) = &req.entrypoint {
            // `--entrypoint` takes one word; the rest go before the command.
            c.arg("--entrypoint").arg(ep.first().map_or("", String::as_str));
        }
        c.arg(image);
        if let Some(ep) = &req.entrypoint {
            c.args(ep.iter().skip(1));
        }
        if let Some(cmd) = &req.command {
            c.args(cmd);
        }
        let mut rm = self.command();
        rm.args(["rm", "--force", &name]);
        Running::spawn(c, image, Stopper::Remove(rm))
    }
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// Runs a command to its end, output to `log` (or kept), failing with the output's tail.
fn run_logged(mut c: Command, log: Option<&Path>, append: bool, what: &str) -> Result<(), BuildError> {
    let program = c.get_program().to_string_lossy().into_owned();
    let status;
    let text;
    match log {
        Some(path) => {
            let f = std::fs::OpenOptions::new()
                .create(true)
                .write(true)
                .append(append)
                .truncate(!append)
                .open(path)
                .map_err(|e| BuildError::io(path, e))?;
            let f2 = f.try_clone().map_err(|e| BuildError::io(path, e))?;
            status = c.stdout(f).stderr(f2).status().map_err(|e| BuildError::spawn(&program, e))?;
            let mut s = String::new();
            if !status.success() {
                std::fs::File::open(path)
                    .and_then(|mut f| f.read_to_string(&mut s))
                    .map_err(|e| BuildError::io(path, e))?;
            }
            text = s;
        }
        None => {
            let out = c.output().map_err(|e| BuildError::spawn(&program, e))?;
            status = out.status;
            text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    if status.success() {
        Ok(())
    } else {
        // The last line usually says why ("no space left on device", the failing step).
        let why = text.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no output").trim();
        Err(BuildError::new(format!("{what} failed ({status}): {why}\n{}", tail(&text, 30))))
    }
}

/// The last `n` lines of `text`.
pub fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}
