//! Compose and bake files on the command line: `analyze`, `graph`, `lint` and `fmt` read the
//! Dockerfiles their services and targets build.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use dockstage_model::{Base, Build, Source, TargetPlan};
use dockstage_project::{BuildSpec, DockerfileSource, Project};
use dockstage_report::BuildSetup;
use serde::Serialize;

/// `--compose-file`: compose files merged in order.
#[derive(clap::Args, Default)]
pub struct ComposeFiles {
    /// A compose file to read; repeat it to merge several in order, as `docker compose -f a.yml
    /// -f b.yml` merges them (paths stay relative to the first file).
    #[arg(long = "compose-file", value_name = "FILE")]
    pub compose_file: Vec<PathBuf>,
}

/// The compose or bake files `path` names: the file itself, or what a directory holds as
/// `docker compose` finds it (its compose file and that file's override), else its bake file.
pub fn project_files(path: &str) -> Option<Vec<PathBuf>> {
    let p = Path::new(path);
    if p.is_dir() {
        let compose = dockstage_project::discover_compose(p);
        if !compose.is_empty() {
            return Some(compose);
        }
        return dockstage_project::discover(p).into_iter().next().map(|f| vec![f]);
    }
    dockstage_project::is_project_file(p).then(|| vec![p.to_path_buf()])
}

/// The project an `analyze`/`graph` argument stands for: `--compose-file`s, or the FILE
/// argument when it is (or is a directory holding) a compose or bake file.
pub fn chosen(file: Option<&str>, compose: &ComposeFiles) -> Result<Option<Vec<PathBuf>>, String> {
    match (file, compose.compose_file.is_empty()) {
        (Some(f), false) => Err(format!("{f}: give either a file or --compose-file, not both")),
        (None, false) => Ok(Some(compose.compose_file.clone())),
        (None, true) => Err("no file given (a Dockerfile, a compose or bake file, a directory, or --compose-file)".into()),
        (Some(f), true) => Ok((f != "-").then(|| project_files(f)).flatten()),
    }
}

/// Loads (merging several compose files in order) and checks a project; the error is the
/// library's `file:line:column: message`.
pub fn load(files: &[PathBuf]) -> Result<Project, String> {
    let project = dockstage_project::load_files(files).map_err(|e| e.to_string())?;
    dockstage_project::check(&project).map_err(|e| e.to_string())?;
    Ok(project)
}

/// The Dockerfiles a project builds, each once, with the services that build it.
pub fn dockerfiles(project: &Project) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for b in &project.builds {
        let DockerfileSource::File(f) = &b.dockerfile else { continue };
        let f = f.to_string_lossy().into_owned();
        match out.iter_mut().find(|(p, _)| *p == f) {
            Some((_, services)) => services.push(b.name.clone()),
            None => out.push((f, vec![b.name.clone()])),
        }
    }
    out
}

/// One service's build, read and planned.
struct ServiceBuild<'a> {
    spec: &'a BuildSpec,
    /// Which Dockerfile (index into `Dockerfiles`).
    file: usize,
    build: Build,
    plan: TargetPlan,
    score: (usize, usize),
    findings: usize,
}

struct Dockerfiles {
    labels: Vec<String>,
}

fn read_all(project: &Project) -> Result<(Vec<ServiceBuild<'_>>, Dockerfiles), String> {
    let mut labels: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for spec in &project.builds {
        let (label, text, path) = match &spec.dockerfile {
            DockerfileSource::File(f) => {
                let label = f.to_string_lossy().into_owned();
                let text = crate::input::read_source(&label)?.text;
                (label, text, Some(f.as_path()))
            }
            DockerfileSource::Inline(t) => (format!("{}#{}", spec.file.display(), spec.name), t.clone(), None),
        };
        let at = |line: usize, column: usize, m: &str| format!("{label}:{line}:{column}: {m} (service {})", spec.name);
        let df = dockstage_syntax::parse(&text).map_err(|e| at(e.line, e.column, &e.message))?;
        let build = Build::with_build_args(&df, &spec.args).map_err(|e| at(e.line, e.column, &e.message))?;
        let plan = build.target(spec.target.as_deref()).map_err(|e| at(e.line, e.column, &e.message))?;
        let options = dockstage_lint::LintOptions { path, target: spec.target.as_deref() };
        let model = dockstage_lint::Model::new(build, plan);
        let findings = dockstage_lint::lint_model(&df, &text, &dockstage_lint::Config::default(), options, &model);
        let context = spec.context.as_ref().map(|c| c.to_string_lossy().into_owned()).unwrap_or_else(|| spec.context_spec.clone());
        let setup = BuildSetup { file: label.clone(), dockerfile_flag: Some(label.clone()), context, image: spec.name.to_ascii_lowercase() };
        let analysis = dockstage_report::analyze_model(&model, &setup, &findings);
        let dockstage_lint::Model { build, plan, .. } = model;
        let file = match labels.iter().position(|l| *l == label) {
            Some(i) => i,
            None => {
                labels.push(label);
                labels.len() - 1
            }
        };
        out.push(ServiceBuild { spec, file, build, plan, score: (analysis.score.passed, analysis.score.applicable), findings: findings.len() });
    }
    Ok((out, Dockerfiles { labels }))
}

#[derive(Serialize)]
struct ServiceView {
    name: String,
    /// The file the service is defined in (of several merged or extended ones).
    file: String,
    line: usize,
    column: usize,
    dockerfile: String,
    inline: bool,
    context: String,
    target: Option<String>,
    /// The stage built (the target, or the last stage).
    final_stage: String,
    stages_built: Vec<String>,
    args: BTreeMap<String, String>,
    additional_contexts: BTreeMap<String, String>,
    tags: Vec<String>,
    platforms: Vec<String>,
    profiles: Vec<String>,
    inherits: Vec<String>,
    score_passed: usize,
    score_applicable: usize,
    findings: usize,
}

#[derive(Serialize)]
struct SharedStage {
    name: String,
    line: usize,
    services: Vec<String>,
}

#[derive(Serialize)]
struct SharedDockerfile {
    dockerfile: String,
    services: Vec<String>,
    /// Stages more than one service builds: one builder feeding several images.
    shared_stages: Vec<SharedStage>,
}

#[derive(Serialize)]
struct ProjectView {
    file: String,
    /// Every file read: the merged ones in order, then those `extends` named.
    files: Vec<String>,
    kind: dockstage_project::Kind,
    name: Option<String>,
    services: Vec<ServiceView>,
    image_only: Vec<String>,
    shared: Vec<SharedDockerfile>,
}

fn view(project: &Project) -> Result<(ProjectView, Vec<ServiceBuild<'_>>, Dockerfiles), String> {
    let (builds, files) = read_all(project)?;
    let services = builds
        .iter()
        .map(|b| ServiceView {
            name: b.spec.name.clone(),
            file: b.spec.file.to_string_lossy().into_owned(),
            line: b.spec.at.line,
            column: b.spec.at.column,
            dockerfile: files.labels[b.file].clone(),
            inline: matches!(b.spec.dockerfile, DockerfileSource::Inline(_)),
            context: b.spec.context.as_ref().map(|c| c.to_string_lossy().into_owned()).unwrap_or_else(|| b.spec.context_spec.clone()),
            target: b.spec.target.clone(),
            final_stage: b.build.stages[b.plan.target].display_name(),
            stages_built: b.plan.needed.iter().map(|&i| b.build.stages[i].display_name()).collect(),
            args: b.spec.args.clone(),
            additional_contexts: b.spec.additional_contexts.clone(),
            tags: b.spec.tags.clone(),
            platforms: b.spec.platforms.clone(),
            profiles: b.spec.profiles.clone(),
            inherits: b.spec.inherits.clone(),
            score_passed: b.score.0,
            score_applicable: b.score.1,
            findings: b.findings,
        })
        .collect();
    let mut shared = Vec::new();
    for (i, label) in files.labels.iter().enumerate() {
        let users: Vec<&ServiceBuild> = builds.iter().filter(|b| b.file == i).collect();
        if users.len() < 2 {
            continue;
        }
        let first = &users[0].build;
        let shared_stages = first
            .stages
            .iter()
            .filter_map(|s| {
                let services: Vec<String> = users.iter().filter(|u| u.plan.is_needed(s.index)).map(|u| u.spec.name.clone()).collect();
                (services.len() > 1).then(|| SharedStage { name: s.display_name(), line: s.line, services })
            })
            .collect();
        shared.push(SharedDockerfile { dockerfile: label.clone(), services: users.iter().map(|u| u.spec.name.clone()).collect(), shared_stages });
    }
    let v = ProjectView {
        file: project.file.to_string_lossy().into_owned(),
        files: project.files.iter().map(|f| f.to_string_lossy().into_owned()).collect(),
        kind: project.kind,
        name: project.name.clone(),
        services,
        image_only: project.image_only.clone(),
        shared,
    };
    Ok((v, builds, files))
}

/// `dockstage analyze` on a compose or bake file.
pub fn analyze_text(project: &Project, json: bool) -> Result<String, String> {
    let (v, _, _) = view(project)?;
    if json {
        return Ok(serde_json::to_string_pretty(&v).map_err(|e| e.to_string())? + "\n");
    }
    let what = match v.kind {
        dockstage_project::Kind::Compose => "services",
        dockstage_project::Kind::Bake => "targets",
    };
    let mut o = String::new();
    let kind = match v.kind {
        dockstage_project::Kind::Compose => "compose",
        dockstage_project::Kind::Bake => "bake",
    };
    let _ = writeln!(o, "{} ({kind}): {} {what} build images", v.files.join(" + "), v.services.len());
    if !v.image_only.is_empty() {
        let _ = writeln!(o, "Run an image only: {}", v.image_only.join(", "));
    }
    for s in &v.services {
        let _ = writeln!(o, "\n{} ({}:{}:{})", s.name, s.file, s.line, s.column);
        let _ = writeln!(o, "  Dockerfile  {}{}", s.dockerfile, if s.inline { " (inline)" } else { "" });
        let _ = writeln!(o, "  Context     {}", s.context);
        let target = match &s.target {
            Some(t) => t.clone(),
            None => format!("{} (last stage)", s.final_stage),
        };
        let _ = writeln!(o, "  Target      {target}; stages built: {}", s.stages_built.join(", "));
        let kv = |m: &BTreeMap<String, String>| m.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ");
        for (label, text) in [
            ("Args", kv(&s.args)),
            ("Contexts", kv(&s.additional_contexts)),
            ("Tags", s.tags.join(" ")),
            ("Platforms", s.platforms.join(" ")),
            ("Profiles", s.profiles.join(" ")),
            ("Inherits", s.inherits.join(" ")),
        ] {
            if !text.is_empty() {
                let _ = writeln!(o, "  {label:<11} {text}");
            }
        }
        let _ = writeln!(o, "  Score       {}/{} checks passed; {} lint finding{}", s.score_passed, s.score_applicable, s.findings, if s.findings == 1 { "" } else { "s" });
        let _ = writeln!(o, "  Details     dockstage analyze {}{}", s.dockerfile, s.target.as_ref().map(|t| format!(" --target {t}")).unwrap_or_default());
    }
    let _ = writeln!(o, "\nShared Dockerfiles");
    if v.shared.is_empty() {
        let _ = writeln!(o, "  none: every {} builds its own Dockerfile", &what[..what.len() - 1]);
    }
    for s in &v.shared {
        let _ = writeln!(o, "  {} is built by {}", s.dockerfile, s.services.join(", "));
        for st in &s.shared_stages {
            let _ = writeln!(o, "    stage {} (line {}) is built for {}", st.name, st.line, st.services.join(", "));
        }
    }
    Ok(o)
}

#[derive(Clone, Copy)]
pub enum GraphFormat {
    Ascii,
    Mermaid,
    Dot,
}

/// One DAG over every service: each Dockerfile's stages, the images they start from, and the
/// services built from them.
pub fn graph_text(project: &Project, format: GraphFormat) -> Result<String, String> {
    let (_, builds, files) = view(project)?;
    // Per Dockerfile: its model (from the first service that builds it) and the stages any
    // service needs.
    let mut models: Vec<(&Build, BTreeSet<usize>)> = Vec::new();
    for (i, _) in files.labels.iter().enumerate() {
        let users: Vec<&ServiceBuild> = builds.iter().filter(|b| b.file == i).collect();
        let needed: BTreeSet<usize> = users.iter().flat_map(|u| u.plan.needed.iter().copied()).collect();
        models.push((&users[0].build, needed));
    }
    // Every edge into a stage: its FROM base (an image; a FROM stage is already an edge) and
    // the model's COPY --from / mount edges.
    let edges_of = |build: &Build| -> Vec<(Option<usize>, String, usize, String)> {
        let mut out = Vec::new();
        for s in &build.stages {
            if let Base::Image { image } = &s.base {
                out.push((None, image.raw.clone(), s.index, "FROM".to_string()));
            }
        }
        for e in &build.edges {
            match &e.from {
                Source::Stage { index } => out.push((Some(*index), String::new(), e.to, e.label())),
                Source::Image { image } => out.push((None, image.raw.clone(), e.to, e.label())),
            }
        }
        out
    };
    let stage_id = |f: usize, s: usize| format!("f{f}s{s}");
    let image_id = |img: &str| format!("img_{}", img.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect::<String>());
    let service_id = |n: &str| format!("svc_{}", n.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect::<String>());
    let mut o = String::new();
    match format {
        GraphFormat::Dot => {
            let q = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
            let _ = writeln!(o, "digraph project {{\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];");
            let mut images = BTreeSet::new();
            for (f, (build, needed)) in models.iter().enumerate() {
                let _ = writeln!(o, "  subgraph cluster_{f} {{\n    label={};", q(&files.labels[f]));
                for s in &build.stages {
                    let style = if needed.contains(&s.index) { "" } else { ", style=dashed" };
                    let _ = writeln!(o, "    {} [label={}, shape=box{style}];", stage_id(f, s.index), q(&s.display_name()));
                }
                let _ = writeln!(o, "  }}");
                for (stage, image, to, label) in edges_of(build) {
                    let from = match stage {
                        Some(index) => stage_id(f, index),
                        None => {
                            images.insert(image.clone());
                            image_id(&image)
                        }
                    };
                    let _ = writeln!(o, "  {from} -> {} [label={}];", stage_id(f, to), q(&label));
                }
            }
            for img in &images {
                let _ = writeln!(o, "  {} [label={}, shape=ellipse];", image_id(img), q(img));
            }
            for b in &builds {
                let _ = writeln!(o, "  {} [label={}, shape=doubleoctagon];", service_id(&b.spec.name), q(&b.spec.name));
                let _ = writeln!(o, "  {} -> {};", stage_id(b.file, b.plan.target), service_id(&b.spec.name));
            }
            let _ = writeln!(o, "}}");
        }
        GraphFormat::Mermaid => {
            let q = |s: &str| format!("\"{}\"", s.replace('"', "#quot;"));
            let _ = writeln!(o, "flowchart LR");
            let mut images = BTreeSet::new();
            for (f, (build, _)) in models.iter().enumerate() {
                let _ = writeln!(o, "  subgraph f{f}[{}]", q(&files.labels[f]));
                for s in &build.stages {
                    let _ = writeln!(o, "    {}[{}]", stage_id(f, s.index), q(&s.display_name()));
                }
                let _ = writeln!(o, "  end");
            }
            for (f, (build, _)) in models.iter().enumerate() {
                for (stage, image, to, label) in edges_of(build) {
                    let from = match stage {
                        Some(index) => stage_id(f, index),
                        None => {
                            if images.insert(image.clone()) {
                                let _ = writeln!(o, "  {}([{}])", image_id(&image), q(&image));
                            }
                            image_id(&image)
                        }
                    };
                    let _ = writeln!(o, "  {from} -->|{}| {}", q(&label), stage_id(f, to));
                }
            }
            for b in &builds {
                let _ = writeln!(o, "  {}{{{{{}}}}}", service_id(&b.spec.name), q(&b.spec.name));
                let _ = writeln!(o, "  {} --> {}", stage_id(b.file, b.plan.target), service_id(&b.spec.name));
            }
        }
        GraphFormat::Ascii => {
            for (f, (build, needed)) in models.iter().enumerate() {
                let _ = writeln!(o, "{}", files.labels[f]);
                let edges = edges_of(build);
                for s in &build.stages {
                    let from: Vec<String> = edges
                        .iter()
                        .filter(|e| e.2 == s.index)
                        .map(|(stage, image, _, label)| match stage {
                            Some(index) => format!("{} ({label})", build.stages[*index].display_name()),
                            None if label == "FROM" => image.clone(),
                            None => format!("{image} ({label})"),
                        })
                        .collect();
                    let from = if from.is_empty() && matches!(s.base, Base::Scratch) { vec!["scratch".to_string()] } else { from };
                    let skipped = if needed.contains(&s.index) { "" } else { "  [built by no service]" };
                    let _ = writeln!(o, "  {} <- {}{skipped}", s.display_name(), from.join(", "));
                }
                for b in builds.iter().filter(|b| b.file == f) {
                    let _ = writeln!(o, "  => {} (stage {})", b.spec.name, b.build.stages[b.plan.target].display_name());
                }
            }
        }
    }
    Ok(o)
}
