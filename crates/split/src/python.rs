//! # Python: pip, venvs, wheels, exported lock files
//!
//! Recognised when a RUN installs with pip (`pip install`, `pip3 install`,
//! `python -m pip install`, `uv pip install`).
//!
//! - **pip into the interpreter** (`pip install -r requirements.txt`, `--user`, `pip install .`,
//!   install from wheels built by `pip wheel`): the builder gets `PIP_USER=1` and
//!   `PYTHONUSERBASE=/opt/deps`, so every install lands in one prefix that the runtime stage copies
//!   whole, with the same two variables set so Python finds it. A `PYTHONUSERBASE` the file sets
//!   itself is kept. When a USER switch comes before the first install, the prefix is created for
//!   that user while the stage is still root.
//! - **a venv** (`python -m venv /opt/venv`, `virtualenv`, `uv venv`, or `VIRTUAL_ENV` set): the
//!   venv is copied whole to the same path; the ENV that activates it is replayed.
//! - **lock files exported to requirements** (`poetry export`, `pipenv requirements`,
//!   `uv export`) are build steps like any other; the `pip install` that follows is moved as above.
//! - **OS packages** (apt, apk, yum/dnf): compilers, headers (`*-dev`, `*-devel`), `git`, `curl`
//!   and `wget` stay in the builder; a headers package's runtime library moves (`libpq-dev` ->
//!   `libpq5`, from a table split owns; on Alpine and CentOS the name without the suffix); other
//!   packages, and any the CMD/ENTRYPOINT/HEALTHCHECK runs, move.
//! - **runtime base**: `python:X` -> `python:X-slim`; a Debian/Ubuntu base with apt-installed
//!   Python stays, with only the runtime packages.
//!
//! Refused, with the line: `pip install --target/--prefix/--root` (files outside any prefix split
//! follows), `poetry install`, `pipenv install`, `uv sync` and `uv pip install --system` (export
//! requirements and pip install them instead), `python setup.py install`, conda, a pip install
//! outside the venv the stage made.

use dockstage_model::shell::{PackageManager, SimpleCommand};
use dockstage_syntax::Keyword;

use crate::{bases, join, refuse, Ecosystem, Plan, Refusal, Scan};

const DEPS: &str = "/opt/deps";

pub(crate) fn is_install(c: &SimpleCommand) -> bool {
    PackageManager::Pip.is_install(c)
        || (c.is("uv") && c.has_arg_sequence(&["pip", "install"]))
        || matches!(c.program(), "poetry" | "pipenv") && c.has_arg("install")
        || (c.is("uv") && c.has_arg("sync"))
}

pub(crate) fn plan(scan: &Scan) -> Result<Plan, Refusal> {
    let mut venv: Option<String> = scan.env_value("VIRTUAL_ENV").map(String::from);
    let mut user: Option<String> = None;
    let mut user_before_pip: Option<String> = None;
    let mut first_pip: Option<usize> = None;
    let mut reasons = Vec::new();
    let mut runs = scan.runs.iter().peekable();
    for (n, ins) in scan.body.iter().enumerate() {
        let eff = ins.effective();
        if eff.kind == Keyword::User {
            user = eff.args.first().cloned();
        }
        let Some(run) = runs.next_if(|r| r.at == n) else { continue };
        let activates = run.commands.iter().any(|c| (c.command.is("source") || c.command.is(".")) && c.command.args.iter().any(|a| a.ends_with("bin/activate")));
        for c in &run.commands {
            let c = &c.command;
            let p = c.program();
            if let Some(msg) = unsupported(c) {
                return Err(refuse(ins, msg));
            }
            if (p.starts_with("python") && c.has_arg_sequence(&["-m", "venv"])) || p == "virtualenv" || (p == "uv" && c.has_arg("venv")) {
                let dir = c.positional().filter(|a| *a != "-m" && *a != "venv" && !a.starts_with("python")).last().unwrap_or(".venv");
                let dir = join(&run.workdir, &expand(scan, dir));
                reasons.push(format!("the venv {dir} (line {}) is copied whole: it holds everything pip installed", ins.start_line));
                venv = Some(dir);
                continue;
            }
            if !is_install(c) {
                continue;
            }
            for f in ["--target", "-t", "--prefix", "--root"] {
                if c.args.iter().any(|a| a == f || a.starts_with(&format!("{f}="))) {
                    return Err(refuse(ins, format!("pip install {f}: split moves installs into the interpreter's prefix or a venv only")));
                }
            }
            // Upgrading the installer itself before the real install changes nothing the app runs with.
            let only_tooling = c.positional().filter(|a| !matches!(*a, "install" | "-m" | "pip") && !a.starts_with("python")).all(|a| matches!(a, "pip" | "setuptools" | "wheel"));
            if only_tooling {
                continue;
            }
            if let Some(v) = &venv {
                let in_venv = c.name.starts_with(v.as_str()) || activates || path_has(scan, &format!("{v}/bin"));
                if !in_venv {
                    return Err(refuse(ins, format!("this pip install runs outside the venv {v}: split cannot tell which of the two the application uses")));
                }
            }
            if first_pip.is_none() {
                first_pip = Some(n);
                user_before_pip = user.clone();
            }
        }
    }
    let Some(first_pip) = first_pip else {
        return Err(refuse(scan.from, "no pip install in this stage"));
    };
    let runtime_base = bases::slim_base(&scan.base).unwrap_or_else(|| scan.base.clone());
    let mut plan = Plan::new(Ecosystem::Python, runtime_base.clone());
    plan.copy_app_paths = true;
    if runtime_base != scan.base {
        reasons.push(format!("{runtime_base} has the same Python without compilers and headers"));
    }
    match venv {
        Some(v) if scan.workdirs.iter().any(|w| w != "/" && crate::is_under(&v, w)) => {
            // Inside the application's directory, the venv is copied with it.
            plan.deps_copy = Some((first_pip, format!("# split: the venv {v} comes with the application's files below.\n")));
        }
        Some(v) => {
            plan.deps_copy = Some((first_pip, format!("# split: the venv, nothing else of the builder's Python.\nCOPY --from=builder {v} {v}\n")));
        }
        None => {
            let deps = scan.env_value("PYTHONUSERBASE").unwrap_or(DEPS).to_string();
            reasons.push(format!("pip installs into {deps} in the builder (PIP_USER=1), copied whole: the packages, none of pip's caches or the compilers"));
            plan.builder_head = format!("# split: every pip install goes to one prefix the runtime stage copies whole.\nENV PIP_USER=1 PYTHONUSERBASE={deps} PATH={deps}/bin:$PATH\n");
            if let Some(u) = user_before_pip.filter(|u| u != "root" && u != "0") {
                // The first USER switch happens before pip: create the prefix for that user while root.
                if let Some(n) = scan.body.iter().position(|i| i.effective().kind == Keyword::User) {
                    let owner = u.split(':').next().unwrap_or(&u);
                    plan.builder_inserts.push((n, format!("RUN install -d -o {owner} {deps}\n")));
                }
            }
            plan.deps_copy = Some((
                first_pip,
                format!("# split: the packages pip installed in the builder, nothing else of it.\nENV PYTHONUSERBASE={deps} PATH={deps}/bin:$PATH\nCOPY --from=builder {deps} {deps}\n"),
            ));
        }
    }
    plan.reasons = reasons;
    Ok(plan)
}

fn path_has(scan: &Scan, dir: &str) -> bool {
    scan.env.iter().any(|(k, v)| k == "PATH" && expand(scan, v).split(':').any(|p| p.trim_end_matches('/') == dir))
}

fn unsupported(c: &SimpleCommand) -> Option<String> {
    let p = c.program();
    Some(match p {
        "poetry" if c.has_arg("install") => {
            "poetry install puts packages where split cannot follow them; export them (poetry export -o requirements.txt) and pip install -r requirements.txt".into()
        }
        "pipenv" if c.has_arg("install") => "pipenv install is not split; pipenv requirements > requirements.txt and pip install -r requirements.txt".into(),
        "uv" if c.has_arg("sync") => "uv sync is not split; uv export -o requirements.txt and pip install -r requirements.txt (or uv pip install into a venv)".into(),
        "uv" if c.has_arg("--system") => "uv pip install --system writes into the interpreter's tree; install into a venv (uv venv) instead".into(),
        _ if p.starts_with("python") && c.has_arg("setup.py") && c.has_arg("install") => {
            "python setup.py install writes into the interpreter's tree; use pip install .".into()
        }
        _ => return None,
    })
}

/// `$NAME` and `${NAME}` replaced by the stage's ENV values, where it sets them.
fn expand(scan: &Scan, word: &str) -> String {
    let mut out = word.to_string();
    for (k, v) in scan.env.iter().rev() {
        out = out.replace(&format!("${{{k}}}"), v).replace(&format!("${k}"), v);
    }
    out
}
