//! What a rule sees: the parsed file, its text, the configuration, and the stage structure.

use std::path::Path;
use std::sync::OnceLock;

use dockstage_model::practices::PracticeResult;
use dockstage_model::{Build, TargetPlan};
use dockstage_syntax::{Dockerfile, Instruction, Keyword};

use crate::hadolint_shell::{read_runs, HadolintRun};
use crate::image_ref::ImageRef;
use crate::{Config, Finding, RuleMeta, Severity};

/// One `FROM` and the instructions after it.
#[derive(Debug, Clone)]
pub struct Stage<'a> {
    pub from: &'a Instruction,
    /// Index of the `FROM` in [`Dockerfile::instructions`].
    pub from_index: usize,
    /// Indices of the stage's instructions after `FROM`, up to the next `FROM`.
    pub body: std::ops::Range<usize>,
    pub image: ImageRef,
    /// The `AS` name as written.
    pub name: Option<String>,
    pub platform: Option<String>,
}

impl Stage<'_> {
    /// hadolint's stage key: the alias, else the image name.
    pub fn key(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.image.name)
    }
}

/// Where the file lives and which image is built from it; what a file-system-blind lint of a
/// text (standard input, an editor buffer) does not know.
#[derive(Debug, Clone, Copy, Default)]
pub struct LintOptions<'a> {
    /// The Dockerfile on disk; rules that look beside it (`.dockerignore`) are silent without it.
    pub path: Option<&'a Path>,
    /// The stage built as the image (`--target`); the last stage when `None`.
    pub target: Option<&'a str>,
}

/// The stage model of the file for the target, computed once for the rules that need it.
pub struct Model {
    pub build: Build,
    pub plan: TargetPlan,
    /// `dockstage analyze`'s seven checks, which DS001-DS007 report.
    pub practices: Vec<PracticeResult>,
}

impl Model {
    /// The model of a build the caller has already made, with its practice checks run once;
    /// pass it to [`crate::lint_model`] so the file's stages are not worked out twice.
    pub fn new(build: Build, plan: TargetPlan) -> Model {
        let practices = dockstage_model::practices::check_practices(&build, &plan);
        Model { build, plan, practices }
    }
}

pub struct Context<'a> {
    pub dockerfile: &'a Dockerfile,
    pub source: &'a str,
    pub config: &'a Config,
    pub stages: Vec<Stage<'a>>,
    pub options: LintOptions<'a>,
    model: OnceLock<Option<Model>>,
    /// The caller's model, used instead of building one.
    given: Option<&'a Model>,
    /// RUN bodies as hadolint reads them, parsed once on first use and shared by the shell rules.
    runs: OnceLock<Vec<Option<HadolintRun<'a>>>>,
}

impl<'a> Context<'a> {
    pub fn new(dockerfile: &'a Dockerfile, source: &'a str, config: &'a Config) -> Self {
        Context::with_options(dockerfile, source, config, LintOptions::default())
    }

    pub fn with_options(dockerfile: &'a Dockerfile, source: &'a str, config: &'a Config, options: LintOptions<'a>) -> Self {
        let ins = &dockerfile.instructions;
        let mut stages: Vec<Stage<'a>> = Vec::new();
        for (i, inst) in ins.iter().enumerate() {
            if inst.kind != Keyword::From {
                continue;
            }
            if let Some(last) = stages.last_mut() {
                last.body.end = i;
            }
            let image = ImageRef::parse(inst.args.first().map(String::as_str).unwrap_or(""));
            let name = (inst.args.len() >= 3 && inst.args[1].eq_ignore_ascii_case("as")).then(|| inst.args[2].clone());
            let platform = inst.flag("platform").and_then(|f| f.value.clone());
            stages.push(Stage { from: inst, from_index: i, body: i + 1..ins.len(), image, name, platform });
        }
        Context { dockerfile, source, config, stages, options, model: OnceLock::new(), given: None, runs: OnceLock::new() }
    }

    /// A context over a model the caller already built for this file and `options.target`.
    pub fn with_model(dockerfile: &'a Dockerfile, source: &'a str, config: &'a Config, options: LintOptions<'a>, model: &'a Model) -> Self {
        Context { given: Some(model), ..Context::with_options(dockerfile, source, config, options) }
    }

    /// The stage model, or `None` when the file has no valid stage structure (no FROM, a cycle,
    /// an unknown target): the other rules report those, and model-based rules stay silent.
    pub fn model(&self) -> Option<&Model> {
        if let Some(given) = self.given {
            return Some(given);
        }
        self.model
            .get_or_init(|| {
                let build = Build::from_dockerfile(self.dockerfile).ok()?;
                let plan = build.target(self.options.target).ok()?;
                Some(Model::new(build, plan))
            })
            .as_ref()
    }

    /// A finding on the instruction that starts at `line`, or on the first FROM when none does
    /// (a result about the file as a whole).
    pub fn finding_at_line(&self, meta: &RuleMeta, line: Option<usize>, message: impl Into<String>) -> Option<Finding> {
        let ins = self.instructions();
        let inst = line
            .and_then(|l| ins.iter().find(|i| i.start_line == l))
            .or_else(|| self.model().map(|m| m.build.stages[m.plan.target].line).and_then(|l| ins.iter().find(|i| i.start_line == l)))
            .or_else(|| ins.iter().find(|i| i.kind == Keyword::From))?;
        Some(self.finding(meta, inst, message))
    }

    /// For each instruction, its RUN (or `ONBUILD RUN`) as hadolint reads it.
    pub fn runs(&self) -> &[Option<HadolintRun<'a>>] {
        self.runs.get_or_init(|| read_runs(&self.dockerfile.instructions))
    }

    /// The RUN and `ONBUILD RUN` instructions, as hadolint reads them.
    pub fn each_run(&self) -> impl Iterator<Item = &HadolintRun<'a>> {
        self.runs().iter().flatten()
    }

    pub fn instructions(&self) -> &'a [Instruction] {
        &self.dockerfile.instructions
    }

    /// A finding on a whole instruction.
    pub fn finding(&self, meta: &RuleMeta, inst: &Instruction, message: impl Into<String>) -> Finding {
        Finding {
            rule: meta.id,
            severity: Severity::Warning,
            message: message.into(),
            line: inst.start_line,
            column: inst.column,
            end_line: inst.end_line,
            span: inst.span,
            fix: None,
        }
    }

    /// A finding whose message is the rule's summary.
    pub fn summary(&self, meta: &RuleMeta, inst: &Instruction) -> Finding {
        self.finding(meta, inst, meta.summary)
    }
}

/// hadolint's `dropQuotes`: strip `"` and `'` from both ends.
pub fn drop_quotes(s: &str) -> &str {
    s.trim_matches(|c| c == '"' || c == '\'')
}

/// The source and destination words of COPY/ADD (flags already removed by the parser).
pub fn copy_paths(inst: &Instruction) -> (&[String], Option<&str>) {
    let args: &[String] = &inst.args;
    let args = if inst.heredocs.is_empty() { args } else { args };
    match args.split_last() {
        Some((dest, srcs)) => (srcs, Some(dest.as_str())),
        None => (&[], None),
    }
}

/// True for `C:\...` or `C:/...` style absolute paths.
pub fn is_windows_absolute(p: &str) -> bool {
    let b = p.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}
