//! # Node: npm, yarn and pnpm
//!
//! Recognised when a RUN installs dependencies: `npm ci`, `npm install`, `yarn` / `yarn install`,
//! `pnpm install`.
//!
//! The builder runs the original build (install with dev dependencies, `npm run build` ...) and
//! then prunes the dev dependencies where the install ran: `npm prune --omit=dev` (`--production`
//! for npm before 7, i.e. Node before 16), `yarn install --production`, `pnpm prune --prod`. An
//! install that was production-only already (`--omit=dev`, `--production`, `NODE_ENV=production`)
//! is not pruned again. The runtime stage, on `node:X-slim`, receives the application's
//! directories (every WORKDIR and COPY destination) as the build left them: sources, build output
//! and the pruned `node_modules`.
//!
//! Refused, with the line: a global install (`npm install -g`) of a package the CMD, ENTRYPOINT or
//! HEALTHCHECK runs (global packages live in the toolchain's tree, which is not copied).

use dockstage_model::shell::SimpleCommand;
use dockstage_syntax::Keyword;

use crate::{bases, refuse, Ecosystem, Plan, Refusal, Scan};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Manager {
    Npm,
    Yarn,
    Pnpm,
}

fn manager(c: &SimpleCommand) -> Option<Manager> {
    match c.program() {
        "npm" if c.has_arg("ci") || c.has_arg("install") || c.has_arg("i") => Some(Manager::Npm),
        // Bare `yarn` installs; `yarn --version` and friends do not.
        "yarn" if c.has_arg("install") || (c.positional().next().is_none() && !c.has_any_flag(&["version", "v", "help", "h"])) => Some(Manager::Yarn),
        "pnpm" if c.has_arg("install") || c.has_arg("i") => Some(Manager::Pnpm),
        _ => None,
    }
}

pub(crate) fn is_install(c: &SimpleCommand) -> bool {
    manager(c).is_some() && !is_global(c)
}

fn is_global(c: &SimpleCommand) -> bool {
    c.has_flag("g") || c.has_flag("global") || (c.is("yarn") && c.has_arg("global"))
}

fn production_only(c: &SimpleCommand) -> bool {
    c.args.iter().any(|a| {
        matches!(a.as_str(), "--production" | "--prod" | "-P" | "--omit=dev" | "--only=production" | "--only=prod" | "--production=true")
    }) || c.has_arg_sequence(&["--omit", "dev"])
        || c.assignments.iter().any(|(k, v)| k == "NODE_ENV" && v == "production")
}

pub(crate) fn plan(scan: &Scan) -> Result<Plan, Refusal> {
    let runtime_base = bases::slim_base(&scan.base).unwrap_or_else(|| scan.base.clone());
    let mut plan = Plan::new(Ecosystem::Node, runtime_base.clone());
    plan.copy_app_paths = true;
    let env_production = scan.env_value("NODE_ENV") == Some("production");
    // Where each install ran, and whether it still needs pruning.
    let mut installs: Vec<(Manager, String, bool)> = Vec::new();
    for run in &scan.runs {
        let ins = &scan.body[run.at];
        let mut dir = run.workdir.clone();
        for c in &run.commands {
            let c = &c.command;
            if c.is("cd") {
                if let Some(d) = c.positional().next() {
                    dir = crate::join(&dir, d);
                }
                continue;
            }
            if is_global(c) && manager(c).is_some() {
                for pkg in c.positional().filter(|a| !matches!(*a, "install" | "i" | "add" | "global")) {
                    let name = pkg.rsplit_once('@').filter(|(n, _)| !n.is_empty()).map_or(pkg, |(n, _)| n);
                    let bin = name.rsplit('/').next().unwrap_or(name);
                    if scan.runs_at_runtime(bin) {
                        return Err(refuse(ins, format!("{pkg} is installed globally and the container runs it: split does not move global packages; make it a dependency of the app")));
                    }
                }
                plan.reasons.push(format!("the global install at line {} stays in the builder (a build tool)", ins.start_line));
                continue;
            }
            if let Some(m) = manager(c) {
                let prune = !(production_only(c) || env_production);
                match installs.iter_mut().find(|(_, d, _)| *d == dir) {
                    Some(slot) => slot.2 = slot.2 && prune,
                    None => installs.push((m, dir.clone(), prune)),
                }
            }
            if c.has_arg("build") && matches!(c.program(), "npm" | "yarn" | "pnpm") {
                plan.reasons.push(format!("the build at line {} runs in the builder; its output is copied with the application's files", ins.start_line));
            }
        }
    }
    let old_npm = node_major(&scan.base).is_some_and(|v| v < 16);
    for (m, dir, prune) in &installs {
        if !prune {
            plan.reasons.push(format!("{dir}/node_modules is production-only already; copied as is"));
            continue;
        }
        let cmd = match m {
            Manager::Npm if old_npm => "npm prune --production",
            Manager::Npm => "npm prune --omit=dev",
            Manager::Yarn => "yarn install --production --prefer-offline",
            Manager::Pnpm => "pnpm prune --prod",
        };
        plan.builder_tail.push_str(&format!("# split: drop the dev dependencies once the build is done; the runtime stage copies what is left.\nRUN cd {dir} && {cmd}\n"));
        plan.reasons.push(format!("dev dependencies in {dir}/node_modules stay in the builder ({cmd} after the build)"));
    }
    if runtime_base != scan.base {
        plan.reasons.push(format!("{runtime_base} has the same Node without compilers and headers"));
    }
    if scan.last(Keyword::Workdir).is_none() {
        return Err(refuse(scan.from, "no WORKDIR: split cannot tell which directory holds the application"));
    }
    Ok(plan)
}

fn node_major(base: &str) -> Option<u32> {
    let tag = base.rsplit_once(':')?.1;
    tag.split(['.', '-']).next()?.parse().ok()
}
