//! Multi-stage knowledge the DS rules share: which stages ship, and what in them should not.
//!
//! "The stage that ships" is the target stage (the last one unless a target is given) together with
//! every stage it is built `FROM`: their filesystems are the image's. A minimal computation lives
//! here until the stage graph of `dockstage_model` lands; it only follows `FROM <stage>`.

use dockstage_syntax::ast::{Dockerfile, Keyword};

use super::checks::has_cache_mount_with;
use super::{run_bodies, shells_in_force, PackageManager};

/// For each instruction, the index of the stage it belongs to (`None` before the first FROM),
/// and the stage names.
fn stages(df: &Dockerfile) -> (Vec<Option<usize>>, Vec<(Option<String>, Option<usize>)>) {
    let mut of = Vec::with_capacity(df.instructions.len());
    let mut list: Vec<(Option<String>, Option<usize>)> = Vec::new();
    for ins in &df.instructions {
        if ins.kind == Keyword::From {
            let base = ins.args.first().map(|s| s.to_ascii_lowercase()).unwrap_or_default();
            let parent = list.iter().rposition(|(n, _)| n.as_deref() == Some(base.as_str()));
            let name = match ins.args.as_slice() {
                [_, k, n, ..] if k.eq_ignore_ascii_case("as") => Some(n.to_ascii_lowercase()),
                _ => None,
            };
            list.push((name, parent));
        }
        of.push(list.len().checked_sub(1));
    }
    (of, list)
}

/// Whether each stage's filesystem ends up in the image built for `target` (last stage if None).
pub fn shipping_stages(df: &Dockerfile, target: Option<&str>) -> Vec<bool> {
    let (_, list) = stages(df);
    let mut ships = vec![false; list.len()];
    let mut at = match target {
        Some(t) => list.iter().position(|(n, _)| n.as_deref() == Some(&t.to_ascii_lowercase())),
        None => list.len().checked_sub(1),
    };
    while let Some(i) = at {
        if ships[i] {
            break;
        }
        ships[i] = true;
        at = list[i].1;
    }
    ships
}

/// Packages that are build toolchains: needed to compile, not to run.
pub fn is_toolchain_package(name: &str) -> bool {
    const EXACT: &[&str] = &[
        "build-essential", "gcc", "g++", "make", "cmake", "clang", "cargo", "rustc", "golang", "go",
        "node-gyp", "python3-dev", "python-dev", "gfortran", "autoconf", "automake", "libtool", "musl-dev",
        "build-base", "alpine-sdk", "gcc-c++", "ninja-build", "pkg-config", "pkgconf",
    ];
    EXACT.contains(&name) || name.ends_with("-dev") || name.ends_with("-devel") || name.starts_with("gcc-") || name.starts_with("g++-")
}

/// A finding of a multi-stage check: the instruction index and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageFinding {
    pub instruction: usize,
    pub message: String,
}

const OS_MANAGERS: &[PackageManager] = &[PackageManager::Apt, PackageManager::Apk, PackageManager::Yum, PackageManager::Dnf, PackageManager::Microdnf, PackageManager::Zypper];

/// Build toolchains installed in a stage that ships.
pub fn toolchains_in_shipping_stage(df: &Dockerfile, target: Option<&str>) -> Vec<StageFinding> {
    let (of, _) = stages(df);
    let ships = shipping_stages(df, target);
    let shells = shells_in_force(df);
    let mut out = Vec::new();
    for (i, ins) in df.instructions.iter().enumerate() {
        if !of[i].is_some_and(|s| ships[s]) {
            continue;
        }
        let mut found: Vec<String> = Vec::new();
        for body in run_bodies(ins, &shells[i]) {
            for m in OS_MANAGERS {
                found.extend(body.script.installs_packages(*m).into_iter().map(|p| p.name).filter(|n| is_toolchain_package(n)));
            }
            if body.script.commands().any(|c| c.is("npm") && c.args.iter().any(|a| a == "node-gyp")) {
                found.push("node-gyp".into());
            }
        }
        found.dedup();
        if !found.is_empty() {
            out.push(StageFinding {
                instruction: i,
                message: format!("build toolchain installed in the stage that ships ({}); build in a builder stage and COPY --from the result", found.join(", ")),
            });
        }
    }
    out
}

/// Package-manager caches and lists left in a stage that ships.
pub fn caches_in_shipping_stage(df: &Dockerfile, target: Option<&str>) -> Vec<StageFinding> {
    let (of, _) = stages(df);
    let ships = shipping_stages(df, target);
    let shells = shells_in_force(df);
    let mut out = Vec::new();
    for (i, ins) in df.instructions.iter().enumerate() {
        if !of[i].is_some_and(|s| ships[s]) {
            continue;
        }
        for body in run_bodies(ins, &shells[i]) {
            let s = &body.script;
            let mut left = Vec::new();
            let checks: &[(PackageManager, &str, &str)] = &[
                (PackageManager::Apt, "/var/lib/apt/lists", "apt lists (/var/lib/apt/lists)"),
                (PackageManager::Apk, "/var/cache/apk", "apk cache"),
                (PackageManager::Yum, "/var/cache/yum", "yum cache"),
                (PackageManager::Dnf, "/var/cache/dnf", "dnf cache"),
                (PackageManager::Zypper, "/var/cache/zypp", "zypper cache"),
                (PackageManager::Pip, ".cache/pip", "pip cache"),
                (PackageManager::Npm, ".npm", "npm cache"),
                (PackageManager::Yarn, ".cache/yarn", "yarn cache"),
            ];
            for (m, mount, what) in checks {
                let installs = s.commands().any(|c| m.is_install(c));
                if installs && !s.uses_cache_cleanup(*m) && !has_cache_mount_with(ins, mount) {
                    left.push(*what);
                }
            }
            if !left.is_empty() {
                out.push(StageFinding { instruction: i, message: format!("package-manager cache left in the stage that ships: {}", left.join(", ")) });
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
    let base = path.trim_end_matches('/').rsplit('/').next().unwrap_or(path);
    base == ".env" || base.starts_with(".env.") || base == ".git" || base == ".npmrc" || base == ".pypirc" || base == ".netrc"
        || base.starts_with("id_rsa") || base.starts_with("id_ed25519") || base.ends_with(".pem") || base.ends_with(".key") || base.ends_with(".p12")
}

/// Secrets (ARG/ENV names, COPY/ADD of .env, keys, .git) reaching a stage that ships.
pub fn secrets_in_shipping_stage(df: &Dockerfile, target: Option<&str>) -> Vec<StageFinding> {
    let (of, _) = stages(df);
    let ships = shipping_stages(df, target);
    let mut out = Vec::new();
    for (i, ins) in df.instructions.iter().enumerate() {
        if !of[i].is_some_and(|s| ships[s]) {
            continue;
        }
        let ins = ins.effective();
        match ins.kind {
            Keyword::Arg => {
                for a in &ins.args {
                    let name = a.split('=').next().unwrap_or(a);
                    if is_secret_name(name) {
                        out.push(StageFinding { instruction: i, message: format!("ARG {name} looks like a secret and is visible in the image history; use RUN --mount=type=secret") });
                    }
                }
            }
            Keyword::Env => {
                for (k, _) in ins.key_values() {
                    if is_secret_name(k) {
                        out.push(StageFinding { instruction: i, message: format!("ENV {k} looks like a secret and ships in the image config; use RUN --mount=type=secret") });
                    }
                }
            }
            Keyword::Copy | Keyword::Add if ins.flag("from").is_none() && !ins.json => {
                let n = ins.args.len().saturating_sub(1);
                for src in &ins.args[..n] {
                    if is_secret_path(src) {
                        out.push(StageFinding { instruction: i, message: format!("{} copies {src} into the stage that ships", ins.kind.as_str()) });
                    }
                }
            }
            _ => {}
        }
    }
    out
}
