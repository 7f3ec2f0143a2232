//! # Rust: `cargo build --release` to a binary on a slim Debian
//!
//! Recognised when a RUN runs `cargo build` or `cargo install`.
//!
//! The builder runs the original build. The runtime stage is the slim Debian the toolchain image
//! is built on (`rust:1.75` -> `debian:bookworm-slim`, `rust:1.75-bullseye` ->
//! `debian:bullseye-slim`) and receives the binary the container runs, at the same path: the
//! CMD/ENTRYPOINT's program when it lives under `target/` or cargo's `bin` directory (a bare name
//! after `cargo install` is `/usr/local/cargo/bin/NAME`). Runtime libraries of installed `-dev`
//! packages move (`libssl-dev` -> `libssl3`); with `--context`, a `Cargo.lock` naming
//! `openssl-sys` adds `libssl3`, and one naming an HTTP or TLS client adds `ca-certificates`.
//!
//! Refused, with the line: a CMD that runs `cargo` itself (`cargo run`), or one that names no
//! binary split can find.

use dockstage_model::shell::SimpleCommand;

use crate::{bases, is_under, refuse, Ecosystem, Plan, Refusal, Scan};

pub(crate) fn is_build(c: &SimpleCommand) -> bool {
    c.is("cargo") && (c.has_arg("build") || c.has_arg("install"))
}

pub(crate) fn plan(scan: &Scan) -> Result<Plan, Refusal> {
    let cmd = scan.last(dockstage_syntax::Keyword::Cmd).or_else(|| scan.last(dockstage_syntax::Keyword::Entrypoint)).unwrap_or(scan.from);
    let words = scan.run_command();
    if words.first().is_some_and(|w| w.rsplit('/').next() == Some("cargo")) {
        return Err(refuse(cmd, "the container runs cargo itself: split needs a built binary to copy (cargo build --release, then run target/release/NAME)"));
    }
    let installed = scan.runs.iter().any(|r| r.commands.iter().any(|c| c.command.is("cargo") && c.command.has_arg("install")));
    let binary = match crate::run_target(scan) {
        Some(t) if t.starts_with('/') && (t.contains("/target/") || is_under(&t, "/usr/local/cargo/bin") || is_under(&t, "/usr/local/bin")) => t,
        Some(t) if !t.contains('/') && installed => format!("/usr/local/cargo/bin/{t}"),
        Some(t) if !t.contains('/') && crate::placed_binary(scan, &t).is_some() => crate::placed_binary(scan, &t).unwrap_or_default(),
        _ => return Err(refuse(cmd, "CMD/ENTRYPOINT does not name the binary cargo built (target/release/NAME, or NAME after cargo install): split cannot tell what to copy")),
    };
    let runtime_base = if scan.base.contains("alpine") { scan.base.clone() } else { bases::debian_slim_for(&scan.base) };
    let mut plan = Plan::new(Ecosystem::Rust, runtime_base.clone());
    plan.reasons.push(format!("{binary} is the binary cargo built; the toolchain, registry cache and target/ stay in the builder"));
    plan.reasons.push(format!("the runtime is {runtime_base}, the system the toolchain image is built on, without the toolchain"));
    if let Some(lock) = scan.options.context.as_ref().and_then(|c| std::fs::read_to_string(c.join("Cargo.lock")).ok()) {
        if lock.contains("name = \"openssl-sys\"") {
            plan.extra_runtime_packages.push("libssl3".into());
            plan.reasons.push("Cargo.lock has openssl-sys: libssl3 moves".into());
        }
        if ["reqwest", "hyper-tls", "rustls", "native-tls", "ureq"].iter().any(|c| lock.contains(&format!("name = \"{c}\""))) {
            plan.extra_runtime_packages.push("ca-certificates".into());
            plan.reasons.push("Cargo.lock has an HTTP/TLS client: ca-certificates moves".into());
        }
    }
    // A bare name runs through PATH, which on the slim base does not include cargo's bin.
    let dest = match binary.strip_prefix("/usr/local/cargo/bin/") {
        Some(name) if !crate::run_command_is_path(scan) => format!("/usr/local/bin/{name}"),
        _ => binary.clone(),
    };
    plan.artifacts.push((binary, dest));
    Ok(plan)
}
