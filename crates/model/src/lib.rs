//! The stages of a Dockerfile and the flow between them, read the way BuildKit reads them.
//!
//! ```
//! let df = dockstage_syntax::parse("FROM python:3.11 AS builder\nRUN pip wheel -w /w x\n\
//!     FROM python:3.11-slim\nCOPY --from=builder /w /w\n").unwrap();
//! let build = dockstage_model::Build::from_dockerfile(&df).unwrap();
//! assert_eq!(build.stages.len(), 2);
//! let plan = build.target(None).unwrap();
//! assert_eq!(plan.levels, vec![vec![0], vec![1]]);
//! ```
//!
//! Every later command (lint, analyze, graph) works on [`Build`]: stages with their resolved base,
//! their instructions, the edges between stages, and for a chosen target the [`TargetPlan`] of
//! stages BuildKit would build, skip, and run in parallel.

pub mod shell;

use std::collections::BTreeMap;
use std::fmt;

use dockstage_syntax::expand::Lexer;
use dockstage_syntax::{Dockerfile, Instruction, Keyword};
use serde::Serialize;

mod imageref;
pub mod practices;

pub use imageref::ImageRef;

/// What a stage starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Base {
    Image { image: ImageRef },
    Stage { index: usize },
    Scratch,
}

/// A `FROM` and the instructions up to the next one.
#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    pub index: usize,
    /// The `AS` name, lower-cased as BuildKit stores it.
    pub name: Option<String>,
    pub base: Base,
    /// The base as written in the file, before ARG expansion.
    pub base_written: String,
    /// `--platform`, with meta-ARGs expanded; unset ones (e.g. `$BUILDPLATFORM`) are left as written.
    pub platform: Option<String>,
    /// Line of the `FROM`.
    pub line: usize,
    /// Last line of the stage's last instruction.
    pub end_line: usize,
    /// The stage's instructions after its `FROM`.
    #[serde(skip)]
    pub instructions: Vec<Instruction>,
}

impl Stage {
    /// The name to show: the `AS` name or `stage-N`, as BuildKit names unnamed stages.
    pub fn display_name(&self) -> String {
        self.name.clone().unwrap_or_else(|| format!("stage-{}", self.index))
    }

    /// Instruction keywords in order of first use.
    pub fn keywords_used(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for i in &self.instructions {
            let k = i.kind.as_str();
            if !out.contains(&k) {
                out.push(k);
            }
        }
        out
    }
}

/// Where an edge's content comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Source {
    Stage { index: usize },
    Image { image: ImageRef },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    /// `FROM <stage>`.
    From,
    /// `COPY --from=`.
    Copy,
    /// `ADD --from=`.
    Add,
    /// `RUN --mount=...,from=`.
    Mount,
}

/// One dependency of a stage on another stage or an external image.
#[derive(Debug, Clone, Serialize)]
pub struct Edge {
    pub from: Source,
    /// Index of the stage that depends on `from`.
    pub to: usize,
    pub kind: EdgeKind,
    /// The `--from` value as written (the stage name for `FROM`).
    pub reference: String,
    /// Paths taken (COPY/ADD sources, or the mount's `source`).
    pub sources: Vec<String>,
    /// Where they land (COPY/ADD destination, or the mount's `target`).
    pub dest: Option<String>,
    pub line: usize,
}

impl Edge {
    /// A one-line description: `COPY --from=builder /root/.local -> /home/app/.local`.
    pub fn label(&self) -> String {
        match self.kind {
            EdgeKind::From => format!("FROM {}", self.reference),
            EdgeKind::Copy | EdgeKind::Add => {
                let kw = if self.kind == EdgeKind::Copy { "COPY" } else { "ADD" };
                format!("{kw} --from={} {} -> {}", self.reference, self.sources.join(" "), self.dest.as_deref().unwrap_or("?"))
            }
            EdgeKind::Mount => {
                let src = self.sources.first().map(String::as_str).unwrap_or("/");
                format!("RUN --mount=from={} {} -> {}", self.reference, src, self.dest.as_deref().unwrap_or("?"))
            }
        }
    }

    pub fn source_stage(&self) -> Option<usize> {
        match self.from {
            Source::Stage { index } => Some(index),
            Source::Image { .. } => None,
        }
    }
}

/// An `ARG` before the first `FROM`.
#[derive(Debug, Clone, Serialize)]
pub struct MetaArg {
    pub name: String,
    /// The value in force: a build-arg override, else the expanded default.
    pub value: Option<String>,
    pub line: usize,
}

/// A Dockerfile as a build: stages and the edges between them.
#[derive(Debug, Clone, Serialize)]
pub struct Build {
    pub meta_args: Vec<MetaArg>,
    pub stages: Vec<Stage>,
    pub edges: Vec<Edge>,
    /// Each stage's RUN scripts, parsed on first use: tree-sitter is most of a lint's time, and
    /// several checks (DS008, DS009) read the same scripts.
    #[serde(skip)]
    run_scripts: std::sync::OnceLock<Vec<shell::ships::StageScripts>>,
}

/// A reason BuildKit would refuse the build, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelError {
    pub message: String,
    /// 1-based; 0 when the problem has no single place (e.g. an unknown `--target`).
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ModelError {}

impl Build {
    /// The parsed scripts of every RUN in `stage` (see [`shell::ships::StageScripts`]).
    pub fn run_scripts(&self, stage: usize) -> &shell::ships::StageScripts {
        &self.run_scripts.get_or_init(|| (0..self.stages.len()).map(|s| shell::ships::parse_stage_scripts(self, s)).collect())[stage]
    }
}

fn err_at(i: &Instruction, message: String) -> ModelError {
    ModelError { message, line: i.start_line, column: i.column }
}

thread_local! {
    static BUILDS_ON_THIS_THREAD: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many stage models this thread has built so far. A command should build one per
/// Dockerfile and pass it down; tests compare this before and after a command to catch a
/// second build creeping back in (per thread, so tests running in parallel do not disturb it).
pub fn builds_on_this_thread() -> usize {
    BUILDS_ON_THIS_THREAD.with(|n| n.get())
}

impl Build {
    /// Builds the model with every meta-ARG at its default.
    pub fn from_dockerfile(df: &Dockerfile) -> Result<Build, ModelError> {
        Build::with_build_args(df, &BTreeMap::new())
    }

    /// Builds the model with `--build-arg` overrides for meta-ARGs (undeclared names are
    /// ignored, as BuildKit ignores them in `FROM`).
    pub fn with_build_args(df: &Dockerfile, build_args: &BTreeMap<String, String>) -> Result<Build, ModelError> {
        BUILDS_ON_THIS_THREAD.with(|n| n.set(n.get() + 1));
        let lexer = Lexer::new(df.escape);
        let mut meta_args: Vec<MetaArg> = Vec::new();
        let mut env: Vec<(String, String)> = Vec::new();
        let mut stages: Vec<Stage> = Vec::new();

        for ins in &df.instructions {
            if stages.is_empty() {
                match ins.kind {
                    Keyword::Arg => {
                        for word in &ins.args {
                            let (name, default) = match word.split_once('=') {
                                Some((n, v)) => (n.to_string(), Some(v)),
                                None => (word.clone(), None),
                            };
                            let default = match default {
                                Some(v) => Some(lexer.process_word(v, &env).map_err(|e| err_at(ins, e.buildkit_message(v)))?),
                                None => None,
                            };
                            let value = build_args.get(&name).cloned().or(default);
                            if let Some(v) = &value {
                                env.push((name.clone(), v.clone()));
                            }
                            meta_args.push(MetaArg { name, value, line: ins.start_line });
                        }
                        continue;
                    }
                    Keyword::From => {}
                    Keyword::Unknown => {
                        return Err(err_at(
                            ins,
                            format!("unknown instruction `{}`: this does not look like a Dockerfile (it must start with FROM, or ARG before FROM)", ins.keyword),
                        ))
                    }
                    _ => {
                        return Err(err_at(ins, format!("{} before the first FROM: only ARG may come before FROM", ins.kind.as_str())))
                    }
                }
            }
            match ins.kind {
                Keyword::From => stages.push(new_stage(ins, &stages, &env, &lexer)?),
                Keyword::Unknown => return Err(err_at(ins, format!("unknown instruction: {}", ins.keyword))),
                _ => {
                    let stage = stages.last_mut().expect("a stage exists after FROM");
                    stage.end_line = ins.end_line;
                    stage.instructions.push(ins.clone());
                }
            }
        }
        if stages.is_empty() {
            return Err(ModelError {
                message: "no FROM instruction: this does not look like a Dockerfile".into(),
                line: df.instructions.first().map_or(0, |i| i.start_line),
                column: df.instructions.first().map_or(0, |i| i.column),
            });
        }

        let mut edges = Vec::new();
        for stage in &stages {
            if let Base::Stage { index } = stage.base {
                edges.push(Edge {
                    from: Source::Stage { index },
                    to: stage.index,
                    kind: EdgeKind::From,
                    reference: stages[index].display_name(),
                    sources: Vec::new(),
                    dest: None,
                    line: stage.line,
                });
            }
            for ins in &stage.instructions {
                edges.extend(instruction_edges(ins, stage.index, &stages)?);
            }
        }
        let build = Build { meta_args, stages, edges, run_scripts: Default::default() };
        build.check_cycles()?;
        Ok(build)
    }

    /// A stage by `AS` name, case-insensitively; the last stage of that name wins, as in BuildKit.
    pub fn stage_by_name(&self, name: &str) -> Option<&Stage> {
        let lower = name.to_ascii_lowercase();
        self.stages.iter().rev().find(|s| s.name.as_deref() == Some(lower.as_str()))
    }

    /// Stages `index` depends on directly (deduplicated, ascending).
    pub fn dependencies(&self, index: usize) -> Vec<usize> {
        let mut deps: Vec<usize> = self.edges.iter().filter(|e| e.to == index).filter_map(Edge::source_stage).collect();
        deps.sort_unstable();
        deps.dedup();
        deps
    }

    fn check_cycles(&self) -> Result<(), ModelError> {
        // 0 = unvisited, 1 = on the current path, 2 = done.
        let mut state = vec![0u8; self.stages.len()];
        fn visit(b: &Build, s: usize, state: &mut [u8]) -> Option<(usize, usize)> {
            state[s] = 1;
            for e in b.edges.iter().filter(|e| e.to == s) {
                if let Some(d) = e.source_stage() {
                    if state[d] == 1 {
                        return Some((s, e.line));
                    }
                    if state[d] == 0 {
                        if let Some(c) = visit(b, d, state) {
                            return Some(c);
                        }
                    }
                }
            }
            state[s] = 2;
            None
        }
        for s in 0..self.stages.len() {
            if state[s] == 0 {
                if let Some((stage, line)) = visit(self, s, &mut state) {
                    return Err(ModelError {
                        message: format!("circular dependency detected on stage: {}", self.stages[stage].display_name()),
                        line,
                        column: 1,
                    });
                }
            }
        }
        Ok(())
    }

    /// What building `target` (a stage name; `None` for the last stage) involves.
    pub fn target(&self, target: Option<&str>) -> Result<TargetPlan, ModelError> {
        let target = match target {
            None => self.stages.len() - 1,
            Some(name) => match self.stage_by_name(name) {
                Some(s) => s.index,
                None => {
                    let names: Vec<String> = self.stages.iter().filter_map(|s| s.name.clone()).collect();
                    let known = if names.is_empty() { "the file has no named stages".to_string() } else { format!("stages: {}", names.join(", ")) };
                    return Err(ModelError { message: format!("target stage \"{name}\" could not be found ({known})"), line: 0, column: 0 });
                }
            },
        };
        let mut needed = vec![false; self.stages.len()];
        let mut todo = vec![target];
        while let Some(s) = todo.pop() {
            if !std::mem::replace(&mut needed[s], true) {
                todo.extend(self.dependencies(s));
            }
        }
        // Level of a stage: 0 with no stage dependencies, else one more than its deepest one.
        // Edges may point forward (COPY --from a later stage), so iterate to a fixed point; the
        // graph has no cycles, so this ends within `stages.len()` rounds.
        let mut level = vec![0usize; self.stages.len()];
        for _ in 0..self.stages.len() {
            let mut changed = false;
            for s in (0..self.stages.len()).filter(|&s| needed[s]) {
                let l = self.dependencies(s).iter().map(|&d| level[d] + 1).max().unwrap_or(0);
                if l != level[s] {
                    level[s] = l;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        let depth = (0..self.stages.len()).filter(|&s| needed[s]).map(|s| level[s]).max().unwrap_or(0);
        let levels: Vec<Vec<usize>> = (0..=depth).map(|l| (0..self.stages.len()).filter(|&s| needed[s] && level[s] == l).collect()).collect();
        // The longest chain ends at the target (every needed stage leads to it); walk back
        // through the deepest dependency, preferring the earliest stage on ties.
        let mut critical_path = vec![target];
        let mut cur = target;
        while let Some(&d) = self.dependencies(cur).iter().max_by_key(|&&d| (level[d], std::cmp::Reverse(d))) {
            critical_path.push(d);
            cur = d;
        }
        critical_path.reverse();
        Ok(TargetPlan {
            target,
            needed: (0..self.stages.len()).filter(|&s| needed[s]).collect(),
            skipped: (0..self.stages.len()).filter(|&s| !needed[s]).collect(),
            levels,
            critical_path,
        })
    }
}

/// The stages BuildKit builds for one target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetPlan {
    pub target: usize,
    /// Stages the target needs, itself included, ascending.
    pub needed: Vec<usize>,
    /// Stages BuildKit does not build for this target.
    pub skipped: Vec<usize>,
    /// Needed stages grouped so that each group depends only on earlier groups: the stages of a
    /// group can build in parallel.
    pub levels: Vec<Vec<usize>>,
    /// The longest chain of dependent stages, ending at the target.
    pub critical_path: Vec<usize>,
}

impl TargetPlan {
    pub fn is_needed(&self, stage: usize) -> bool {
        self.needed.binary_search(&stage).is_ok()
    }
}

fn new_stage(ins: &Instruction, earlier: &[Stage], env: &[(String, String)], lexer: &Lexer) -> Result<Stage, ModelError> {
    let args = &ins.args;
    let name = match args.len() {
        1 => None,
        3 if args[1].eq_ignore_ascii_case("as") => {
            let lower = args[2].to_ascii_lowercase();
            let b = lower.as_bytes();
            let valid = b.first().is_some_and(u8::is_ascii_lowercase)
                && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'-' | b'_' | b'.'));
            if !valid {
                return Err(err_at(ins, format!("invalid name for build stage: {:?}, name can't start with a number or contain symbols", args[2])));
            }
            Some(lower)
        }
        _ => return Err(err_at(ins, "FROM requires either one or three arguments (FROM image [AS name])".into())),
    };
    let written = args[0].clone();
    let expanded = lexer.process_word(&written, &env.to_vec()).map_err(|e| err_at(ins, e.buildkit_message(&written)))?;
    if expanded.is_empty() {
        return Err(err_at(ins, format!("base name ({written}) should not be blank")));
    }
    let platform = match ins.flag("platform") {
        Some(f) => {
            let raw = f.value.clone().unwrap_or_default();
            let mut keep = lexer.clone();
            keep.skip_unset_env = true;
            Some(keep.process_word(&raw, &env.to_vec()).unwrap_or(raw))
        }
        None => None,
    };
    // FROM matches only stages defined earlier, and compares the expanded name exactly with the
    // lower-cased stage names (BuildKit's addState), so `FROM Builder` is an image, not a stage.
    let base = if let Some(s) = earlier.iter().rev().find(|s| s.name.as_deref() == Some(expanded.as_str())) {
        Base::Stage { index: s.index }
    } else if expanded == "scratch" {
        Base::Scratch
    } else {
        match ImageRef::parse(&expanded) {
            Some(image) => Base::Image { image },
            None => {
                let hint = earlier
                    .iter()
                    .find(|s| s.name.as_deref() == Some(expanded.to_ascii_lowercase().as_str()))
                    .map(|s| format!(" (stage names are matched in lower case: write FROM {})", s.display_name()))
                    .unwrap_or_default();
                return Err(err_at(ins, format!("FROM {expanded:?} names no earlier stage and is not a valid image reference{hint}")));
            }
        }
    };
    Ok(Stage {
        index: earlier.len(),
        name,
        base,
        base_written: written,
        platform,
        line: ins.start_line,
        end_line: ins.end_line,
        instructions: Vec::new(),
    })
}

fn instruction_edges(ins: &Instruction, to: usize, stages: &[Stage]) -> Result<Vec<Edge>, ModelError> {
    let mut out = Vec::new();
    match ins.kind {
        Keyword::Copy | Keyword::Add => {
            if let Some(flag) = ins.flag("from") {
                let value = flag.value.clone().unwrap_or_default();
                if value.is_empty() {
                    return Err(err_at(ins, format!("{} --from needs a stage name, index or image", ins.kind.as_str())));
                }
                if value.contains('$') {
                    return Err(err_at(ins, format!("variable expansion is not supported for --from ({value}): define a stage with FROM using a global ARG instead")));
                }
                let from = if let Ok(index) = value.parse::<i64>() {
                    if index < 0 || index as usize >= stages.len() {
                        return Err(err_at(ins, format!("invalid stage index {index} in --from (the file has {} stages, numbered from 0)", stages.len())));
                    }
                    Source::Stage { index: index as usize }
                } else {
                    source_by_name(ins, &value, stages)?
                };
                let (sources, dest) = copy_paths(ins);
                let kind = if ins.kind == Keyword::Copy { EdgeKind::Copy } else { EdgeKind::Add };
                out.push(Edge { from, to, kind, reference: value, sources, dest, line: ins.start_line });
            }
        }
        Keyword::Run => {
            for flag in ins.flags.iter().filter(|f| f.name == "mount") {
                let fields = mount_fields(flag.value.as_deref().unwrap_or(""));
                let get = |k: &[&str]| fields.iter().find(|(n, _)| k.contains(&n.as_str())).map(|(_, v)| v.clone());
                if let Some(value) = get(&["from"]) {
                    if value.is_empty() {
                        continue;
                    }
                    let from = source_by_name(ins, &value, stages)?;
                    let sources = get(&["source", "src"]).into_iter().collect();
                    let dest = get(&["target", "dst", "destination"]);
                    out.push(Edge { from, to, kind: EdgeKind::Mount, reference: value, sources, dest, line: ins.start_line });
                }
            }
        }
        _ => {}
    }
    Ok(out)
}

fn source_by_name(ins: &Instruction, value: &str, stages: &[Stage]) -> Result<Source, ModelError> {
    let lower = value.to_ascii_lowercase();
    if let Some(s) = stages.iter().rev().find(|s| s.name.as_deref() == Some(lower.as_str())) {
        return Ok(Source::Stage { index: s.index });
    }
    match ImageRef::parse(value) {
        Some(image) => Ok(Source::Image { image }),
        None => {
            let names: Vec<String> = stages.iter().filter_map(|s| s.name.clone()).collect();
            let known = if names.is_empty() { "the file has no named stages".to_string() } else { format!("stages: {}", names.join(", ")) };
            Err(err_at(ins, format!("--from={value} names no stage and is not a valid image reference ({known})")))
        }
    }
}

/// COPY/ADD sources and destination. Heredoc forms copy inline content, named by the heredoc.
fn copy_paths(ins: &Instruction) -> (Vec<String>, Option<String>) {
    let args = &ins.args;
    match args.split_last() {
        Some((dest, srcs)) if !srcs.is_empty() => (srcs.to_vec(), Some(dest.clone())),
        Some((only, _)) => (Vec::new(), Some(only.clone())),
        None => (Vec::new(), None),
    }
}

/// `type=cache,target=/x,from=builder` as key/value pairs; a bare word is a key with value
/// `true`, as BuildKit reads boolean mount options.
pub fn mount_fields(value: &str) -> Vec<(String, String)> {
    value
        .split(',')
        .filter(|f| !f.is_empty())
        .map(|f| match f.split_once('=') {
            Some((k, v)) => (k.trim().to_ascii_lowercase(), v.trim_matches('"').to_string()),
            None => (f.trim().to_ascii_lowercase(), "true".to_string()),
        })
        .collect()
}

/// The source paths of a COPY or ADD (everything but the destination).
pub fn copy_paths_of(ins: &Instruction) -> Vec<String> {
    copy_paths(ins).0
}
