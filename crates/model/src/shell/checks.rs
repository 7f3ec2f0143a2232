//! The shell knowledge behind dockstage's RUN rules, as pure questions over one RUN.
//!
//! Each `dlXXXX` function answers hadolint's rule of that id for one RUN (true = the rule fires);
//! semantics follow hadolint 2.x, read from its source, with one deliberate difference: commands
//! behind `sudo`, `env`, `sh -c` are seen (hadolint only sees the wrapper). Lint rules and
//! `analyze` both call these, so there is one copy of the logic.

use dockstage_syntax::ast::Instruction;

use super::packages::is_pip_install;
use super::{ShellScript, SimpleCommand};

/// The targets of `--mount=type=cache` and `--mount=type=tmpfs` on a RUN: what is mounted there is
/// not part of the image, so cache rules are satisfied for those paths.
pub fn cache_mount_targets(ins: &Instruction) -> Vec<String> {
    let mut out = Vec::new();
    for flag in ins.effective().flags.iter().filter(|f| f.name == "mount") {
        let Some(value) = &flag.value else { continue };
        let mut kind = "bind";
        let mut target = None;
        for field in value.split(',') {
            let (k, v) = field.split_once('=').unwrap_or((field, ""));
            match k.trim() {
                "type" => kind = v.trim(),
                "target" | "dst" | "destination" => target = Some(v.trim().to_string()),
                _ => {}
            }
        }
        if matches!(kind, "cache" | "tmpfs") {
            if let Some(t) = target {
                out.push(t);
            }
        }
    }
    out
}

pub fn has_cache_mount_with(ins: &Instruction, fragment: &str) -> bool {
    cache_mount_targets(ins).iter().any(|t| t.contains(fragment))
}

fn cmd_has_args(c: &SimpleCommand, name: &str, any_of: &[&str]) -> bool {
    c.name == name && c.args.iter().any(|a| any_of.contains(&a.as_str()))
}

fn first_index(s: &ShellScript, f: impl Fn(&SimpleCommand) -> bool) -> Option<usize> {
    s.commands().position(f)
}

/// Args that are not flags, after dropping the values of `value_flags` (hadolint's dropFlagArg).
fn args_no_flags<'a>(c: &'a SimpleCommand, value_flags: &[&str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut skip = false;
    for a in &c.args {
        if skip {
            skip = false;
            continue;
        }
        if let Some(f) = a.strip_prefix("--") {
            if !f.contains('=') && value_flags.contains(&f) {
                skip = true;
            }
            continue;
        }
        if let Some(f) = a.strip_prefix('-') {
            if f.len() == 1 && value_flags.contains(&f) {
                skip = true;
            }
            if !f.is_empty() {
                continue;
            }
        }
        out.push(a.as_str());
    }
    out
}

/// DL3001: commands that make no sense in a container.
pub fn dl3001(s: &ShellScript) -> bool {
    s.commands().any(|c| matches!(c.name.as_str(), "free" | "kill" | "mount" | "ps" | "service" | "shutdown" | "ssh" | "top" | "vim"))
}

/// DL3003: `cd` instead of WORKDIR.
pub fn dl3003(s: &ShellScript) -> bool {
    s.commands().any(|c| c.name == "cd")
}

/// DL3004: sudo (as a command or a wrapper).
pub fn dl3004(s: &ShellScript) -> bool {
    s.commands().any(|c| c.name == "sudo" || c.wrappers.iter().any(|w| w == "sudo"))
}

fn apt_get_packages(s: &ShellScript) -> Vec<&str> {
    s.commands()
        .filter(|c| cmd_has_args(c, "apt-get", &["install"]))
        .flat_map(|c| args_no_flags(c, &["t", "target-release"]))
        .filter(|a| *a != "install")
        .collect()
}

/// DL3008: apt-get install without pinned versions.
pub fn dl3008(s: &ShellScript) -> bool {
    !apt_get_packages(s).iter().all(|p| p.contains('=') || p.contains('/') || p.ends_with(".deb"))
}

/// DL3009 (this RUN's part): `apt-get update` without removing the lists, and no cache mount.
/// hadolint then only reports it in the last stage or a stage used later.
pub fn dl3009(s: &ShellScript, ins: &Instruction) -> bool {
    let update = s.commands().any(|c| cmd_has_args(c, "apt-get", &["update"]) || cmd_has_args(c, "apt", &["update"]));
    let cleanup = s.commands().any(|c| c.name == "rm" && c.has_arg("-rf") && c.has_arg("/var/lib/apt/lists/*"));
    update
        && !cleanup
        && !has_cache_mount_with(ins, "/var/lib/apt/lists")
        && !(has_cache_mount_with(ins, "/var/lib/apt") && has_cache_mount_with(ins, "/var/cache/apt"))
}

/// DL3013: pip install without pinned versions.
pub fn dl3013(s: &ShellScript) -> bool {
    s.commands().any(|c| {
        if !is_pip_install(c) || c.has_flag("constraint") || c.has_flag("c") {
            return false;
        }
        if c.has_arg("--requirement") || c.has_arg("-r") || c.has_arg(".") {
            return false;
        }
        let pkgs = args_no_flags(c, &["i", "index-url", "extra-index-url", "t", "target", "prefix", "f", "find-links", "trusted-host", "e", "editable", "root", "src"]);
        pkgs.iter()
            .filter(|p| !matches!(**p, "install" | "pip" | "-m"))
            .any(|p| {
                let versioned = ["==", ">=", "<=", ">", "<", "!=", "~=", "==="].iter().any(|v| p.contains(v));
                let vcs = p.starts_with("git+") || p.starts_with("hg+") || p.starts_with("svn+") || p.starts_with("bzr+");
                let local = p.starts_with('.') || p.starts_with('/') || p.ends_with(".whl") || p.ends_with(".tar.gz") || p.ends_with(".zip");
                !(versioned || (vcs && p.contains('@')) || local || p.contains("://"))
            })
    })
}

/// DL3014: apt-get install without -y.
pub fn dl3014(s: &ShellScript) -> bool {
    s.commands().any(|c| {
        cmd_has_args(c, "apt-get", &["install"])
            && !(c.has_any_flag(&["y", "yes", "qq", "assume-yes"])
                || c.flags().iter().filter(|f| **f == "q").count() == 2
                || c.flags().iter().filter(|f| **f == "quiet").count() == 2
                || c.has_arg("-q=2"))
    })
}

/// DL3015: apt-get install without --no-install-recommends.
pub fn dl3015(s: &ShellScript) -> bool {
    s.commands().any(|c| {
        cmd_has_args(c, "apt-get", &["install"]) && !(c.has_flag("no-install-recommends") || c.has_arg("APT::Install-Recommends=false"))
    })
}

/// DL3016: npm install without pinned versions.
pub fn dl3016(s: &ShellScript) -> bool {
    s.commands().any(|c| {
        if !cmd_has_args(c, "npm", &["install"]) {
            return false;
        }
        let args = args_no_flags(c, &["loglevel", "prefix", "registry", "cache"]);
        if args.first() != Some(&"install") {
            return false;
        }
        args[1..].iter().any(|p| {
            if p.starts_with("git") {
                return !p.contains('#');
            }
            if p.ends_with(".tar") || p.ends_with(".tar.gz") || p.ends_with(".tgz") || p.starts_with('.') || p.starts_with('/') || p.starts_with('~') {
                return false;
            }
            let rest = p.strip_prefix('@').unwrap_or(p);
            !rest.contains('@')
        })
    })
}

/// DL3018: apk add without pinned versions.
pub fn dl3018(s: &ShellScript) -> bool {
    s.commands()
        .filter(|c| cmd_has_args(c, "apk", &["add"]))
        .flat_map(|c| args_no_flags(c, &["t", "virtual", "repository", "X"]))
        .filter(|a| *a != "add")
        .any(|p| !(["=", "~", ">", "<"].iter().any(|v| p.contains(v)) || p.ends_with(".apk")))
}

/// DL3019: apk add without --no-cache (and no cache mount on /var/cache/apk).
pub fn dl3019(s: &ShellScript, ins: &Instruction) -> bool {
    !has_cache_mount_with(ins, "/var/cache/apk") && s.commands().any(|c| cmd_has_args(c, "apk", &["add"]) && !c.has_flag("no-cache"))
}

/// DL3027: apt instead of apt-get.
pub fn dl3027(s: &ShellScript) -> bool {
    s.commands().any(|c| c.name == "apt")
}

/// DL3028: gem install without pinned versions.
pub fn dl3028(s: &ShellScript) -> bool {
    s.commands().any(|c| {
        if !cmd_has_args(c, "gem", &["install", "i"]) || c.has_arg("-v") || c.has_arg("--version") || c.args.iter().any(|a| a.starts_with("--version=")) {
            return false;
        }
        let mut rest = c.args.iter().take_while(|a| *a != "--");
        let mut gems = Vec::new();
        while let Some(a) = rest.next() {
            if a.starts_with('-') {
                rest.next();
            } else if a != "install" && a != "i" {
                gems.push(a);
            }
        }
        gems.iter().any(|g| !g.contains(':'))
    })
}

/// DL3030: yum install without -y.
pub fn dl3030(s: &ShellScript) -> bool {
    s.commands().any(|c| cmd_has_args(c, "yum", &["install", "groupinstall", "localinstall"]) && !c.has_any_flag(&["y", "assumeyes"]))
}

fn install_then_clean(s: &ShellScript, install: impl Fn(&SimpleCommand) -> bool, clean: impl Fn(&SimpleCommand) -> bool) -> bool {
    match (first_index(s, &install), first_index(s, clean)) {
        (None, _) => false,
        (Some(i), Some(j)) => i >= j,
        (Some(_), None) => true,
    }
}

/// DL3032: yum install without a later `yum clean all`.
pub fn dl3032(s: &ShellScript) -> bool {
    install_then_clean(
        s,
        |c| cmd_has_args(c, "yum", &["install"]),
        |c| (c.name == "yum" && c.has_arg("clean") && c.has_arg("all")) || (c.name == "rm" && c.has_arg("-rf") && c.has_arg("/var/cache/yum/*")),
    )
}

/// DL3034: zypper without a non-interactive switch.
pub fn dl3034(s: &ShellScript) -> bool {
    s.commands().any(|c| {
        cmd_has_args(c, "zypper", &["install", "in", "remove", "rm", "source-install", "si", "patch"])
            && !c.has_any_flag(&["non-interactive", "n", "no-confirm", "y"])
    })
}

/// DL3035: zypper dist-upgrade.
pub fn dl3035(s: &ShellScript) -> bool {
    s.commands().any(|c| cmd_has_args(c, "zypper", &["dist-upgrade", "dup"]))
}

/// DL3036: zypper install without a later `zypper clean`.
pub fn dl3036(s: &ShellScript, ins: &Instruction) -> bool {
    !has_cache_mount_with(ins, "/var/cache/zypp")
        && install_then_clean(s, |c| cmd_has_args(c, "zypper", &["install", "in"]), |c| cmd_has_args(c, "zypper", &["clean", "cc"]))
}

/// DL3037: zypper install without pinned versions.
pub fn dl3037(s: &ShellScript) -> bool {
    s.commands()
        .filter(|c| cmd_has_args(c, "zypper", &["install", "in"]))
        .flat_map(|c| args_no_flags(c, &[]))
        .filter(|a| *a != "install" && *a != "in")
        .any(|p| !(p.contains('=') || p.contains('>') || p.contains('<') || p.ends_with(".rpm")))
}

/// DL3038: dnf/microdnf install without -y.
pub fn dl3038(s: &ShellScript) -> bool {
    s.commands().any(|c| {
        (c.name == "dnf" || c.name == "microdnf")
            && c.args.iter().any(|a| matches!(a.as_str(), "install" | "groupinstall" | "localinstall"))
            && !c.has_any_flag(&["y", "assumeyes"])
    })
}

/// DL3040: dnf install without a later `dnf clean all`.
pub fn dl3040(s: &ShellScript, ins: &Instruction) -> bool {
    if has_cache_mount_with(ins, "/var/cache/libdnf5") || has_cache_mount_with(ins, ".cache/libdnf5") {
        return false;
    }
    ["dnf", "microdnf"].iter().any(|m| {
        install_then_clean(
            s,
            |c| cmd_has_args(c, m, &["install", "in", "upgrade", "up", "upgrade-minimal", "up-min", "reinstall", "rei"]),
            |c| (c.name == *m && c.has_arg("clean") && c.has_arg("all")) || (c.name == "rm" && c.has_arg("-rf") && c.has_arg("/var/cache/libdnf5*")),
        )
    })
}

/// DL3042 (this RUN's part): pip install without --no-cache-dir, no PIP_NO_CACHE_DIR in the
/// command line and no cache mount on `.cache/pip`. The ENV part is the caller's.
pub fn dl3042(s: &ShellScript, text: &str, ins: &Instruction) -> bool {
    let env_set = text
        .split("PIP_NO_CACHE_DIR=")
        .skip(1)
        .any(|v| ["1", "true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES"].iter().any(|t| v.starts_with(t)));
    !env_set
        && !has_cache_mount_with(ins, ".cache/pip")
        && s.commands().any(|c| is_pip_install(c) && !c.has_arg("--no-cache-dir") && !is_pip_wrapper(c))
}

fn is_pip_wrapper(c: &SimpleCommand) -> bool {
    // `pipx`, `pipenv` and `python -m pip` with other tools are not pip's cache.
    c.name.starts_with("pipx") || c.name.starts_with("pipenv")
}

/// DL3046: useradd with a long UID and without -l.
pub fn dl3046(s: &ShellScript) -> bool {
    s.commands().any(|c| {
        c.name == "useradd" && !c.has_any_flag(&["l", "no-log-init"]) && c.has_any_flag(&["u", "uid"]) && c.flag_values("u").iter().any(|u| u.len() > 5)
    })
}

/// DL3047: wget without a progress setting.
pub fn dl3047(s: &ShellScript) -> bool {
    s.commands().any(|c| {
        c.name == "wget"
            && !c.has_flag("progress")
            && !c.has_any_flag(&["q", "quiet", "o", "output-file", "a", "append-output", "no-verbose"])
            && !c.has_arg("-nv")
    })
}

/// DL3060 (this RUN's part): yarn install without `yarn cache clean` after it.
pub fn dl3060(s: &ShellScript, ins: &Instruction) -> bool {
    !has_cache_mount_with(ins, ".cache/yarn")
        && install_then_clean(s, |c| cmd_has_args(c, "yarn", &["install"]), |c| c.name == "yarn" && c.has_arg("cache") && c.has_arg("clean"))
}

/// Which of curl (0) and wget (1) a RUN uses, for DL4001 (both in one stage).
pub fn dl4001_tools(s: &ShellScript) -> (bool, bool) {
    (s.any_command("curl") || s.commands().any(|c| c.name == "curl"), s.commands().any(|c| c.name == "wget"))
}

/// DL4006: a pipe without `-o pipefail` in the SHELL in force.
pub fn dl4006(s: &ShellScript, shell: &super::ShellKind) -> bool {
    s.has_pipes() && !shell.has_pipefail() && shell.is_posix()
}
