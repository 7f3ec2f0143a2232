//! The seven multi-stage best practices that `dockstage analyze` scores, each decided by one
//! line of the file. Lint rules can wrap them: every result says which line decides it and why.
//!
//! RUN text is inspected by plain word search; shell-aware parsing lives elsewhere.

use dockstage_syntax::{Instruction, Keyword};
use serde::Serialize;

use crate::{Base, Build, EdgeKind, Stage, TargetPlan};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Pass,
    Fail,
    /// The file gives the check nothing to look at (e.g. no `pip install` at all).
    NotApplicable,
}

#[derive(Debug, Clone, Serialize)]
pub struct PracticeResult {
    /// Stable identifier, e.g. `non-root-user`.
    pub id: &'static str,
    pub title: &'static str,
    pub status: Status,
    /// The line that decides the result, when one does.
    pub line: Option<usize>,
    /// One line saying why.
    pub reason: String,
}

impl PracticeResult {
    pub fn passed(&self) -> bool {
        self.status == Status::Pass
    }
}

/// Runs the seven checks for the plan's target (the image that ships).
pub fn check_practices(build: &Build, plan: &TargetPlan) -> Vec<PracticeResult> {
    vec![
        multi_stage(build, plan),
        small_base(build, plan),
        non_root_user(build, plan),
        manifests_first(build, plan),
        healthcheck(build, plan),
        pip_cache(build, plan),
        copy_from(build, plan),
    ]
}

fn result(id: &'static str, title: &'static str, status: Status, line: Option<usize>, reason: String) -> PracticeResult {
    PracticeResult { id, title, status, line, reason }
}

/// The target and the stages it is built `FROM`, target first: what the image inherits.
fn image_chain<'a>(build: &'a Build, plan: &TargetPlan) -> Vec<&'a Stage> {
    let mut out = vec![&build.stages[plan.target]];
    while let Base::Stage { index } = out.last().expect("non-empty").base {
        out.push(&build.stages[index]);
    }
    out
}

/// Instructions the final image inherits, latest first.
fn chain_instructions<'a>(build: &'a Build, plan: &TargetPlan) -> impl Iterator<Item = &'a Instruction> {
    image_chain(build, plan).into_iter().flat_map(|s| s.instructions.iter().rev())
}

fn multi_stage(build: &Build, plan: &TargetPlan) -> PracticeResult {
    const ID: &str = "multi-stage";
    const TITLE: &str = "Named multi-stage build";
    let target = &build.stages[plan.target];
    let feeders: Vec<&crate::Edge> = build.edges.iter().filter(|e| plan.is_needed(e.to) && e.source_stage().is_some()).collect();
    if plan.needed.len() < 2 || feeders.is_empty() {
        return result(ID, TITLE, Status::Fail, Some(target.line), "single stage: build tools and the runtime end up in one image".into());
    }
    if let Some(e) = feeders.iter().find(|e| e.reference.parse::<usize>().is_ok()) {
        return result(ID, TITLE, Status::Fail, Some(e.line), format!("--from={} refers to a stage by index; name it with AS so reordering cannot break it", e.reference));
    }
    let first = &build.stages[plan.needed[0]];
    let names: Vec<String> = plan.needed.iter().map(|&s| build.stages[s].display_name()).collect();
    result(ID, TITLE, Status::Pass, Some(first.line), format!("{} stages ({}) referenced by name", plan.needed.len(), names.join(" -> ")))
}

fn small_base(build: &Build, plan: &TargetPlan) -> PracticeResult {
    const ID: &str = "small-base";
    const TITLE: &str = "Small final base image";
    let root = *image_chain(build, plan).last().expect("non-empty");
    match &root.base {
        Base::Scratch => result(ID, TITLE, Status::Pass, Some(root.line), "final image starts from scratch".into()),
        Base::Image { image } => {
            let text = format!("{}:{}", image.path, image.tag.as_deref().unwrap_or("")).to_ascii_lowercase();
            let kind = ["distroless", "alpine", "slim", "scratch"].into_iter().find(|k| text.contains(k));
            match kind {
                Some(k) => result(ID, TITLE, Status::Pass, Some(root.line), format!("final base {} is a {k} image", image.raw)),
                None => result(ID, TITLE, Status::Fail, Some(root.line), format!("final base {} is not a slim, alpine, distroless or scratch image", image.raw)),
            }
        }
        Base::Stage { .. } => unreachable!("image_chain ends at a stage with an image or scratch base"),
    }
}

fn non_root_user(build: &Build, plan: &TargetPlan) -> PracticeResult {
    const ID: &str = "non-root-user";
    const TITLE: &str = "Non-root final USER";
    match chain_instructions(build, plan).find(|i| i.kind == Keyword::User) {
        None => result(ID, TITLE, Status::Fail, None, "no USER in the final stage: the container runs as the base image's user, usually root".into()),
        Some(i) => {
            let user = i.args.first().map(String::as_str).unwrap_or("").trim();
            let name = user.split(':').next().unwrap_or("");
            if name == "root" || name == "0" {
                result(ID, TITLE, Status::Fail, Some(i.start_line), format!("USER {user} runs the container as root"))
            } else {
                result(ID, TITLE, Status::Pass, Some(i.start_line), format!("runs as USER {user}"))
            }
        }
    }
}

/// File names that declare dependencies rather than hold source.
pub fn is_manifest(path: &str) -> bool {
    let name = path.trim_end_matches('/').rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    const NAMES: [&str; 22] = [
        "pyproject.toml", "poetry.lock", "setup.py", "setup.cfg", "pipfile", "pipfile.lock", "uv.lock", "pdm.lock",
        "environment.yml", "environment.yaml", "conda-lock.yml", "package.json", "package-lock.json", "yarn.lock",
        "pnpm-lock.yaml", "go.mod", "go.sum", "gemfile", "gemfile.lock", "cargo.toml", "cargo.lock", "composer.json",
    ];
    NAMES.contains(&name.as_str()) || (name.contains("requirements") && (name.ends_with(".txt") || name.ends_with(".in") || name.ends_with('*')))
}

const INSTALL_WORDS: [&str; 12] = [
    "pip install", "pip3 install", "pip wheel", "poetry install", "uv sync", "uv pip install", "npm ci", "npm install",
    "yarn install", "pnpm install", "go mod download", "bundle install",
];

/// The text a RUN executes: its command and any heredoc bodies.
pub fn run_text(i: &Instruction) -> String {
    let mut text = i.args.join(" ");
    for h in &i.heredocs {
        text.push('\n');
        text.push_str(&h.content);
    }
    text
}

fn installs_dependencies(i: &Instruction) -> bool {
    let text = run_text(i);
    INSTALL_WORDS.iter().any(|w| text.contains(w))
}

fn manifests_first(build: &Build, plan: &TargetPlan) -> PracticeResult {
    const ID: &str = "manifests-first";
    const TITLE: &str = "Dependency manifests before source";
    let mut seen_install = None;
    for &s in &plan.needed {
        let stage = &build.stages[s];
        let mut copied_manifest = None;
        for i in &stage.instructions {
            match i.kind {
                Keyword::Copy | Keyword::Add if i.flag("from").is_none() => {
                    let srcs = crate::copy_paths_of(i);
                    if srcs.iter().all(|p| is_manifest(p)) && !srcs.is_empty() {
                        copied_manifest.get_or_insert(i.start_line);
                    } else if stage.instructions.iter().any(|j| j.start_line > i.start_line && j.kind == Keyword::Run && installs_dependencies(j)) {
                        return result(
                            ID,
                            TITLE,
                            Status::Fail,
                            Some(i.start_line),
                            format!("{} {} comes before the dependency install, so any source change reinstalls everything", i.kind.as_str(), srcs.join(" ")),
                        );
                    }
                }
                Keyword::Run if installs_dependencies(i) && seen_install.is_none() => seen_install = Some((i.start_line, copied_manifest)),
                _ => {}
            }
        }
    }
    match seen_install {
        None => result(ID, TITLE, Status::NotApplicable, None, "no dependency install (pip, poetry, npm, go mod ...) found".into()),
        Some((line, Some(m))) => result(ID, TITLE, Status::Pass, Some(m), format!("manifest copied alone and installed at line {line} before the source is copied")),
        Some((line, None)) => result(ID, TITLE, Status::Pass, Some(line), "dependencies are installed before any source is copied".into()),
    }
}

fn healthcheck(build: &Build, plan: &TargetPlan) -> PracticeResult {
    const ID: &str = "healthcheck";
    const TITLE: &str = "HEALTHCHECK";
    match chain_instructions(build, plan).find(|i| i.kind == Keyword::Healthcheck) {
        None => result(ID, TITLE, Status::Fail, None, "no HEALTHCHECK: Docker and compose cannot tell a hung service from a healthy one".into()),
        Some(i) if i.args.first().is_some_and(|t| t.eq_ignore_ascii_case("none")) => {
            result(ID, TITLE, Status::Fail, Some(i.start_line), "HEALTHCHECK NONE disables the base image's check".into())
        }
        Some(i) => result(ID, TITLE, Status::Pass, Some(i.start_line), "final image declares a HEALTHCHECK".into()),
    }
}

fn pip_cache(build: &Build, plan: &TargetPlan) -> PracticeResult {
    const ID: &str = "pip-no-cache";
    const TITLE: &str = "No pip cache in layers";
    let mut first_ok = None;
    for &s in &plan.needed {
        let stage = &build.stages[s];
        let env_off = stage.instructions.iter().any(|i| i.kind == Keyword::Env && i.key_values().iter().any(|(k, _)| *k == "PIP_NO_CACHE_DIR"));
        for i in stage.instructions.iter().filter(|i| i.kind == Keyword::Run) {
            let text = run_text(i);
            if !(text.contains("pip install") || text.contains("pip3 install")) {
                continue;
            }
            let cache_mount = i.flags.iter().any(|f| f.name == "mount" && crate::mount_fields(f.value.as_deref().unwrap_or("")).iter().any(|(k, v)| k == "type" && v == "cache"));
            let why = if text.contains("--no-cache-dir") {
                "pip install --no-cache-dir"
            } else if cache_mount {
                "pip's cache is a --mount=type=cache, outside the layers"
            } else if env_off {
                "ENV PIP_NO_CACHE_DIR is set"
            } else {
                return result(ID, TITLE, Status::Fail, Some(i.start_line), "pip install without --no-cache-dir or a cache mount keeps pip's cache in the layer".into());
            };
            first_ok.get_or_insert((i.start_line, why));
        }
    }
    match first_ok {
        Some((line, why)) => result(ID, TITLE, Status::Pass, Some(line), why.into()),
        None => result(ID, TITLE, Status::NotApplicable, None, "no pip install in the stages built".into()),
    }
}

fn copy_from(build: &Build, plan: &TargetPlan) -> PracticeResult {
    const ID: &str = "copy-from";
    const TITLE: &str = "Artifacts copied with COPY --from";
    match build.edges.iter().find(|e| matches!(e.kind, EdgeKind::Copy | EdgeKind::Add) && e.to == plan.target && e.source_stage().is_some()) {
        Some(e) => result(ID, TITLE, Status::Pass, Some(e.line), format!("final stage takes {} from {}", e.sources.join(" "), e.reference)),
        None => result(ID, TITLE, Status::Fail, None, "the final stage copies nothing from another stage".into()),
    }
}
