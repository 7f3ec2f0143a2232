//! Build-only leftovers in a final image: things a container never needs at run time
//! but a build step left behind. Classified by path alone, first matching kind wins.
use std::collections::HashMap;

use serde::Serialize;

use crate::tree::FileInfo;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LeakKind {
    /// Compiler drivers and back ends (gcc, cc1, g++, rustc, go...), assemblers and linkers.
    Compilers,
    /// C/C++ headers under /usr/include and /usr/local/include.
    Headers,
    /// Static libraries (`*.a`): only a link step reads them.
    StaticLibraries,
    /// apt's package lists (/var/lib/apt/lists).
    AptLists,
    /// apt's download cache (/var/cache/apt).
    AptCache,
    PipCache,
    NpmCache,
    CargoCache,
    /// Version-control history (.git directories).
    Git,
}

impl LeakKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LeakKind::Compilers => "compilers",
            LeakKind::Headers => "headers",
            LeakKind::StaticLibraries => "static-libraries",
            LeakKind::AptLists => "apt-lists",
            LeakKind::AptCache => "apt-cache",
            LeakKind::PipCache => "pip-cache",
            LeakKind::NpmCache => "npm-cache",
            LeakKind::CargoCache => "cargo-cache",
            LeakKind::Git => "git",
        }
    }

    pub fn advice(self) -> &'static str {
        match self {
            LeakKind::Compilers => "build in a separate stage and COPY --from only the results",
            LeakKind::Headers => "install -dev packages in a build stage only",
            LeakKind::StaticLibraries => {
                "static libraries are only read when linking; keep them in the build stage"
            }
            LeakKind::AptLists => "rm -rf /var/lib/apt/lists/* in the same RUN as apt-get install",
            LeakKind::AptCache => "apt-get clean in the same RUN, or use a cache mount",
            LeakKind::PipCache => "pip install --no-cache-dir, or a cache mount",
            LeakKind::NpmCache => "npm cache clean --force in the same RUN, or a cache mount",
            LeakKind::CargoCache => {
                "build in a separate stage; the registry cache is only needed to build"
            }
            LeakKind::Git => "add .git to .dockerignore",
        }
    }
}

/// One kind of leftover with its total and the largest places it sits.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Leakage {
    pub kind: LeakKind,
    pub bytes: u64,
    pub files: u64,
    pub advice: &'static str,
    /// Largest groups (a toolchain directory, a cache root, a single binary), descending.
    pub top: Vec<LeakGroup>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct LeakGroup {
    pub path: String,
    pub bytes: u64,
    pub files: u64,
}

const COMPILER_NAMES: &[&str] = &[
    "cc1",
    "cc1plus",
    "cc1obj",
    "cc1objplus",
    "lto1",
    "collect2",
    "gcc",
    "g++",
    "c++",
    "cc",
    "cpp",
    "gfortran",
    "clang",
    "clang++",
    "rustc",
    "cargo",
    "rustup",
    "go",
    "gofmt",
    "as",
    "ld",
    "ld.bfd",
    "ld.gold",
    "ld.lld",
    "tcc",
];

fn is_compiler_name(name: &str) -> bool {
    if COMPILER_NAMES.contains(&name) {
        return true;
    }
    // Versioned and triplet-prefixed drivers: gcc-12, x86_64-linux-gnu-g++-12, lto-dump-12...
    let base = name.rsplit_once("-linux-gnu-").map_or(name, |(_, b)| b);
    let unversioned = match base.rsplit_once('-') {
        Some((a, v)) if !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.') => a,
        _ => base,
    };
    matches!(
        unversioned,
        "gcc"
            | "g++"
            | "cpp"
            | "clang"
            | "clang++"
            | "gfortran"
            | "as"
            | "ld"
            | "ld.bfd"
            | "ld.gold"
            | "lto-dump"
    ) && (base != name || unversioned != base)
}

/// Kind and grouping path of a file in the final image, if it is a build leftover.
pub fn classify(parts: &[&str], info: Option<&FileInfo>) -> Option<(LeakKind, String)> {
    let join = |n: usize| -> String {
        parts[..n].iter().fold(String::new(), |mut s, p| {
            s.push('/');
            s.push_str(p);
            s
        })
    };
    let name = *parts.last()?;
    // .git anywhere: group by the repository.
    if let Some(i) = parts.iter().position(|p| *p == ".git") {
        if i + 1 < parts.len() {
            return Some((LeakKind::Git, join(i + 1)));
        }
    }
    match parts {
        ["usr", "lib" | "libexec", "gcc" | "gcc-cross", ..] if parts.len() > 3 => {
            return Some((LeakKind::Compilers, join(3)))
        }
        ["usr", "local", "go", ..]
        | ["usr", "lib", "go", ..]
        | ["usr", "lib", "go-" | "golang", ..]
            if parts.len() > 3 =>
        {
            return Some((LeakKind::Compilers, join(3)))
        }
        ["usr", "include", ..] | ["usr", "local", "include", ..] if parts.len() > 2 => {
            let n = if parts[1] == "local" { 3 } else { 2 };
            // group by the first directory under include/ (python3.11, linux, ...)
            return Some((LeakKind::Headers, join((n + 1).min(parts.len() - 1).max(n))));
        }
        ["var", "lib", "apt", "lists", _, ..] => return Some((LeakKind::AptLists, join(4))),
        ["var", "cache", "apt", _, ..] => return Some((LeakKind::AptCache, join(3))),
        _ => {}
    }
    for i in 1..parts.len().saturating_sub(1) {
        if parts[i] == "toolchains" && matches!(parts[i - 1], ".rustup" | "rustup") {
            return Some((LeakKind::Compilers, join(i + 2)));
        }
    }
    for (i, w) in parts.windows(2).enumerate() {
        match (w[0], w[1]) {
            (".cache", "pip") => return Some((LeakKind::PipCache, join(i + 2))),
            (".cache", "yarn") | (".npm", "_cacache") => {
                return Some((LeakKind::NpmCache, join(i + 2)))
            }
            (".cargo" | "cargo", "registry" | "git") if i + 2 < parts.len() => {
                return Some((LeakKind::CargoCache, join(i + 2)))
            }
            _ => {}
        }
    }
    if parts.len() >= 2
        && matches!(parts[parts.len() - 2], "bin" | "sbin")
        && is_compiler_name(name)
    {
        return Some((LeakKind::Compilers, join(parts.len())));
    }
    let regular = !matches!(info, Some(i) if !i.is_regular());
    if regular && name.ends_with(".a") && name.len() > 2 {
        return Some((LeakKind::StaticLibraries, join(parts.len() - 1)));
    }
    None
}

/// Sums leftovers while the final tree is walked.
#[derive(Default)]
pub(crate) struct Collector {
    groups: HashMap<(LeakKind, String), (u64, u64)>,
}

impl Collector {
    pub(crate) fn add(&mut self, kind: LeakKind, group: String, bytes: u64) {
        let e = self.groups.entry((kind, group)).or_default();
        e.0 += bytes;
        e.1 += 1;
    }

    pub(crate) fn finish(self, top: usize) -> Vec<Leakage> {
        let mut by_kind: HashMap<LeakKind, Vec<LeakGroup>> = HashMap::new();
        for ((kind, path), (bytes, files)) in self.groups {
            by_kind
                .entry(kind)
                .or_default()
                .push(LeakGroup { path, bytes, files });
        }
        let mut out: Vec<Leakage> = by_kind
            .into_iter()
            .map(|(kind, mut groups)| {
                groups.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
                let bytes = groups.iter().map(|g| g.bytes).sum();
                let files = groups.iter().map(|g| g.files).sum();
                groups.truncate(top);
                Leakage {
                    kind,
                    bytes,
                    files,
                    advice: kind.advice(),
                    top: groups,
                }
            })
            .collect();
        out.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.kind.cmp(&b.kind)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(path: &str) -> Option<LeakKind> {
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        classify(&parts, None).map(|(k, _)| k)
    }

    #[test]
    fn classifies_build_leftovers() {
        assert_eq!(
            kind("/usr/lib/gcc/x86_64-linux-gnu/12/cc1"),
            Some(LeakKind::Compilers)
        );
        assert_eq!(
            kind("/usr/bin/x86_64-linux-gnu-gcc-12"),
            Some(LeakKind::Compilers)
        );
        assert_eq!(kind("/usr/bin/gcc-12"), Some(LeakKind::Compilers));
        assert_eq!(
            kind("/usr/bin/x86_64-linux-gnu-lto-dump-12"),
            Some(LeakKind::Compilers)
        );
        assert_eq!(kind("/usr/bin/g++"), Some(LeakKind::Compilers));
        assert_eq!(
            kind("/usr/local/cargo/bin/rustc"),
            Some(LeakKind::Compilers)
        );
        assert_eq!(kind("/usr/local/go/bin/go"), Some(LeakKind::Compilers));
        assert_eq!(kind("/usr/include/stdio.h"), Some(LeakKind::Headers));
        assert_eq!(
            kind("/usr/lib/x86_64-linux-gnu/libc.a"),
            Some(LeakKind::StaticLibraries)
        );
        assert_eq!(
            kind("/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease"),
            Some(LeakKind::AptLists)
        );
        assert_eq!(
            kind("/var/cache/apt/pkgcache.bin"),
            Some(LeakKind::AptCache)
        );
        assert_eq!(kind("/root/.cache/pip/http/a/b"), Some(LeakKind::PipCache));
        assert_eq!(
            kind("/root/.npm/_cacache/index-v5/x"),
            Some(LeakKind::NpmCache)
        );
        assert_eq!(
            kind("/root/.cargo/registry/cache/x.crate"),
            Some(LeakKind::CargoCache)
        );
        assert_eq!(
            kind("/src/app/.git/objects/pack/p.pack"),
            Some(LeakKind::Git)
        );
        // Run-time files stay out.
        assert_eq!(kind("/usr/bin/python3.11"), None);
        assert_eq!(kind("/usr/lib/x86_64-linux-gnu/libc.so.6"), None);
        assert_eq!(kind("/usr/bin/gcc-ar-wrapper-thing"), None);
        assert_eq!(kind("/usr/bin/ccache-x"), None);
        assert_eq!(kind("/etc/apt/sources.list"), None);
    }
}
