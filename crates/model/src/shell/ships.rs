//! Multi-stage knowledge the DS rules and `dockstage analyze` share: which stages ship, and what in
//! them should not. This is the one copy of that logic; lint rules only turn its findings into
//! lint findings.
//!
//! "The stage that ships" is the target stage (the last one unless a target is given) together with
//! every stage it is built `FROM`: their filesystems are the image's. Stages copied from with
//! `COPY --from` do not ship; only what is copied does.

use dockstage_syntax::ast::{Instruction, Keyword};

use super::checks::has_cache_mount_with;
use super::{run_bodies, PackageManager, ShellKind, ShellScript};
use crate::{Base, Build, EdgeKind, Source, TargetPlan};

/// A finding of a multi-stage check, tied to one instruction of one stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageFinding {
    /// Index into [`Build::stages`].
    pub stage: usize,
    /// Index into that stage's `instructions`; `None` means the stage's `FROM` line.
    pub instruction: Option<usize>,
    /// The line the finding is about.
    pub line: usize,
    /// What was found, short: `gcc, make`, `apt lists`, `ENV API_TOKEN`.
    pub subject: String,
    /// One sentence for the user.
    pub message: String,
}

impl StageFinding {
    fn at(build: &Build, stage: usize, instruction: Option<usize>, subject: String, message: String) -> StageFinding {
        let line = match instruction {
            Some(i) => build.stages[stage].instructions[i].start_line,
            None => build.stages[stage].line,
        };
        StageFinding { stage, instruction, line, subject, message }
    }
}

/// The stages whose filesystem is the image built for `plan`: the target, then the stages it is
/// built `FROM`, target first.
pub fn shipping_stages(build: &Build, plan: &TargetPlan) -> Vec<usize> {
    let mut out = vec![plan.target];
    while let Base::Stage { index } = build.stages[*out.last().expect("non-empty")].base {
        if out.contains(&index) {
            break;
        }
        out.push(index);
    }
    out
}

/// The SHELL in force at each instruction of `stage` (a stage starts with the SHELL its base stage
/// ended with, or `/bin/sh -c`).
pub fn stage_shells(build: &Build, stage: usize) -> Vec<ShellKind> {
    let mut chain = vec![stage];
    while let Base::Stage { index } = build.stages[*chain.last().expect("non-empty")].base {
        if chain.contains(&index) {
            break;
        }
        chain.push(index);
    }
    let mut shell = ShellKind::default();
    for &s in chain.iter().skip(1).rev() {
        for i in &build.stages[s].instructions {
            if i.kind == Keyword::Shell && i.json && !i.args.is_empty() {
                shell = ShellKind::new(i.args.clone());
            }
        }
    }
    build.stages[stage]
        .instructions
        .iter()
        .map(|i| {
            if i.kind == Keyword::Shell && i.json && !i.args.is_empty() {
                shell = ShellKind::new(i.args.clone());
            }
            shell.clone()
        })
        .collect()
}

/// The parsed scripts of each RUN of a stage: `(instruction index, its scripts)`.
pub type StageScripts = Vec<(usize, Vec<ShellScript>)>;

pub(crate) fn parse_stage_scripts(build: &Build, stage: usize) -> StageScripts {
    let shells = stage_shells(build, stage);
    build.stages[stage]
        .instructions
        .iter()
        .enumerate()
        .filter(|(_, i)| i.effective().kind == Keyword::Run)
        .map(|(n, i)| (n, run_bodies(i, &shells[n]).into_iter().map(|b| b.script).collect()))
        .collect()
}

/// The parsed scripts of each RUN of `stage`, by instruction index (parsed once per build).
fn stage_scripts(build: &Build, stage: usize) -> impl Iterator<Item = (usize, &Instruction, &[ShellScript])> {
    build.run_scripts(stage).iter().map(move |(n, scripts)| (*n, &build.stages[stage].instructions[*n], scripts.as_slice()))
}

/// Packages that are build toolchains: needed to compile, not to run.
pub fn is_toolchain_package(name: &str) -> bool {
    const EXACT: &[&str] = &[
        "build-essential", "gcc", "g++", "make", "cmake", "clang", "cargo", "rustc", "golang", "go",
        "node-gyp", "python3-dev", "python-dev", "gfortran", "autoconf", "automake", "libtool", "musl-dev",
        "build-base", "alpine-sdk", "gcc-c++", "ninja-build", "pkg-config", "pkgconf",
    ];
    let name = name.split([':', '=']).next().unwrap_or(name);
    EXACT.contains(&name) || name.ends_with("-dev") || name.ends_with("-devel") || name.starts_with("gcc-") || name.starts_with("g++-") || name.starts_with("golang-")
}

const OS_MANAGERS: &[PackageManager] = &[PackageManager::Apt, PackageManager::Apk, PackageManager::Yum, PackageManager::Dnf, PackageManager::Microdnf, PackageManager::Zypper];

/// Packages a script removes again (`apt-get purge`, `apk del`, `yum remove` ...), and apk
/// `--virtual` groups it deletes, so a toolchain installed and removed in one RUN does not ship.
fn removed_in_script(script: &ShellScript) -> (Vec<String>, Vec<String>) {
    let mut removed = Vec::new();
    let mut virtual_removed = Vec::new();
    for c in script.commands() {
        let p = c.program();
        let removes = match p {
            "apt-get" | "apt" => c.has_arg("purge") || c.has_arg("remove") || c.has_arg("autoremove"),
            "apk" => c.has_arg("del"),
            "yum" | "dnf" | "microdnf" => c.has_arg("remove") || c.has_arg("erase"),
            "zypper" => c.has_arg("remove") || c.has_arg("rm"),
            _ => false,
        };
        if removes {
            for a in c.positional() {
                removed.push(a.to_string());
                if p == "apk" {
                    virtual_removed.push(a.to_string());
                }
            }
        }
    }
    (removed, virtual_removed)
}

/// Build toolchains (compilers, `-dev` headers, `make`, `cargo`, `go`, `node-gyp`) installed in a
/// stage that ships and not removed in the same RUN.
pub fn toolchains_in_shipping_stage(build: &Build, plan: &TargetPlan) -> Vec<StageFinding> {
    let mut out = Vec::new();
    for s in shipping_stages(build, plan) {
        for (n, _, scripts) in stage_scripts(build, s) {
            let mut found: Vec<String> = Vec::new();
            for script in scripts {
                let (removed, virtual_removed) = removed_in_script(script);
                for c in script.commands() {
                    for m in OS_MANAGERS {
                        let virtual_group = c.flag_values("virtual").into_iter().chain(c.flag_values("t")).any(|v| virtual_removed.iter().any(|r| r == v));
                        if *m == PackageManager::Apk && virtual_group {
                            continue;
                        }
                        for p in m.packages(c) {
                            if is_toolchain_package(&p.name) && !removed.contains(&p.name) && !found.contains(&p.name) {
                                found.push(p.name);
                            }
                        }
                    }
                    let npm_gyp = c.is("npm") && c.args.iter().any(|a| a == "node-gyp");
                    if npm_gyp && !found.iter().any(|f| f == "node-gyp") {
                        found.push("node-gyp".into());
                    }
                }
            }
            if !found.is_empty() {
                let list = found.join(", ");
                out.push(StageFinding::at(
                    build,
                    s,
                    Some(n),
                    list.clone(),
                    format!("build toolchain {list} installed in the stage that ships; install it in a builder stage and COPY --from only what it builds"),
                ));
            }
        }
    }
    out
}

/// Package-manager caches and lists left in a stage that ships. pip's cache is the `pip-no-cache`
/// practice's (DS006), which judges every stage the target builds, so it is not repeated here.
pub fn caches_in_shipping_stage(build: &Build, plan: &TargetPlan) -> Vec<StageFinding> {
    const CHECKS: &[(PackageManager, &str, &str)] = &[
        (PackageManager::Apt, "/var/lib/apt/lists", "apt lists (/var/lib/apt/lists)"),
        (PackageManager::Apk, "/var/cache/apk", "apk cache"),
        (PackageManager::Yum, "/var/cache/yum", "yum cache"),
        (PackageManager::Dnf, "/var/cache/dnf", "dnf cache"),
        (PackageManager::Zypper, "/var/cache/zypp", "zypper cache"),
        (PackageManager::Npm, ".npm", "npm cache"),
        (PackageManager::Yarn, ".cache/yarn", "yarn cache"),
    ];
    let mut out = Vec::new();
    for s in shipping_stages(build, plan) {
        for (n, ins, scripts) in stage_scripts(build, s) {
            let mut left: Vec<&str> = Vec::new();
            for script in scripts {
                for (m, mount, what) in CHECKS {
                    let installs = script.commands().any(|c| m.is_install(c));
                    if installs && !script.uses_cache_cleanup(*m) && !has_cache_mount_with(ins, mount) && !left.contains(what) {
                        left.push(what);
                    }
                }
            }
            if !left.is_empty() {
                let list = left.join(", ");
                out.push(StageFinding::at(
                    build,
                    s,
                    Some(n),
                    list.clone(),
                    format!("{list} left in the stage that ships; clean up in the same RUN or use a --mount=type=cache"),
                ));
            }
        }
    }
    out
}

/// Names that look like secrets.
pub fn is_secret_name(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "ACCESS_KEY", "CREDENTIAL"].iter().any(|p| n.contains(p))
}

/// Source paths that are secrets or a repository's history.
pub fn is_secret_path(path: &str) -> bool {
    let path = path.trim_matches(|c| c == '"' || c == '\'');
    let base = path.trim_end_matches('/').rsplit('/').next().unwrap_or(path);
    base == ".env" || (base.starts_with(".env.") && !base.ends_with(".example") && !base.ends_with(".sample"))
        || base == ".git" || base == ".npmrc" || base == ".pypirc" || base == ".netrc"
        || base.starts_with("id_rsa") || base.starts_with("id_ed25519") || base.starts_with("id_ecdsa")
        || base.ends_with(".pem") || base.ends_with(".key") || base.ends_with(".p12") || base.ends_with(".pfx")
}

/// Secrets (ARG/ENV names, COPY/ADD of .env, keys, .git) reaching a stage that ships.
pub fn secrets_in_shipping_stage(build: &Build, plan: &TargetPlan) -> Vec<StageFinding> {
    let mut out = Vec::new();
    for s in shipping_stages(build, plan) {
        for (n, ins) in build.stages[s].instructions.iter().enumerate() {
            let ins = ins.effective();
            let mut push = |subject: String, message: String| out.push(StageFinding::at(build, s, Some(n), subject, message));
            match ins.kind {
                Keyword::Arg => {
                    for a in &ins.args {
                        let name = a.split('=').next().unwrap_or(a);
                        if is_secret_name(name) {
                            push(format!("ARG {name}"), format!("ARG {name} looks like a secret and is visible in the image history; pass it with RUN --mount=type=secret"));
                        }
                    }
                }
                Keyword::Env => {
                    for (k, _) in ins.key_values() {
                        if is_secret_name(k) {
                            push(format!("ENV {k}"), format!("ENV {k} looks like a secret and ships in the image config; pass it with RUN --mount=type=secret"));
                        }
                    }
                }
                Keyword::Copy | Keyword::Add if !ins.json => {
                    for src in crate::copy_paths_of(ins) {
                        if is_secret_path(&src) {
                            push(src.clone(), format!("{} copies {src} into the stage that ships; keep it out with .dockerignore or a secret mount", ins.kind.as_str()));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// Directories that hold a toolchain or a package manager's whole installation: copying one out of
/// a builder ships the compiler the builder existed to keep out.
pub const TOOLCHAIN_TREES: &[&str] = &[
    "/usr/local/go", "/usr/lib/go", "/usr/local/cargo", "/usr/local/rustup", "/root/.cargo", "/root/.rustup", "/usr/lib/gcc",
    "/usr/libexec/gcc", "/usr/include", "/usr/local/include", "/usr/lib/jvm", "/opt/conda", "/root/go", "/go",
];

/// Sources that are a whole filesystem or one of its system trees.
const WHOLE_TREES: &[&str] = &["/", "/usr", "/usr/local", "/usr/lib", "/opt", "/var", "/etc", "/bin", "/lib", "/root", "/home"];

/// `COPY --from` into a shipping stage that copies a whole filesystem (`/`, `/usr` ...) or a
/// toolchain tree (`/usr/local/go`, `/root/.cargo` ...). Copying from an external image is judged
/// the same way: its toolchain ships as well.
pub fn whole_tree_copies(build: &Build, plan: &TargetPlan) -> Vec<StageFinding> {
    let ships = shipping_stages(build, plan);
    let mut out = Vec::new();
    for e in build.edges.iter().filter(|e| matches!(e.kind, EdgeKind::Copy | EdgeKind::Add) && ships.contains(&e.to)) {
        let from = match &e.from {
            Source::Stage { index } => build.stages[*index].display_name(),
            Source::Image { image } => image.raw.clone(),
        };
        for src in &e.sources {
            let norm = normalize_dir(src);
            let what = if WHOLE_TREES.contains(&norm.as_str()) {
                "a whole filesystem tree"
            } else if TOOLCHAIN_TREES.iter().any(|t| norm == *t || norm.starts_with(&format!("{t}/bin")) && norm.split('/').count() <= t.split('/').count() + 1) {
                "a toolchain tree"
            } else {
                continue;
            };
            let n = build.stages[e.to].instructions.iter().position(|i| i.start_line == e.line);
            out.push(StageFinding::at(
                build,
                e.to,
                n,
                format!("{from}:{norm}"),
                format!("COPY --from={} {src} copies {what} into the stage that ships; copy only the built artifacts", e.reference),
            ));
        }
    }
    out
}

fn normalize_dir(p: &str) -> String {
    let p = p.trim_matches(|c| c == '"' || c == '\'');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Stage names that are targets by convention (`docker build --target test`).
const TARGET_NAMES: &[&str] = &["test", "tests", "testing", "dev", "develop", "development", "debug", "lint", "ci", "docs", "release", "prod", "production"];

/// Named stages that the last stage does not need and no other stage uses: they build only when
/// someone passes `--target <name>`. Unnamed ones cannot even be targeted, so they are dead code.
/// Stages named like conventional targets (`test`, `dev`, `debug` ...) are taken as intended.
pub fn unused_stages(build: &Build) -> Vec<StageFinding> {
    let Ok(default) = build.target(None) else { return Vec::new() };
    let mut out = Vec::new();
    for &s in &default.skipped {
        let used = build.edges.iter().any(|e| e.source_stage() == Some(s) && e.to != s);
        let stage = &build.stages[s];
        if used || stage.name.as_deref().is_some_and(|n| TARGET_NAMES.contains(&n)) {
            continue;
        }
        let name = stage.display_name();
        let message = match &stage.name {
            Some(_) => format!("stage {name} is not used by the final stage or any other stage; it builds only with --target {name}"),
            None => format!("unnamed stage {name} is not used by any stage and cannot be a --target: it never builds"),
        };
        out.push(StageFinding::at(build, s, None, name, message));
    }
    out
}

/// The base image of the image that ships, when it is pinned by tag only (no `@sha256:` digest).
pub fn unpinned_shipping_base(build: &Build, plan: &TargetPlan) -> Option<StageFinding> {
    let root = *shipping_stages(build, plan).last().expect("non-empty");
    let stage = &build.stages[root];
    match &stage.base {
        Base::Image { image } if image.digest.is_none() && !stage.base_written.contains('$') => Some(StageFinding::at(
            build,
            root,
            None,
            image.raw.clone(),
            format!("the image that ships is based on {} without a digest; pin it (FROM {}@sha256:...) so rebuilds get the same base", image.raw, image.raw),
        )),
        _ => None,
    }
}

/// Whether a COPY/ADD source is the whole build context.
pub fn is_whole_context(src: &str) -> bool {
    matches!(src.trim_matches(|c| c == '"' || c == '\''), "." | "./" | "*" | "./*" | "./.")
}

/// The first plain COPY/ADD (not `--from`) of the whole context, as (stage, instruction index).
pub fn whole_context_copy(build: &Build) -> Option<(usize, usize)> {
    build.stages.iter().find_map(|s| {
        s.instructions
            .iter()
            .position(|i| matches!(i.kind, Keyword::Copy | Keyword::Add) && i.flag("from").is_none() && crate::copy_paths_of(i).iter().any(|p| is_whole_context(p)))
            .map(|n| (s.index, n))
    })
}

/// Entries a `.dockerignore` should keep out of a whole-context COPY, with a path that stands for
/// each (checked as BuildKit matches patterns: a pattern excluding a parent excludes the child).
pub const IGNORE_EXPECTED: &[(&str, &str)] = &[(".git", ".git/HEAD"), ("node_modules", "node_modules/x"), ("__pycache__", "pkg/__pycache__/m.pyc"), (".venv", ".venv/bin/python")];

/// Which of [`IGNORE_EXPECTED`] a `.dockerignore` lets into the context.
pub fn dockerignore_lets_in(text: &str) -> Vec<&'static str> {
    let patterns = parse_dockerignore(text);
    IGNORE_EXPECTED.iter().filter(|(_, path)| !is_excluded(&patterns, path)).map(|(name, _)| *name).collect()
}

/// A `.dockerignore`, read the way BuildKit reads it (see [`parse_dockerignore`]).
#[derive(Debug, Clone)]
pub struct DockerIgnore {
    patterns: Vec<(String, bool)>,
}

impl DockerIgnore {
    pub fn parse(text: &str) -> DockerIgnore {
        DockerIgnore { patterns: parse_dockerignore(text) }
    }

    /// Whether some line is a `!` exception.
    pub fn has_exceptions(&self) -> bool {
        self.patterns.iter().any(|(_, negated)| *negated)
    }

    /// Whether a context path (`/`-separated, relative to the context root) is left out of the
    /// context: the last pattern matching it or one of its parent directories decides.
    pub fn excludes(&self, path: &str) -> bool {
        is_excluded(&self.patterns, path)
    }

    /// The patterns that are not exceptions, as cleaned.
    pub fn exclusion_patterns(&self) -> impl Iterator<Item = &str> {
        self.patterns.iter().filter(|(_, negated)| !negated).map(|(p, _)| p.as_str())
    }
}

/// `(pattern, exclusion)`: lines of a `.dockerignore`, cleaned the way BuildKit reads them
/// (comments and blanks dropped, leading `/` removed, `!` marks an exception).
fn parse_dockerignore(text: &str) -> Vec<(String, bool)> {
    text.lines()
        .filter_map(|l| {
            let l = l.trim();
            if l.is_empty() || l.starts_with('#') {
                return None;
            }
            let (neg, p) = match l.strip_prefix('!') {
                Some(rest) => (true, rest.trim()),
                None => (false, l),
            };
            let p = normalize_dir(p);
            let p = p.trim_start_matches('/').to_string();
            Some((if p.is_empty() { ".".into() } else { p }, neg))
        })
        .collect()
}

/// The last matching pattern decides; a pattern matches a path or any of its parent directories.
fn is_excluded(patterns: &[(String, bool)], path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    let mut excluded = false;
    for (pattern, negated) in patterns {
        let hit = (1..=parts.len()).any(|n| glob_match(pattern, &parts[..n].join("/")));
        if hit {
            excluded = !negated;
        }
    }
    excluded
}

/// Go `filepath.Match` with BuildKit's `**` (any number of directories).
fn glob_match(pattern: &str, path: &str) -> bool {
    let p: Vec<&str> = pattern.split('/').collect();
    let s: Vec<&str> = path.split('/').collect();
    fn segs(p: &[&str], s: &[&str]) -> bool {
        match p.split_first() {
            None => s.is_empty(),
            Some((&"**", rest)) => (0..=s.len()).any(|k| segs(rest, &s[k..])),
            Some((first, rest)) => !s.is_empty() && seg_match(first.as_bytes(), s[0].as_bytes()) && segs(rest, &s[1..]),
        }
    }
    segs(&p, &s)
}

fn seg_match(p: &[u8], s: &[u8]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(b'*') => (0..=s.len()).any(|k| seg_match(&p[1..], &s[k..])),
        Some(b'?') => !s.is_empty() && seg_match(&p[1..], &s[1..]),
        Some(b'[') => {
            let Some(end) = p.iter().position(|&c| c == b']') else { return !s.is_empty() && s[0] == b'[' && seg_match(&p[1..], &s[1..]) };
            let Some(&c) = s.first() else { return false };
            let class = &p[1..end];
            let (neg, class) = match class.first() {
                Some(b'^') | Some(b'!') => (true, &class[1..]),
                _ => (false, class),
            };
            let mut hit = false;
            let mut i = 0;
            while i < class.len() {
                if i + 2 < class.len() && class[i + 1] == b'-' {
                    hit |= class[i] <= c && c <= class[i + 2];
                    i += 3;
                } else {
                    hit |= class[i] == c;
                    i += 1;
                }
            }
            hit != neg && seg_match(&p[end + 1..], &s[1..])
        }
        Some(b'\\') if p.len() > 1 => !s.is_empty() && s[0] == p[1] && seg_match(&p[2..], &s[1..]),
        Some(&c) => !s.is_empty() && s[0] == c && seg_match(&p[1..], &s[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerignore_matching_follows_buildkit() {
        assert_eq!(dockerignore_lets_in(""), vec![".git", "node_modules", "__pycache__", ".venv"]);
        assert!(dockerignore_lets_in(".git\nnode_modules\n**/__pycache__\n.venv\n").is_empty());
        // `__pycache__` alone only matches at the root; nested ones need `**/`.
        assert_eq!(dockerignore_lets_in(".git\nnode_modules\n__pycache__\n.venv\n"), vec!["__pycache__"]);
        // Exceptions re-include; the last match wins.
        assert_eq!(dockerignore_lets_in("*\n!.git\n"), vec![".git"]);
        assert!(dockerignore_lets_in("/.git/\n# c\nnode_*\n**/*.pyc\n**/__pycache__\n.v[e]nv").is_empty());
        assert_eq!(dockerignore_lets_in(".git\n.venv\n**/__pycache__"), vec!["node_modules"]);
    }

    #[test]
    fn whole_context_sources() {
        for s in [".", "./", "*", "./*"] {
            assert!(is_whole_context(s), "{s}");
        }
        for s in ["app", "./app", "requirements.txt", "*.py"] {
            assert!(!is_whole_context(s), "{s}");
        }
    }
}
