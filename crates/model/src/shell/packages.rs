//! What package managers a script runs, what they install and whether they clean up after.

use serde::Serialize;

use super::{ShellScript, SimpleCommand};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PackageManager {
    Apt,
    Apk,
    Yum,
    Dnf,
    Microdnf,
    Zypper,
    Pip,
    Npm,
    Yarn,
    Gem,
}

/// A package named on an install command line, with its pinned version if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Package {
    pub name: String,
    pub version: Option<String>,
}

impl PackageManager {
    /// Whether `cmd` is this manager installing packages.
    pub fn is_install(self, cmd: &SimpleCommand) -> bool {
        let p = cmd.program();
        match self {
            PackageManager::Apt => (p == "apt-get" || p == "apt") && cmd.has_arg("install"),
            PackageManager::Apk => p == "apk" && cmd.has_arg("add"),
            PackageManager::Yum => p == "yum" && cmd.has_arg("install"),
            PackageManager::Dnf => p == "dnf" && cmd.has_arg("install"),
            PackageManager::Microdnf => p == "microdnf" && cmd.has_arg("install"),
            PackageManager::Zypper => p == "zypper" && (cmd.has_arg("install") || cmd.has_arg("in")),
            PackageManager::Pip => is_pip_install(cmd),
            PackageManager::Npm => p == "npm" && (cmd.has_arg("install") || cmd.has_arg("i") || cmd.has_arg("ci")),
            PackageManager::Yarn => p == "yarn" && (cmd.has_arg("add") || cmd.has_arg("install")),
            PackageManager::Gem => p == "gem" && (cmd.has_arg("install") || cmd.has_arg("i")),
        }
    }

    /// The flags of this manager whose next word is a value, not a package.
    fn flags_with_value(self) -> &'static [&'static str] {
        match self {
            PackageManager::Apt => &["-t", "--target-release", "-o", "-c"],
            PackageManager::Apk => &["-X", "--repository", "-t", "--virtual", "-p", "--root", "--arch"],
            PackageManager::Yum | PackageManager::Dnf | PackageManager::Microdnf => {
                &["--enablerepo", "--disablerepo", "-c", "--releasever", "--installroot", "--setopt"]
            }
            PackageManager::Zypper => &["-r", "--repo", "--from"],
            PackageManager::Pip => &["-r", "--requirement", "-c", "--constraint", "-i", "--index-url", "--extra-index-url", "-t", "--target", "--prefix", "-f", "--find-links", "--root", "--trusted-host", "--platform", "--python-version", "-e", "--editable"],
            PackageManager::Npm | PackageManager::Yarn => &["--prefix", "--registry", "--cache"],
            PackageManager::Gem => &["-v", "--version", "-i", "--install-dir", "--source", "-n", "--bindir"],
        }
    }

    /// The subcommand words that are not packages.
    fn verbs(self) -> &'static [&'static str] {
        match self {
            PackageManager::Apt => &["install"],
            PackageManager::Apk => &["add"],
            PackageManager::Yum | PackageManager::Dnf | PackageManager::Microdnf => &["install"],
            PackageManager::Zypper => &["install", "in"],
            PackageManager::Pip => &["install", "-m", "pip"],
            PackageManager::Npm => &["install", "i", "ci"],
            PackageManager::Yarn => &["add", "install"],
            PackageManager::Gem => &["install", "i"],
        }
    }

    /// The packages `cmd` installs, if it is this manager's install.
    pub fn packages(self, cmd: &SimpleCommand) -> Vec<Package> {
        if !self.is_install(cmd) {
            return Vec::new();
        }
        let mut out = Vec::new();
        let with_value = self.flags_with_value();
        let mut args = cmd.args.iter();
        let mut seen_verb = false;
        while let Some(a) = args.next() {
            if a.starts_with('-') {
                if with_value.contains(&a.as_str()) {
                    args.next();
                }
                continue;
            }
            if !seen_verb {
                // Words before the verb are `python -m pip` or global options' values.
                if self.verbs().contains(&a.as_str()) && (a == "install" || a == "add" || a == "i" || a == "in" || a == "ci") {
                    seen_verb = true;
                }
                continue;
            }
            out.push(split_version(self, a));
        }
        out
    }
}

fn split_version(manager: PackageManager, word: &str) -> Package {
    let sep: &[&str] = match manager {
        PackageManager::Apt | PackageManager::Apk | PackageManager::Zypper => &["="],
        PackageManager::Pip => &["==", ">=", "<=", "~=", "!=", ">", "<", "==="],
        PackageManager::Npm | PackageManager::Yarn => &["@"],
        PackageManager::Gem => &[":"],
        PackageManager::Yum | PackageManager::Dnf | PackageManager::Microdnf => &["-"],
    };
    let found = sep
        .iter()
        .filter_map(|s| {
            // npm scopes start with @: the version separator is a later @.
            let from = if *s == "@" && word.starts_with('@') { 1 } else { 0 };
            word[from..].find(s).map(|i| (i + from, s.len()))
        })
        .min_by_key(|(i, _)| *i);
    match found {
        // yum's `name-1.2` separator is only a version when a digit follows.
        Some((i, _)) if matches!(manager, PackageManager::Yum | PackageManager::Dnf | PackageManager::Microdnf)
            && !word[i + 1..].starts_with(|c: char| c.is_ascii_digit()) =>
        {
            Package { name: word.to_string(), version: None }
        }
        Some((i, n)) if i > 0 => Package { name: word[..i].to_string(), version: Some(word[i + n..].to_string()) },
        _ => Package { name: word.to_string(), version: None },
    }
}

/// hadolint's notion of a pip install: `pip*` (not pipenv) with `install`, or `python* -m pip install`.
pub fn is_pip_install(cmd: &SimpleCommand) -> bool {
    let p = cmd.program();
    (p.starts_with("pip") && !p.starts_with("pipenv") && cmd.has_arg("install"))
        || (p.starts_with("python") && cmd.has_arg_sequence(&["-m", "pip", "install"]))
}

impl ShellScript {
    /// Every package the script installs with `manager`.
    pub fn installs_packages(&self, manager: PackageManager) -> Vec<Package> {
        self.commands().flat_map(|c| manager.packages(c)).collect()
    }

    /// Whether the script removes `manager`'s download cache or package lists in the same RUN
    /// (the only place where removing them makes the image smaller).
    pub fn uses_cache_cleanup(&self, manager: PackageManager) -> bool {
        let removes = |paths: &[&str]| {
            self.commands().any(|c| c.is("rm") && c.positional().any(|a| paths.iter().any(|p| a.trim_end_matches('/').starts_with(p))))
        };
        match manager {
            PackageManager::Apt => removes(&["/var/lib/apt/lists"]),
            PackageManager::Apk => {
                self.commands().filter(|c| PackageManager::Apk.is_install(c)).all(|c| c.has_flag("no-cache"))
                    || removes(&["/var/cache/apk"])
            }
            PackageManager::Yum => self.commands().any(|c| c.is("yum") && c.has_arg("clean") && c.has_arg("all")) || removes(&["/var/cache/yum"]),
            PackageManager::Dnf => self.commands().any(|c| c.is("dnf") && c.has_arg("clean") && c.has_arg("all")) || removes(&["/var/cache/dnf", "/var/cache/yum"]),
            PackageManager::Microdnf => self.commands().any(|c| c.is("microdnf") && c.has_arg("clean") && c.has_arg("all")),
            PackageManager::Zypper => self.commands().any(|c| c.is("zypper") && (c.has_arg("clean") || c.has_arg("cc"))),
            PackageManager::Pip => self.commands().filter(|c| is_pip_install(c)).all(|c| c.has_flag("no-cache-dir"))
                || removes(&["/root/.cache/pip", "/root/.cache", "~/.cache"]),
            PackageManager::Npm => self.commands().any(|c| c.is("npm") && c.has_arg("cache") && c.has_arg("clean")),
            PackageManager::Yarn => self.commands().any(|c| c.is("yarn") && c.has_arg("cache") && c.has_arg("clean")),
            PackageManager::Gem => true,
        }
    }
}
