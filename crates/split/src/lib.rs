//! `dockstage split`: rewrites a single-stage build into a `builder` stage that runs the
//! original build and a `runtime` stage on a slim base that receives only the results.
//!
//! The builder is the original stage, unchanged but for a few lines that make its results easy
//! to pick up (pip aimed at one prefix, `CGO_ENABLED=0`, a final `npm prune --omit=dev`). The
//! runtime stage replays the original's configuration (ENV, WORKDIR, USER, EXPOSE, LABEL,
//! HEALTHCHECK, VOLUME, STOPSIGNAL, CMD, ENTRYPOINT, SHELL, ARG), installs only the runtime apt
//! packages (compilers, headers and fetch tools stay behind; `-dev` packages become their runtime
//! library), reruns cheap user and directory setup, and copies what the application runs with
//! from the builder with `COPY --from=builder`.
//!
//! Which results are copied depends on the ecosystem, one module each: [`python`], [`node`],
//! [`go`], [`rust`], [`java`]. What `split` cannot move is refused with the line, never half
//! rewritten.

mod bases;
pub mod go;
pub mod java;
pub mod node;
mod packages;
pub mod python;
pub mod rust;

use dockstage_model::shell::{run_bodies, shells_in_force, PackageManager, ShellKind, SimpleCommand};
use dockstage_syntax::{Dockerfile, Instruction, Keyword};
use serde::Serialize;
use std::path::PathBuf;

pub use bases::slim_base;
pub use packages::{is_build_only, runtime_library_of};

#[derive(Debug, Clone, Default)]
pub struct SplitOptions {
    /// The runtime stage's base; default: the slim variant of the original base.
    pub runtime_base: Option<String>,
    /// The builder stage's base; default: the original base.
    pub builder_base: Option<String>,
    /// The build context, when known: lets split look at sources (`import "C"`, `Cargo.lock`,
    /// which Go packages use TLS) instead of assuming.
    pub context: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Ecosystem {
    Python,
    Node,
    Go,
    Rust,
    Java,
}

impl Ecosystem {
    pub fn name(self) -> &'static str {
        match self {
            Ecosystem::Python => "Python",
            Ecosystem::Node => "Node",
            Ecosystem::Go => "Go",
            Ecosystem::Rust => "Rust",
            Ecosystem::Java => "Java",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SplitOutput {
    pub dockerfile: String,
    pub ecosystem: Ecosystem,
    pub builder_base: String,
    pub runtime_base: String,
    /// apt packages left in the builder.
    pub builder_only_packages: Vec<String>,
    /// apt packages the runtime stage installs.
    pub runtime_packages: Vec<String>,
    /// Paths copied from the builder into the runtime stage.
    pub copied_paths: Vec<String>,
    /// Why each move was made, as the comments in the output say it.
    pub reasons: Vec<String>,
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

pub(crate) fn refuse(ins: &Instruction, message: impl Into<String>) -> Refusal {
    Refusal { line: ins.start_line, column: ins.column, message: message.into() }
}

const OS_MANAGERS: &[PackageManager] = &[PackageManager::Apt, PackageManager::Apk, PackageManager::Yum, PackageManager::Dnf, PackageManager::Microdnf];

/// One command of a RUN, with the text it was written as.
pub(crate) struct Cmd {
    pub command: SimpleCommand,
    pub text: Option<String>,
}

/// One RUN of the stage.
pub(crate) struct Run {
    /// Index into [`Scan::body`].
    pub at: usize,
    pub commands: Vec<Cmd>,
    /// The WORKDIR in force.
    pub workdir: String,
}

/// What the single stage does, read once before anything is written.
pub(crate) struct Scan<'a> {
    pub source: &'a str,
    pub from: &'a Instruction,
    pub base: String,
    /// The instructions after FROM.
    pub body: &'a [Instruction],
    pub runs: Vec<Run>,
    /// OS packages installed, in order.
    pub apt: Vec<String>,
    /// The OS package manager that installs them (apt, apk, yum, dnf or microdnf).
    pub os: PackageManager,
    /// The words of CMD, ENTRYPOINT and HEALTHCHECK: what runs at run time.
    pub runtime_words: String,
    /// ENV pairs in order.
    pub env: Vec<(String, String)>,
    /// The WORKDIR in force at each body instruction.
    pub workdirs: Vec<String>,
    pub options: &'a SplitOptions,
}

impl Scan<'_> {
    pub fn last(&self, kind: Keyword) -> Option<&Instruction> {
        self.body.iter().rev().find(|i| i.effective().kind == kind)
    }

    pub fn env_value(&self, key: &str) -> Option<&str> {
        self.env.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Whether a word is run at run time (CMD, ENTRYPOINT or HEALTHCHECK names it).
    pub fn runs_at_runtime(&self, word: &str) -> bool {
        self.runtime_words.split(|c: char| !c.is_alphanumeric() && c != '-' && c != '_' && c != '.').any(|w| w == word)
    }

    /// The command the container runs: ENTRYPOINT then CMD, as words.
    pub fn run_command(&self) -> Vec<String> {
        let mut words = Vec::new();
        for kind in [Keyword::Entrypoint, Keyword::Cmd] {
            if let Some(i) = self.last(kind) {
                let i = i.effective();
                if i.json {
                    words.extend(i.args.iter().cloned());
                } else {
                    words.extend(i.args.join(" ").split_whitespace().map(String::from));
                }
            }
        }
        words
    }
}

/// What an ecosystem module decides: how the builder is adjusted and what the runtime receives.
pub(crate) struct Plan {
    pub ecosystem: Ecosystem,
    pub runtime_base: String,
    /// Inserted right after the builder's FROM.
    pub builder_head: String,
    /// Inserted before the body instruction at the index.
    pub builder_inserts: Vec<(usize, String)>,
    /// Appended after the builder's last instruction.
    pub builder_tail: String,
    pub reasons: Vec<String>,
    /// Packages the runtime installs on top of those the apt classification moves.
    pub extra_runtime_packages: Vec<String>,
    /// Copy every WORKDIR and COPY/ADD destination in its final builder state.
    pub copy_app_paths: bool,
    /// Emitted in the runtime stage in place of the first RUN at the index.
    pub deps_copy: Option<(usize, String)>,
    /// Copied (source, destination) just before the trailing config.
    pub artifacts: Vec<(String, String)>,
    /// Right after the runtime FROM.
    pub runtime_head: String,
    /// The runtime base has no shell: RUNs are not replayed and shell-form commands are turned
    /// into exec form.
    pub shell_less: bool,
    /// apt packages whose files the plan copies itself (CA certificates into scratch).
    pub covered_packages: Vec<String>,
}

impl Plan {
    pub fn new(ecosystem: Ecosystem, runtime_base: String) -> Plan {
        Plan {
            ecosystem,
            runtime_base,
            builder_head: String::new(),
            builder_inserts: Vec::new(),
            builder_tail: String::new(),
            reasons: Vec::new(),
            extra_runtime_packages: Vec::new(),
            copy_app_paths: false,
            deps_copy: None,
            artifacts: Vec::new(),
            runtime_head: String::new(),
            shell_less: false,
            covered_packages: Vec::new(),
        }
    }
}

/// Rewrites `source` (a single-stage build) into a builder and a runtime stage.
pub fn split(source: &str, opts: &SplitOptions) -> Result<SplitOutput, Refusal> {
    let df = dockstage_syntax::parse(source).map_err(|e| Refusal { line: e.line.max(1), column: e.column.max(1), message: e.message.clone() })?;
    split_parsed(source, &df, opts)
}

/// [`split`] for a caller that has parsed `source` already (`df` must be its parse).
pub fn split_parsed(source: &str, df: &Dockerfile, opts: &SplitOptions) -> Result<SplitOutput, Refusal> {
    let scan = scan(source, df, opts)?;
    let ecosystem = detect(&scan)?;
    let plan = match ecosystem {
        Ecosystem::Python => python::plan(&scan)?,
        Ecosystem::Node => node::plan(&scan)?,
        Ecosystem::Go => go::plan(&scan)?,
        Ecosystem::Rust => rust::plan(&scan)?,
        Ecosystem::Java => java::plan(&scan)?,
    };
    write(&scan, plan)
}

fn scan<'a>(source: &'a str, df: &'a Dockerfile, opts: &'a SplitOptions) -> Result<Scan<'a>, Refusal> {
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
    if df.escape != '\\' {
        return Err(refuse(from, "the escape directive is not `\\`: split writes `\\` line continuations"));
    }
    let shells: Vec<ShellKind> = shells_in_force(df);
    let body = &df.instructions[from_idx + 1..];
    let mut scan = Scan {
        source,
        from,
        base,
        body,
        runs: Vec::new(),
        apt: Vec::new(),
        os: PackageManager::Apt,
        runtime_words: String::new(),
        env: Vec::new(),
        workdirs: Vec::new(),
        options: opts,
    };
    let mut workdir = "/".to_string();
    for (n, ins) in body.iter().enumerate() {
        if ins.kind == Keyword::Onbuild {
            return Err(refuse(ins, "ONBUILD: split cannot tell which stage the trigger belongs to"));
        }
        let eff = ins.effective();
        match eff.kind {
            Keyword::Workdir => workdir = join(&workdir, eff.args.first().map_or("/", String::as_str)),
            Keyword::Env => scan.env.extend(eff.key_values().into_iter().map(|(k, v)| (k.to_string(), unquote(v)))),
            Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck => {
                scan.runtime_words.push(' ');
                scan.runtime_words.push_str(&eff.args.join(" "));
            }
            _ => {}
        }
        scan.workdirs.push(workdir.clone());
        if eff.kind != Keyword::Run {
            continue;
        }
        let mut commands = Vec::new();
        for b in run_bodies(ins, &shells[from_idx + 1 + n]) {
            for c in b.script.commands() {
                let p = c.program();
                if let Some(m) = OS_MANAGERS.iter().copied().find(|m| m.is_install(c)) {
                    if !scan.apt.is_empty() && scan.os != m {
                        return Err(refuse(ins, "two OS package managers in one stage: split cannot tell which one the runtime base has"));
                    }
                    scan.os = m;
                    scan.apt.extend(m.packages(c).into_iter().map(|p| p.name));
                } else if p == "zypper" && c.args.iter().any(|a| a == "install" || a == "in") {
                    return Err(refuse(ins, "zypper packages are not split yet (apt, apk, yum and dnf are): split cannot tell which of them the application needs at run time"));
                } else if p == "make" && c.has_arg("install") {
                    return Err(refuse(ins, "make install writes into the system's own directories: split cannot tell which of its files the application needs"));
                } else if matches!(p, "conda" | "mamba" | "micromamba") {
                    return Err(refuse(ins, format!("{p} environments are not split yet")));
                }
                commands.push(Cmd { command: c.clone(), text: b.text.get(c.span.start..c.span.end).map(String::from) });
            }
        }
        scan.runs.push(Run { at: n, commands, workdir: workdir.clone() });
    }
    Ok(scan)
}

/// Which ecosystem builds the application; two in one stage are refused.
fn detect(scan: &Scan) -> Result<Ecosystem, Refusal> {
    let mut found: Vec<(Ecosystem, &Instruction)> = Vec::new();
    for run in &scan.runs {
        for c in &run.commands {
            let eco = if python::is_install(&c.command) {
                Some(Ecosystem::Python)
            } else if node::is_install(&c.command) {
                Some(Ecosystem::Node)
            } else if go::is_build(&c.command) {
                Some(Ecosystem::Go)
            } else if rust::is_build(&c.command) {
                Some(Ecosystem::Rust)
            } else if java::is_build(&c.command) {
                Some(Ecosystem::Java)
            } else {
                None
            };
            if let Some(e) = eco {
                if !found.iter().any(|(f, _)| *f == e) {
                    found.push((e, &scan.body[run.at]));
                }
            }
        }
    }
    match found.as_slice() {
        [] => Err(refuse(
            scan.from,
            "nothing split knows how to move: no pip/poetry/uv install, npm/yarn/pnpm install, go build, cargo build or maven/gradle build in this stage",
        )),
        [(e, _)] => Ok(*e),
        [(a, at_a), (b, at_b), ..] => Err(refuse(
            at_b,
            format!(
                "the stage builds both {} (line {}) and {} (line {}): split moves one ecosystem per file",
                a.name(),
                at_a.start_line,
                b.name(),
                at_b.start_line
            ),
        )),
    }
}

/// The apt packages split by what they are for: (builder only, runtime, reasons).
pub(crate) fn classify_apt(scan: &Scan, extra_runtime: &[String]) -> (Vec<String>, Vec<String>, Vec<String>) {
    let mut builder_only = Vec::new();
    let mut runtime: Vec<String> = Vec::new();
    let mut why = Vec::new();
    for p in dedup(scan.apt.clone()) {
        if scan.runs_at_runtime(&p) {
            why.push(format!("{p} moves: CMD/ENTRYPOINT/HEALTHCHECK runs it"));
            runtime.push(p);
        } else if let Some(lib) = packages::runtime_library_for(scan.os, &p) {
            let lib = packages::for_release(lib, &scan.base);
            why.push(format!("{p} stays in the builder (headers); {lib}, its runtime library, moves"));
            builder_only.push(p);
            runtime.push(packages::for_release(lib, &scan.base));
        } else if packages::is_build_only_for(scan.os, &p) {
            let what = if (p.ends_with("-dev") || p.ends_with("-devel")) && !packages::is_header_only(&p) {
                "headers, no runtime library known to split: add it to the runtime stage if something links against it"
            } else {
                "only needed to build"
            };
            why.push(format!("{p} stays in the builder ({what})"));
            builder_only.push(p);
        } else {
            why.push(format!("{p} moves (not a build tool)"));
            runtime.push(p);
        }
    }
    runtime.extend(extra_runtime.iter().cloned());
    (builder_only, dedup(runtime), why)
}

fn write(scan: &Scan, plan: Plan) -> Result<SplitOutput, Refusal> {
    let source = scan.source;
    let opts = scan.options;
    let builder_base = opts.builder_base.clone().unwrap_or_else(|| scan.base.clone());
    let runtime_base = opts.runtime_base.clone().unwrap_or_else(|| plan.runtime_base.clone());
    let shell_less = plan.shell_less || is_shell_less(&runtime_base);
    let (builder_only, mut runtime_pkgs, apt_why) = classify_apt(scan, &plan.extra_runtime_packages);
    runtime_pkgs.retain(|p| !plan.covered_packages.contains(p));
    if shell_less && !runtime_pkgs.is_empty() {
        return Err(refuse(
            scan.from,
            format!("the runtime base {runtime_base} has no shell or package manager, but the application needs {}", runtime_pkgs.join(", ")),
        ));
    }
    let mut reasons = plan.reasons.clone();
    reasons.extend(apt_why);
    if shell_less {
        for ins in scan.body.iter().filter(|i| matches!(i.kind, Keyword::Cmd | Keyword::Entrypoint) && !i.json) {
            reasons.push(format!("the {} of line {} is written in exec form: {runtime_base} has no shell to run it", ins.kind.as_str(), ins.start_line));
        }
    }

    // ---- builder: the original stage with the plan's additions.
    let mut out = String::new();
    out.push_str(&source[..scan.from.span.start]);
    out.push_str("# ---- builder: the original build (compilers, headers, dev dependencies) ----\n");
    let platform = scan.from.flags.iter().map(|f| format!("{} ", f.raw)).collect::<String>();
    out.push_str(&format!("FROM {platform}{builder_base} AS builder\n"));
    out.push_str(&plan.builder_head);
    // The FROM line was rewritten above with its own newline: the original's goes with it.
    let mut cursor = scan.from.span.end;
    let rest = &source[cursor..];
    let blank = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    if rest[blank..].starts_with("\r\n") {
        cursor += blank + 2;
    } else if rest[blank..].starts_with('\n') {
        cursor += blank + 1;
    }
    let mut inserts = plan.builder_inserts.clone();
    inserts.sort_by_key(|(n, _)| *n);
    for (n, text) in inserts {
        let at = scan.body[n].span.start;
        out.push_str(&source[cursor..at]);
        out.push_str(&text);
        cursor = at;
    }
    out.push_str(source[cursor..].trim_end());
    out.push('\n');
    out.push_str(&plan.builder_tail);

    // ---- runtime
    out.push_str(&format!("\n# ---- runtime: {runtime_base}, only what the application runs with ----\n"));
    for w in &reasons {
        out.push_str(&format!("# split: {w}\n"));
    }
    out.push_str(&format!("FROM {platform}{runtime_base} AS runtime\n"));
    out.push_str(&plan.runtime_head);
    let mut copies: Vec<(String, Option<String>)> = Vec::new();
    let mut apt_done = runtime_pkgs.is_empty();
    let mut config = String::new();
    for (n, ins) in scan.body.iter().enumerate() {
        let eff = ins.effective();
        let text = &source[ins.span.start..ins.span.end];
        let workdir = &scan.workdirs[n];
        match eff.kind {
            Keyword::Workdir => {
                if plan.copy_app_paths && workdir != "/" {
                    if let Some(tree) = system_tree(workdir) {
                        return Err(refuse(ins, format!("WORKDIR {tree} is a system directory: split cannot copy it whole as the application's files")));
                    }
                    copies.push((workdir.clone(), None));
                }
                config.push_str(text);
                config.push('\n');
            }
            Keyword::Copy | Keyword::Add if eff.flag("from").is_none() => {
                if !plan.copy_app_paths {
                    continue;
                }
                let mut args: Vec<String> = eff.args.clone();
                let dest = args.pop().unwrap_or_default();
                let dest_abs = join(workdir, &dest);
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
                    if let Some(tree) = system_tree(&path) {
                        return Err(refuse(ins, format!("copies into {tree}, a system directory: split cannot copy it whole into the runtime stage")));
                    }
                    copies.push((path, chown.clone()));
                }
            }
            Keyword::Run => {
                let run = scan.runs.iter().find(|r| r.at == n);
                if let Some((at, lines)) = &plan.deps_copy {
                    if *at == n {
                        config.push_str(lines);
                    }
                }
                let Some(run) = run else { continue };
                let has_apt = run.commands.iter().any(|c| scan.os.is_install(&c.command));
                let setup: Vec<&str> = run.commands.iter().filter(|c| is_setup(&c.command)).filter_map(|c| c.text.as_deref()).collect();
                if has_apt && !apt_done {
                    config.push_str(&os_install(scan.os, &runtime_pkgs));
                    apt_done = true;
                }
                if shell_less {
                    config.push_str(&format!("# split: line {} runs in the builder only ({runtime_base} has no shell)\n", ins.start_line));
                } else if !setup.is_empty() {
                    config.push_str(&format!("RUN {}\n", setup.join(" \\\n && ")));
                } else if !has_apt && plan.deps_copy.as_ref().is_none_or(|(at, _)| *at != n) {
                    config.push_str(&format!("# split: line {} is a build step; it runs in the builder only\n", ins.start_line));
                }
            }
            Keyword::Cmd | Keyword::Entrypoint if shell_less && !eff.json => {
                let Some(exec) = exec_form(&eff.args.join(" ")) else {
                    return Err(refuse(ins, format!("{} in shell form needs /bin/sh, which {runtime_base} has not; write it in exec form", eff.kind.as_str())));
                };
                config.push_str(&format!("{} {exec}\n", eff.kind.as_str()));
            }
            Keyword::Healthcheck if shell_less && eff.args.first().is_some_and(|t| t.eq_ignore_ascii_case("cmd")) => {
                return Err(refuse(ins, format!("HEALTHCHECK runs a command, and {runtime_base} has none to run: give --runtime-base a base with the tools it needs")));
            }
            Keyword::Shell if shell_less => {}
            _ => {
                config.push_str(text);
                config.push('\n');
            }
        }
    }
    if !apt_done {
        // No RUN installed packages in the original, but the plan needs some.
        config.insert_str(0, &os_install(scan.os, &runtime_pkgs));
    }
    // Application paths: the outermost of each nested set, copied in their final builder state.
    let mut paths: Vec<(String, Option<String>)> = Vec::new();
    for (p, chown) in &copies {
        if copies.iter().any(|(q, _)| q != p && is_under(p, q)) || paths.iter().any(|(q, _)| q == p) {
            continue;
        }
        paths.push((p.clone(), chown.clone()));
    }
    // A file a RUN put anywhere else would be missing from the runtime stage: refuse rather than
    // drop it silently.
    let deps_paths: Vec<&str> = plan.deps_copy.iter().flat_map(|(_, l)| l.lines()).filter_map(|l| l.strip_prefix("COPY --from=builder ")).filter_map(|l| l.split_whitespace().last()).collect();
    let kept = |p: &str| {
        const SCRATCH: &[&str] = &["/tmp", "/var/tmp", "/root/.cache", "/var/cache", "/var/lib/apt", "/root/.m2", "/root/.gradle", "/go/pkg"];
        paths.iter().map(|(q, _)| q.as_str()).chain(deps_paths.iter().copied()).chain(plan.artifacts.iter().map(|(s, _)| s.as_str())).chain(scan.workdirs.iter().map(String::as_str).filter(|w| *w != "/")).chain(SCRATCH.iter().copied()).any(|q| q == p || is_under(p, q))
    };
    for (run, c, dir) in commands_with_dirs(scan) {
        if let Some(p) = written_paths(c, &dir).into_iter().find(|p| !kept(p)) {
            return Err(refuse(&scan.body[run.at], format!("{} writes {p}, outside the application's directories: split would not carry it into the runtime stage", c.program())));
        }
    }
    // Copies go after the config: CMD and friends are last either way, and USER does not
    // change COPY's ownership.
    let (before_tail, tail) = split_tail(&config);
    out.push_str(&before_tail);
    if !paths.is_empty() {
        out.push_str("# split: the application's files as the build left them (sources, build outputs, data).\n");
    }
    for (p, chown) in &paths {
        let chown = chown.as_ref().map(|c| format!("--chown={c} ")).unwrap_or_default();
        out.push_str(&format!("COPY --from=builder {chown}{p} {p}\n"));
    }
    for (src, dest) in &plan.artifacts {
        out.push_str(&format!("COPY --from=builder {src} {dest}\n"));
    }
    out.push_str(&tail);
    let mut copied: Vec<String> = Vec::new();
    if let Some((_, lines)) = &plan.deps_copy {
        copied.extend(lines.lines().filter_map(|l| l.strip_prefix("COPY --from=builder ")).filter_map(|l| l.split_whitespace().last()).map(String::from));
    }
    copied.extend(paths.into_iter().map(|(p, _)| p));
    copied.extend(plan.artifacts.iter().map(|(_, d)| d.clone()));
    Ok(SplitOutput {
        dockerfile: out,
        ecosystem: plan.ecosystem,
        builder_base,
        runtime_base,
        builder_only_packages: builder_only,
        runtime_packages: runtime_pkgs,
        copied_paths: copied,
        reasons,
    })
}

/// The runtime stage's install, cleaning up after itself so no package cache ships.
fn os_install(manager: PackageManager, pkgs: &[String]) -> String {
    let pkgs = pkgs.join(" ");
    match manager {
        PackageManager::Apk => format!("RUN apk add --no-cache {pkgs}\n"),
        PackageManager::Yum | PackageManager::Dnf | PackageManager::Microdnf => {
            let m = format!("{manager:?}").to_ascii_lowercase();
            format!("RUN {m} install -y {pkgs} \\\n && {m} clean all\n")
        }
        _ => format!("RUN apt-get update \\\n && apt-get install -y --no-install-recommends {pkgs} \\\n && rm -rf /var/lib/apt/lists/*\n"),
    }
}

/// Bases without a shell: `scratch` and the distroless family.
pub(crate) fn is_shell_less(base: &str) -> bool {
    base == "scratch" || (base.contains("distroless") && !base.contains(":debug"))
}

/// A shell-form command as an exec-form JSON array, when the shell adds nothing to it.
pub(crate) fn exec_form(command: &str) -> Option<String> {
    if command.trim().is_empty() || command.contains(['$', '|', '&', ';', '<', '>', '(', ')', '\'', '"', '\\', '`', '*', '?', '~', '#']) {
        return None;
    }
    let words: Vec<String> = command.split_whitespace().map(|w| format!("\"{w}\"")).collect();
    Some(format!("[{}]", words.join(", ")))
}

/// The system tree `path` would bring whole, if it is one.
fn system_tree(path: &str) -> Option<&'static str> {
    const TREES: &[&str] = &["/usr", "/usr/local", "/usr/lib", "/usr/share", "/usr/bin", "/usr/local/bin", "/usr/local/lib", "/opt", "/var", "/etc", "/bin", "/lib", "/root", "/home", "/go", "/tmp"];
    TREES.iter().copied().find(|t| *t == path)
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

/// Commands that shape the runtime filesystem cheaply and are replayed there.
fn is_setup(c: &SimpleCommand) -> bool {
    matches!(c.program(), "useradd" | "groupadd" | "adduser" | "addgroup" | "usermod" | "mkdir" | "chown" | "chmod" | "ln" | "touch" | "update-ca-certificates")
}

/// `p` made absolute against `base`, with `.` and `..` resolved.
pub(crate) fn join(base: &str, p: &str) -> String {
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

pub(crate) fn is_under(p: &str, dir: &str) -> bool {
    dir == "/" || p.starts_with(&format!("{}/", dir.trim_end_matches('/')))
}

pub(crate) fn dedup(v: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for x in v {
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    if v.len() >= 2 && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\''))) {
        v[1..v.len() - 1].to_string()
    } else {
        v.to_string()
    }
}

/// The Go/Rust/Java artifact path the container runs, if its first word names one.
pub(crate) fn run_target(scan: &Scan) -> Option<String> {
    let words = scan.run_command();
    let first = words.first()?;
    let wd = scan.workdirs.last().cloned().unwrap_or_else(|| "/".into());
    Some(if first.contains('/') { join(&wd, first) } else { first.clone() })
}

/// Whether the container's program is written as a path rather than a name looked up in PATH.
pub(crate) fn run_command_is_path(scan: &Scan) -> bool {
    scan.run_command().first().is_some_and(|w| w.contains('/'))
}

/// The paths a command writes outside its package manager: downloads, copies, extractions.
pub(crate) fn written_paths(c: &SimpleCommand, dir: &str) -> Vec<String> {
    let positional: Vec<&str> = c.positional().collect();
    let raw: Vec<String> = match c.program() {
        "wget" => c.flag_values("O").into_iter().chain(c.flag_values("output-document")).map(String::from).collect(),
        "curl" => c.flag_values("o").into_iter().chain(c.flag_values("output")).map(String::from).collect(),
        "cp" | "mv" | "rsync" if positional.len() >= 2 => vec![positional[positional.len() - 1].to_string()],
        "install" if !c.has_flag("d") && positional.len() >= 2 => vec![positional[positional.len() - 1].to_string()],
        "tar" if c.args.first().is_some_and(|a| a.contains('x')) || c.has_flag("x") || c.has_flag("extract") => {
            c.flag_values("C").into_iter().chain(c.flag_values("directory")).map(String::from).collect()
        }
        "unzip" => c.flag_values("d").into_iter().map(String::from).collect(),
        "git" if positional.first() == Some(&"clone") && positional.len() >= 3 => vec![positional[positional.len() - 1].to_string()],
        _ => Vec::new(),
    };
    raw.into_iter().filter(|p| p != "-" && !p.starts_with("/dev/") && !p.contains('$')).map(|p| join(dir, &p)).collect()
}

/// Each RUN command with the directory it runs in, `cd` followed.
pub(crate) fn commands_with_dirs<'s>(scan: &'s Scan) -> Vec<(&'s Run, &'s SimpleCommand, String)> {
    let mut out = Vec::new();
    for run in &scan.runs {
        let mut dir = run.workdir.clone();
        for c in &run.commands {
            if c.command.is("cd") {
                if let Some(d) = c.command.positional().next() {
                    dir = join(&dir, d);
                }
            }
            out.push((run, &c.command, dir.clone()));
        }
    }
    out
}

/// Where the build put a program the container runs by its bare `name` (`cp target/release/app
/// /usr/local/bin/`).
pub(crate) fn placed_binary(scan: &Scan, name: &str) -> Option<String> {
    for (_, c, dir) in commands_with_dirs(scan) {
        if !matches!(c.program(), "cp" | "mv" | "install") {
            continue;
        }
        let positional: Vec<&str> = c.positional().collect();
        let [sources @ .., dest] = positional.as_slice() else { continue };
        if sources.is_empty() {
            continue;
        }
        let dest = join(&dir, dest);
        if dest.rsplit('/').next() == Some(name) {
            return Some(dest);
        }
        if sources.iter().any(|s| s.rsplit('/').next() == Some(name)) {
            return Some(join(&dest, name));
        }
    }
    None
}
