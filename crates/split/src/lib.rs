//! `dockstage split`: rewrites a single-stage Python build into a `builder` stage that runs the
//! original build and a `runtime` stage on a slim base that receives only the results.
//!
//! The builder is the original stage, with pip pointed at one prefix (`PIP_USER=1`,
//! `PYTHONUSERBASE=/opt/deps`) so everything pip installs can be copied as one tree. The
//! runtime stage replays the original's configuration (ENV, WORKDIR, USER, EXPOSE, LABEL,
//! HEALTHCHECK, VOLUME, STOPSIGNAL, CMD, ENTRYPOINT, SHELL, ARG), installs only the runtime
//! apt packages (compilers, headers and fetch tools stay behind; `-dev` packages become their
//! runtime library), reruns user and directory setup, and copies the application paths (every
//! WORKDIR and COPY/ADD destination, in their final builder state) with `COPY --from=builder`.
//! What `split` cannot move is refused with the line, never half rewritten.

mod packages;

use dockstage_model::shell::{run_bodies, shells_in_force, PackageManager, SimpleCommand};
use dockstage_model::ImageRef;
use dockstage_syntax::{Instruction, Keyword};
use serde::Serialize;

pub use packages::{is_build_only, runtime_library_of};

#[derive(Debug, Clone, Default)]
pub struct SplitOptions {
    /// The runtime stage's base; default: the slim variant of the original base.
    pub runtime_base: Option<String>,
    /// The builder stage's base; default: the original base.
    pub builder_base: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SplitOutput {
    pub dockerfile: String,
    pub builder_base: String,
    pub runtime_base: String,
    /// apt packages left in the builder.
    pub builder_only_packages: Vec<String>,
    /// apt packages the runtime stage installs.
    pub runtime_packages: Vec<String>,
    /// Paths copied from the builder into the runtime stage.
    pub copied_paths: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

const DEPS: &str = "/opt/deps";

fn refuse(ins: &Instruction, message: impl Into<String>) -> Refusal {
    Refusal { line: ins.start_line, column: ins.column, message: message.into() }
}

/// The slim variant of an official image's tag, when there is one.
pub fn slim_base(base: &str) -> Option<String> {
    let r = ImageRef::parse(base)?;
    let short = r.path.rsplit('/').next().unwrap_or(&r.path);
    if r.digest.is_some() {
        return None;
    }
    let tag = r.tag.clone().unwrap_or_else(|| "latest".into());
    let name = &base[..base.len() - r.tag.as_ref().map_or(0, |t| t.len() + 1)];
    if tag.contains("slim") || tag.contains("alpine") {
        return Some(base.to_string());
    }
    match short {
        "python" => Some(match tag.as_str() {
            "latest" => format!("{name}:slim"),
            t => match t.split_once('-') {
                Some((v, distro)) => format!("{name}:{v}-slim-{distro}"),
                None => format!("{name}:{t}-slim"),
            },
        }),
        _ => None,
    }
}

/// Rewrites `source` (a single-stage Python build) into a builder and a runtime stage.
pub fn split(source: &str, opts: &SplitOptions) -> Result<SplitOutput, Refusal> {
    let df = dockstage_syntax::parse(source).map_err(|e| Refusal { line: e.line, column: e.column, message: e.message.clone() })?;
    let froms: Vec<usize> = df.instructions.iter().enumerate().filter(|(_, i)| i.kind == Keyword::From).map(|(n, _)| n).collect();
    let Some(&from_idx) = froms.first() else {
        return Err(Refusal { line: 1, column: 1, message: "no FROM: nothing to split".into() });
    };
    if froms.len() > 1 {
        return Err(refuse(&df.instructions[froms[1]], "already multi-stage: split rewrites single-stage files only"));
    }
    let from = &df.instructions[from_idx];
    let base = from.args.first().cloned().unwrap_or_default();
    if base == "scratch" {
        return Err(refuse(from, "FROM scratch has nothing to build: nothing to split"));
    }
    let shells = shells_in_force(&df);
    let body = &df.instructions[from_idx + 1..];

    // Read what the stage does before writing anything, so a refusal leaves no output.
    let mut apt: Vec<String> = Vec::new();
    let mut pip_seen = false;
    let mut user_before_pip: Option<String> = None;
    let mut user: Option<String> = None;
    let mut deps = DEPS.to_string();
    let mut runtime_words = String::new();
    for ins in body {
        let eff = ins.effective();
        match eff.kind {
            Keyword::Onbuild => return Err(refuse(ins, "ONBUILD: split cannot tell which stage the trigger belongs to")),
            Keyword::User => user = eff.args.first().cloned(),
            Keyword::Env => {
                for (k, v) in eff.key_values() {
                    if k == "PYTHONUSERBASE" {
                        deps = v.to_string();
                    }
                    if k == "VIRTUAL_ENV" {
                        return Err(refuse(ins, "the stage uses a virtualenv; split moves pip --user installs only, not yet venvs"));
                    }
                }
            }
            Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck => {
                runtime_words.push(' ');
                runtime_words.push_str(&eff.args.join(" "));
            }
            _ => {}
        }
        if eff.kind != Keyword::Run {
            continue;
        }
        let shell = &shells[df.instructions.iter().position(|i| std::ptr::eq(i, ins)).unwrap_or(0)];
        for b in run_bodies(ins, shell) {
            for c in b.script.commands() {
                let p = c.program();
                if PackageManager::Apt.is_install(c) {
                    apt.extend(PackageManager::Apt.packages(c).into_iter().map(|p| p.name));
                } else if PackageManager::Pip.is_install(c) {
                    for f in ["--target", "-t", "--prefix", "--root"] {
                        if c.has_flag(f.trim_start_matches('-')) || c.args.iter().any(|a| a == f || a.starts_with(&format!("{f}="))) {
                            return Err(refuse(ins, format!("pip install {f}: split moves pip --user installs only")));
                        }
                    }
                    if !pip_seen {
                        user_before_pip = user.clone();
                    }
                    pip_seen = true;
                } else if let Some(msg) = unsupported(c) {
                    return Err(refuse(ins, msg));
                } else if matches!(p, "apk" | "yum" | "dnf" | "microdnf" | "zypper") && c.args.iter().any(|a| a == "add" || a == "install") {
                    return Err(refuse(ins, format!("{p} packages are not split yet (apt only)")));
                }
            }
        }
    }
    if !pip_seen {
        return Err(refuse(from, "no pip install in this stage: split handles Python builds (pip) so far; Node, Go, Rust and Java are not rewritten yet"));
    }

    let builder_base = opts.builder_base.clone().unwrap_or_else(|| base.clone());
    let runtime_base = match &opts.runtime_base {
        Some(b) => b.clone(),
        None => slim_base(&base).unwrap_or_else(|| base.clone()),
    };

    // Packages: what stays, what moves.
    let mut builder_only = Vec::new();
    let mut runtime_pkgs: Vec<String> = Vec::new();
    let mut why: Vec<String> = Vec::new();
    for p in dedup(apt) {
        let used_at_run = runtime_words.split(|c: char| !c.is_alphanumeric() && c != '-').any(|w| w == p);
        if used_at_run {
            why.push(format!("{p} moves: CMD/ENTRYPOINT/HEALTHCHECK runs it"));
            runtime_pkgs.push(p);
        } else if let Some(lib) = runtime_library_of(&p) {
            why.push(format!("{p} stays in the builder (headers); {lib}, its runtime library, moves"));
            builder_only.push(p);
            runtime_pkgs.push(lib.to_string());
        } else if is_build_only(&p) {
            let what = if p.ends_with("-dev") && !packages::is_header_only(&p) {
                "headers, no runtime library known to split: add it with --runtime-base if an extension links against it"
            } else {
                "only needed to build"
            };
            why.push(format!("{p} stays in the builder ({what})"));
            builder_only.push(p);
        } else {
            why.push(format!("{p} moves (not a build tool)"));
            runtime_pkgs.push(p);
        }
    }
    let runtime_pkgs = dedup(runtime_pkgs);

    // ---- builder: the original stage, pip aimed at one prefix.
    let mut out = String::new();
    out.push_str(&source[..from.span.start]);
    out.push_str("# ---- builder: the original build (compilers, headers, dev dependencies) ----\n");
    let platform = from.flags.iter().map(|f| format!("{} ", f.raw)).collect::<String>();
    out.push_str(&format!("FROM {platform}{builder_base} AS builder\n"));
    out.push_str(&format!("# split: every pip install goes to one prefix the runtime stage copies whole.\nENV PIP_USER=1 PYTHONUSERBASE={deps} PATH={deps}/bin:$PATH\n"));
    let mut cursor = from.span.end;
    if let Some(u) = user_before_pip.filter(|u| u != "root" && u != "0") {
        // The first USER switch happens before pip: create the prefix for that user while root.
        if let Some(ins) = body.iter().find(|i| i.kind == Keyword::User) {
            out.push_str(&source[cursor..ins.span.start]);
            let owner = u.split(':').next().unwrap_or(&u);
            out.push_str(&format!("RUN install -d -o {owner} {deps}\n"));
            cursor = ins.span.start;
        }
    }
    out.push_str(&source[cursor..]);
    if !out.ends_with('\n') {
        out.push('\n');
    }

    // ---- runtime
    out.push_str(&format!("\n# ---- runtime: {runtime_base}, only what the application runs with ----\n"));
    for w in &why {
        out.push_str(&format!("# split: {w}\n"));
    }
    out.push_str(&format!("FROM {platform}{runtime_base} AS runtime\n"));
    let mut workdir = "/".to_string();
    let mut copies: Vec<(String, Option<String>)> = Vec::new();
    let mut apt_done = runtime_pkgs.is_empty();
    let mut deps_done = false;
    let mut config_lines = String::new();
    for (n, ins) in body.iter().enumerate() {
        let eff = ins.effective();
        let text = &source[ins.span.start..ins.span.end];
        match eff.kind {
            Keyword::Workdir => {
                let w = eff.args.first().cloned().unwrap_or_default();
                workdir = join(&workdir, &w);
                if workdir != "/" {
                    copies.push((workdir.clone(), None));
                }
                config_lines.push_str(text);
                config_lines.push('\n');
            }
            Keyword::Copy | Keyword::Add if eff.flag("from").is_none() => {
                let mut args: Vec<String> = eff.args.clone();
                let dest = args.pop().unwrap_or_default();
                let dest_abs = join(&workdir, &dest);
                let dest_is_dir = dest.ends_with('/') || dest == "." || args.len() > 1;
                let chown = eff.flag("chown").and_then(|f| f.value.clone());
                for src in args {
                    let path = if src == "." || src.contains(['*', '?', '[']) || !dest_is_dir {
                        dest_abs.clone()
                    } else {
                        join(&dest_abs, src.trim_end_matches('/').rsplit('/').next().unwrap_or(&src))
                    };
                    if path == "/" {
                        return Err(refuse(ins, "copies into / : set a WORKDIR so split knows what the application's files are"));
                    }
                    copies.push((path, chown.clone()));
                }
            }
            Keyword::Run => {
                let shell = &shells[from_idx + 1 + n];
                let mut setup: Vec<String> = Vec::new();
                let mut has_apt = false;
                let mut has_pip = false;
                for b in run_bodies(ins, shell) {
                    for c in b.script.commands() {
                        if PackageManager::Apt.is_install(c) {
                            has_apt = true;
                        } else if PackageManager::Pip.is_install(c) {
                            has_pip = true;
                        } else if is_setup(c) {
                            if let Some(t) = b.text.get(c.span.start..c.span.end) {
                                setup.push(t.to_string());
                            }
                        }
                    }
                }
                if has_apt && !apt_done {
                    config_lines.push_str(&format!(
                        "RUN apt-get update \\\n && apt-get install -y --no-install-recommends {} \\\n && rm -rf /var/lib/apt/lists/*\n",
                        runtime_pkgs.join(" ")
                    ));
                    apt_done = true;
                }
                if has_pip && !deps_done {
                    config_lines.push_str(&format!(
                        "# split: the packages pip installed in the builder, nothing else of it.\nENV PYTHONUSERBASE={deps} PATH={deps}/bin:$PATH\nCOPY --from=builder {deps} {deps}\n"
                    ));
                    deps_done = true;
                }
                if !setup.is_empty() {
                    config_lines.push_str(&format!("RUN {}\n", setup.join(" \\\n && ")));
                }
                if !has_apt && !has_pip && setup.is_empty() {
                    config_lines.push_str(&format!("# split: line {} is a build step; its results under the application's paths are copied below\n", ins.start_line));
                }
            }
            Keyword::Maintainer => {}
            _ => {
                config_lines.push_str(text);
                config_lines.push('\n');
            }
        }
    }
    // Application paths: the outermost of each nested set, copied in their final builder state.
    let mut paths: Vec<(String, Option<String>)> = Vec::new();
    for (p, chown) in &copies {
        if copies.iter().any(|(q, _)| q != p && is_under(p, q)) || paths.iter().any(|(q, _)| q == p) {
            continue;
        }
        paths.push((p.clone(), chown.clone()));
    }
    // Copies go after the config: CMD and friends are last either way, and USER does not
    // change COPY's ownership.
    let (before_tail, tail) = split_tail(&config_lines);
    out.push_str(&before_tail);
    if !paths.is_empty() {
        out.push_str("# split: the application's files as the build left them (sources, build outputs, data).\n");
    }
    for (p, chown) in &paths {
        let chown = chown.as_ref().map(|c| format!("--chown={c} ")).unwrap_or_default();
        out.push_str(&format!("COPY --from=builder {chown}{p} {p}\n"));
    }
    out.push_str(&tail);
    Ok(SplitOutput {
        dockerfile: out,
        builder_base,
        runtime_base,
        builder_only_packages: builder_only,
        runtime_packages: runtime_pkgs,
        copied_paths: std::iter::once(deps).chain(paths.into_iter().map(|(p, _)| p)).collect(),
    })
}

/// The trailing run of config that must stay after the copies (USER, EXPOSE, HEALTHCHECK, CMD...).
fn split_tail(lines: &str) -> (String, String) {
    let tail_kw = ["USER", "EXPOSE", "HEALTHCHECK", "CMD", "ENTRYPOINT", "STOPSIGNAL", "VOLUME", "LABEL"];
    let chunks: Vec<&str> = lines.split_inclusive('\n').collect();
    // Instructions can span lines: find the first line starting a tail keyword after which
    // only tail keywords (or their continuation lines) follow.
    let mut cut = chunks.len();
    for i in (0..chunks.len()).rev() {
        let first = chunks[i].split_whitespace().next().unwrap_or("").to_ascii_uppercase();
        if tail_kw.contains(&first.as_str()) {
            cut = i;
        } else if i > 0 && chunks[i - 1].trim_end().ends_with('\\') {
            continue;
        } else {
            break;
        }
    }
    (chunks[..cut].concat(), chunks[cut..].concat())
}

fn unsupported(c: &SimpleCommand) -> Option<String> {
    let p = c.program();
    let sub = |s: &str| c.args.iter().any(|a| a == s);
    Some(match p {
        "poetry" if sub("install") => "poetry install puts packages where split cannot follow them yet; export requirements (poetry export -o requirements.txt) and pip install them".into(),
        "pipenv" if sub("install") => "pipenv install is not split yet; pipenv requirements > requirements.txt and pip install them".into(),
        "uv" if sub("install") || sub("sync") => "uv installs are not split yet; use pip install --user".into(),
        "conda" | "mamba" | "micromamba" => format!("{p} environments are not split yet"),
        "virtualenv" => "the stage makes a virtualenv; split moves pip --user installs only, not yet venvs".into(),
        _ if p.starts_with("python") && c.has_arg_sequence(&["-m", "venv"]) => "the stage makes a virtualenv; split moves pip --user installs only, not yet venvs".into(),
        _ if p.starts_with("python") && sub("setup.py") && sub("install") => "python setup.py install writes into the interpreter's tree; use pip install --user .".into(),
        "npm" | "yarn" | "pnpm" if sub("install") || sub("ci") || sub("add") => "Node installs are not split yet".into(),
        "go" if sub("build") || sub("install") => "go builds are not split yet".into(),
        "cargo" if sub("build") || sub("install") => "cargo builds are not split yet".into(),
        "mvn" | "gradle" | "./gradlew" | "gradlew" | "./mvnw" => "Java builds are not split yet".into(),
        _ => return None,
    })
}

/// Commands that shape the runtime filesystem cheaply and are replayed there.
fn is_setup(c: &SimpleCommand) -> bool {
    matches!(c.program(), "useradd" | "groupadd" | "adduser" | "addgroup" | "usermod" | "mkdir" | "chown" | "chmod" | "ln" | "update-ca-certificates")
}

fn join(base: &str, p: &str) -> String {
    let full = if p.starts_with('/') { p.to_string() } else { format!("{}/{}", base.trim_end_matches('/'), p) };
    let mut parts: Vec<&str> = Vec::new();
    for s in full.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

fn is_under(p: &str, dir: &str) -> bool {
    dir == "/" || p.starts_with(&format!("{}/", dir.trim_end_matches('/')))
}

fn dedup(v: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for x in v {
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}
