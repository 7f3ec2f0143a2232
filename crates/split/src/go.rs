//! # Go: `go build` to a static binary
//!
//! Recognised when a RUN runs `go build` or `go install`.
//!
//! The builder gets `CGO_ENABLED=0` unless the build needs cgo (the file sets `CGO_ENABLED=1`,
//! installs a `-dev` library, or, with `--context`, a Go file says `import "C"`), so the binary
//! links nothing at run time. The runtime stage is `scratch`: it receives the binaries (`go build
//! -o PATH`; `go install ./cmd/x` -> `/go/bin/x`; else the path CMD/ENTRYPOINT runs) at the same
//! paths, the CA certificates when the app may speak TLS (always, unless `--context` shows no Go
//! file imports `net/http`, `crypto/tls` or `net/smtp`), the zone database when it may load time
//! zones (`tzdata` installed, `TZ` set, or `time.LoadLocation`/`time/tzdata` in the sources), and
//! `/etc/passwd` and `/etc/group` when USER names a user. Shell-form CMD/ENTRYPOINT become exec
//! form, as scratch has no shell.
//!
//! With cgo, a HEALTHCHECK, or packages the application needs at run time, the runtime base is the
//! matching `debian:<release>-slim` instead, with the runtime libraries installed.
//!
//! Refused, with the line: a `go build` whose output split cannot name (no `-o` and no CMD naming
//! it); `-o` into a directory.

use dockstage_model::shell::SimpleCommand;
use dockstage_syntax::Keyword;

use crate::{bases, join, refuse, Ecosystem, Plan, Refusal, Scan};

pub(crate) fn is_build(c: &SimpleCommand) -> bool {
    c.is("go") && (c.has_arg("build") || c.has_arg("install"))
}

pub(crate) fn plan(scan: &Scan) -> Result<Plan, Refusal> {
    let mut binaries: Vec<String> = Vec::new();
    let mut cgo = scan.env_value("CGO_ENABLED") == Some("1");
    for run in &scan.runs {
        let ins = &scan.body[run.at];
        let mut dir = run.workdir.clone();
        for c in &run.commands {
            let c = &c.command;
            if c.is("cd") {
                if let Some(d) = c.positional().next() {
                    dir = join(&dir, d);
                }
                continue;
            }
            if !is_build(c) {
                continue;
            }
            if c.assignments.iter().any(|(k, v)| k == "CGO_ENABLED" && v == "1") {
                cgo = true;
            }
            let outputs = c.flag_values("o");
            let packages: Vec<&str> = c.positional().filter(|a| !matches!(*a, "build" | "install")).filter(|a| !outputs.contains(a)).collect();
            let binary = if let Some(o) = outputs.first() {
                if o.ends_with('/') {
                    return Err(refuse(ins, "go build -o into a directory: split cannot name the binaries; give -o a file"));
                }
                Some(join(&dir, o))
            } else {
                let pkg = packages.iter().rev().find(|p| !p.ends_with(".go") && !p.starts_with('-')).copied();
                let named = pkg.filter(|p| *p != "." && !p.contains("...")).map(|p| p.trim_end_matches('/').rsplit('/').next().unwrap_or(p).to_string());
                match (c.has_arg("install"), named) {
                    (true, Some(name)) => Some(format!("/go/bin/{name}")),
                    (false, Some(name)) => Some(join(&dir, &name)),
                    _ => None,
                }
            };
            match binary {
                Some(b) => binaries.push(b),
                None => match crate::run_target(scan) {
                    Some(t) if t.starts_with('/') => binaries.push(t),
                    Some(t) => binaries.push(format!("{}/{t}", if c.has_arg("install") { "/go/bin".to_string() } else { dir.clone() })),
                    None => return Err(refuse(ins, "go build without -o, and no CMD naming the binary: split cannot tell what to copy; add -o PATH")),
                },
            }
        }
    }
    let context = scan.options.context.as_deref();
    let sources = context.map(go_sources).unwrap_or_default();
    if sources.iter().any(|s| s.contains("import \"C\"")) {
        cgo = true;
    }
    let mut reasons = Vec::new();
    let (dev_libs, _, _) = crate::classify_apt(scan, &[]);
    if dev_libs.iter().any(|p| crate::runtime_library_of(p).is_some()) {
        cgo = true;
    }
    let (_, runtime_pkgs, _) = crate::classify_apt(scan, &[]);
    let needs_packages = runtime_pkgs.iter().any(|p| !matches!(p.as_str(), "ca-certificates" | "tzdata"));
    let healthcheck = scan.last(Keyword::Healthcheck).is_some_and(|h| h.effective().args.first().is_some_and(|t| t.eq_ignore_ascii_case("cmd")));
    let shell_cmd = [Keyword::Cmd, Keyword::Entrypoint].iter().any(|k| {
        scan.last(*k).is_some_and(|i| !i.effective().json && crate::exec_form(&i.effective().args.join(" ")).is_none())
    });
    let slim = cgo || needs_packages || healthcheck || shell_cmd;
    let runtime_base = if slim { bases::debian_slim_for(&scan.base) } else { "scratch".to_string() };
    let mut plan = Plan::new(Ecosystem::Go, runtime_base.clone());
    if cgo {
        reasons.push("the build uses cgo: the binary links the C library, so the runtime is a slim Debian with the libraries it needs".into());
    } else {
        plan.builder_head = "# split: a static binary, so the runtime stage needs no C library.\nENV CGO_ENABLED=0\n".into();
        if slim {
            let why = if healthcheck {
                "HEALTHCHECK runs a command"
            } else if shell_cmd {
                "CMD/ENTRYPOINT needs a shell"
            } else {
                "the application needs packages at run time"
            };
            reasons.push(format!("static binary, but {why}: the runtime is {runtime_base}"));
        } else {
            reasons.push("static binary (CGO_ENABLED=0): the runtime is scratch, nothing but the binary and the files it reads".into());
        }
    }
    for b in crate::dedup(binaries) {
        reasons.push(format!("{b} is the binary go built; the toolchain, module cache and sources stay in the builder"));
        plan.artifacts.push((b.clone(), b));
    }
    if !slim {
        let tls = context.is_none() || sources.iter().any(|s| ["\"net/http\"", "\"crypto/tls\"", "\"net/smtp\""].iter().any(|i| s.contains(i)));
        if tls || scan.apt.iter().any(|p| p == "ca-certificates") {
            reasons.push(if context.is_none() {
                "CA certificates are carried over: without --context split cannot rule out TLS".to_string()
            } else {
                "CA certificates are carried over: the sources use TLS".to_string()
            });
            plan.artifacts.push(("/etc/ssl/certs/ca-certificates.crt".into(), "/etc/ssl/certs/ca-certificates.crt".into()));
        }
        let tz = scan.apt.iter().any(|p| p == "tzdata") || scan.env_value("TZ").is_some() || sources.iter().any(|s| s.contains("time.LoadLocation") || s.contains("\"time/tzdata\""));
        if tz {
            reasons.push("the zone database is carried over: the app loads time zones".into());
            plan.artifacts.push(("/usr/share/zoneinfo".into(), "/usr/share/zoneinfo".into()));
        }
        if scan.last(Keyword::User).is_some_and(|u| u.effective().args.first().is_some_and(|n| !n.split(':').all(|p| p.chars().all(|c| c.is_ascii_digit())))) {
            reasons.push("USER names a user: /etc/passwd and /etc/group come from the builder so scratch knows it".into());
            plan.artifacts.push(("/etc/passwd".into(), "/etc/passwd".into()));
            plan.artifacts.push(("/etc/group".into(), "/etc/group".into()));
        }
        if scan.env_value("PATH").is_none() {
            // scratch has no PATH: a CMD naming the binary needs one. /go/bin only when
            // `go install` put a binary there.
            let go_bin = plan.artifacts.iter().any(|(_, dest)| dest.starts_with("/go/bin/"));
            plan.runtime_head = format!("ENV PATH=/usr/local/bin:/usr/bin:/bin{}\n", if go_bin { ":/go/bin" } else { "" });
        }
        plan.shell_less = true;
        plan.covered_packages = vec!["ca-certificates".into(), "tzdata".into()];
    }
    plan.reasons = reasons;
    Ok(plan)
}

/// The text of the Go files under the context (vendor and testdata skipped), bounded.
fn go_sources(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    let mut budget = 2000usize;
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            if budget == 0 {
                return out;
            }
            budget -= 1;
            let p = e.path();
            let name = e.file_name();
            let name = name.to_string_lossy();
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() && !matches!(name.as_ref(), "vendor" | "testdata" | ".git" | "node_modules") {
                stack.push(p);
            } else if ft.is_file() && name.ends_with(".go") && !name.ends_with("_test.go") {
                if let Ok(text) = std::fs::read_to_string(&p) {
                    out.push(text);
                }
            }
        }
    }
    out
}
