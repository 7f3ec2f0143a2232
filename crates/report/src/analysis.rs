//! What `dockstage analyze` reports, computed once and rendered by each format.

use dockstage_model::practices::{check_practices, run_text, PracticeResult, Status};
use dockstage_model::{Base, Build, EdgeKind, Source, TargetPlan};
use dockstage_syntax::Keyword;
use serde::Serialize;

/// How the user would build this file: the image name and context to put in commands.
#[derive(Debug, Clone)]
pub struct BuildSetup {
    /// The Dockerfile as the user named it.
    pub file: String,
    /// `-f` argument when the file is not `<context>/Dockerfile`.
    pub dockerfile_flag: Option<String>,
    /// The build context directory.
    pub context: String,
    /// Image name for `-t`.
    pub image: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub schema_version: u32,
    pub file: String,
    pub target: String,
    pub stages: Vec<StageView>,
    pub edges: Vec<EdgeView>,
    /// Stage names per build level; a level's stages can build in parallel.
    pub levels: Vec<Vec<String>>,
    pub critical_path: Vec<String>,
    pub checks: Vec<PracticeResult>,
    pub score: Score,
    pub size: SizeSection,
    pub commands: Vec<CommandView>,
    pub takeaways: Vec<String>,
    /// What dockstage's own lint rules (DS...) found for this target: the same knowledge as the
    /// checks, line by line.
    pub findings: Vec<RuleFinding>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleFinding {
    pub rule: String,
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StageView {
    pub index: usize,
    pub name: String,
    /// Whether the file names it with AS.
    pub named: bool,
    /// `image`, `stage` or `scratch`.
    pub base_kind: &'static str,
    /// The image reference, stage name, or `scratch`.
    pub base: String,
    pub platform: Option<String>,
    pub line: usize,
    pub end_line: usize,
    pub instructions: Vec<&'static str>,
    /// False when the target does not need it, so BuildKit skips it.
    pub needed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct EdgeView {
    /// Source stage name, or the external image reference.
    pub from: String,
    /// `stage` or `image`.
    pub from_kind: &'static str,
    pub from_index: Option<usize>,
    pub to: String,
    pub to_index: usize,
    pub kind: EdgeKind,
    pub label: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Score {
    pub passed: usize,
    /// Checks that had something to look at.
    pub applicable: usize,
    pub total: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct SizeSection {
    /// Sizes that were measured; empty until an image is inspected. Never estimated.
    pub measured: Vec<Measured>,
    pub note: String,
    pub commands: Vec<CommandView>,
    /// The built image of the target (`analyze --image`), read layer by layer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<MeasuredImage>,
    /// Another build of the same app (`analyze --compare`), measured the same way.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compare: Option<SizeComparison>,
}

/// One image as read from its layers: nothing here is estimated.
#[derive(Debug, Clone, Serialize)]
pub struct MeasuredImage {
    /// The image as given on the command line.
    pub image: String,
    /// `measured from <image>`, the label every figure carries.
    pub source: String,
    /// Bytes in the final file system, as a container sees it.
    pub total_bytes: u64,
    /// All layers' content bytes (dive's image size), including files later layers replace or delete.
    pub layers_bytes: u64,
    pub files: u64,
    /// dive's efficiency score, a ratio 0-1.
    pub efficiency: f64,
    /// dive's wasted bytes: files written more than once or deleted by a later layer.
    pub wasted_bytes: u64,
    /// Every layer, largest first; `line` is set for the layers this Dockerfile's target made.
    pub layers: Vec<MeasuredLayer>,
    /// Build-only leftovers in the final file system (compilers, headers, caches...).
    pub leaked: Vec<LeakedTools>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeasuredLayer {
    /// Position in the image, 0 = bottom.
    pub index: usize,
    pub bytes: u64,
    /// The Dockerfile line of the instruction that made it; null for base-image layers.
    pub line: Option<usize>,
    pub instruction: Option<String>,
    /// The image history's record of the step.
    pub created_by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LeakedTools {
    /// compilers, headers, static-libraries, apt-lists, apt-cache, pip-cache, npm-cache, cargo-cache, git.
    pub kind: String,
    pub bytes: u64,
    pub files: u64,
    pub advice: String,
    /// The largest places it sits, largest first.
    pub top: Vec<PathBytes>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PathBytes {
    pub path: String,
    pub bytes: u64,
}

/// The image against another build of the same app.
#[derive(Debug, Clone, Serialize)]
pub struct SizeComparison {
    pub image: String,
    pub source: String,
    pub total_bytes: u64,
    /// Files in the compared image's final file system.
    pub files: u64,
    pub efficiency: f64,
    pub wasted_bytes: u64,
    /// compared total - image total: what this build saves (negative: this build is bigger).
    pub saving_bytes: i64,
    /// The saving relative to the compared image, in percent.
    pub saving_percent: f64,
    /// Files only the compared image ships (e.g. /usr/lib/gcc).
    pub only_in_compared: OnlyIn,
    /// Files only this build's image ships.
    pub only_in_image: OnlyIn,
    /// Leftovers per kind on both sides.
    pub leaked: Vec<LeakPair>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OnlyIn {
    pub files: u64,
    pub bytes: u64,
    /// Largest directories (up to three levels deep), largest first.
    pub top_dirs: Vec<PathBytes>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LeakPair {
    pub kind: String,
    pub image_bytes: u64,
    pub compared_bytes: u64,
}

impl Analysis {
    /// Replaces the size section's instructions with what was measured.
    pub fn set_measured(&mut self, image: MeasuredImage, compare: Option<SizeComparison>) {
        let s = &mut self.size;
        s.measured = vec![
            Measured { label: "Total size".into(), bytes: image.total_bytes, source: image.source.clone() },
            Measured { label: "All layers".into(), bytes: image.layers_bytes, source: image.source.clone() },
            Measured { label: "Wasted".into(), bytes: image.wasted_bytes, source: image.source.clone() },
        ];
        s.note = format!("Measured from {}: every figure below was read from the image's layers; none is estimated.", image.image);
        let df = sh(&self.file);
        s.commands = vec![cmd("Every layer, file and CI threshold of the image", format!("dockstage inspect {} --dockerfile {df}", sh(&image.image)))];
        if let Some(c) = &compare {
            s.measured.push(Measured { label: format!("Total size of {}", c.image), bytes: c.total_bytes, source: c.source.clone() });
            s.commands.push(cmd("Both images layer by layer", format!("dockstage diff {} {}", sh(&c.image), sh(&image.image))));
        }
        s.image = Some(image);
        s.compare = compare;
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Measured {
    pub label: String,
    pub bytes: u64,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommandView {
    pub description: String,
    pub command: String,
}

fn cmd(description: impl Into<String>, command: impl Into<String>) -> CommandView {
    CommandView { description: description.into(), command: command.into() }
}

/// Quotes a word for a POSIX shell when it needs it.
fn sh(word: &str) -> String {
    if !word.is_empty() && word.bytes().all(|c| c.is_ascii_alphanumeric() || b"-_./:=@%+,".contains(&c)) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// The analysis without lint findings (for callers that have no source text, e.g. `graph`).
pub fn analyze(build: &Build, plan: &TargetPlan, setup: &BuildSetup) -> Analysis {
    analyze_with(build, plan, setup, &[])
}

/// The analysis, with the findings of dockstage's DS rules for the same target: DS001-DS007 are
/// the checks themselves; the others become takeaways tied to their line.
pub fn analyze_with(build: &Build, plan: &TargetPlan, setup: &BuildSetup, findings: &[dockstage_lint::Finding]) -> Analysis {
    analyze_checked(build, plan, check_practices(build, plan), setup, findings)
}

/// [`analyze_with`] over the model the findings came from ([`dockstage_lint::lint_model`]):
/// its practice checks, already run for DS001-DS007, are not run again.
pub fn analyze_model(model: &dockstage_lint::Model, setup: &BuildSetup, findings: &[dockstage_lint::Finding]) -> Analysis {
    analyze_checked(&model.build, &model.plan, model.practices.clone(), setup, findings)
}

fn analyze_checked(build: &Build, plan: &TargetPlan, checks: Vec<PracticeResult>, setup: &BuildSetup, findings: &[dockstage_lint::Finding]) -> Analysis {
    let name = |i: usize| build.stages[i].display_name();
    let stages: Vec<StageView> = build
        .stages
        .iter()
        .map(|s| {
            let (base_kind, base) = match &s.base {
                Base::Image { image } => ("image", image.raw.clone()),
                Base::Stage { index } => ("stage", name(*index)),
                Base::Scratch => ("scratch", "scratch".to_string()),
            };
            StageView {
                index: s.index,
                name: s.display_name(),
                named: s.name.is_some(),
                base_kind,
                base,
                platform: s.platform.clone(),
                line: s.line,
                end_line: s.end_line,
                instructions: s.keywords_used(),
                needed: plan.is_needed(s.index),
            }
        })
        .collect();
    let edges: Vec<EdgeView> = build
        .edges
        .iter()
        .map(|e| {
            let (from, from_kind, from_index) = match &e.from {
                Source::Stage { index } => (name(*index), "stage", Some(*index)),
                Source::Image { image } => (image.raw.clone(), "image", None),
            };
            EdgeView { from, from_kind, from_index, to: name(e.to), to_index: e.to, kind: e.kind, label: e.label(), line: e.line }
        })
        .collect();
    let score = Score {
        passed: checks.iter().filter(|c| c.passed()).count(),
        applicable: checks.iter().filter(|c| c.status != Status::NotApplicable).count(),
        total: checks.len(),
    };
    let target = &build.stages[plan.target];
    let is_last = plan.target == build.stages.len() - 1;

    // Build and run commands, from the file itself.
    let mut commands = Vec::new();
    let f = setup.dockerfile_flag.as_ref().map(|f| format!(" -f {}", sh(f))).unwrap_or_default();
    let ctx = sh(&setup.context);
    let img = &setup.image;
    let target_flag = if is_last { String::new() } else { format!(" --target {}", target.display_name()) };
    commands.push(cmd(format!("Build the image (target {})", target.display_name()), format!("docker build{f}{target_flag} -t {img} {ctx}")));
    for s in build.stages.iter().filter(|s| s.name.is_some() && s.index != plan.target) {
        let n = s.display_name();
        commands.push(cmd(format!("Build only stage {n} (e.g. to debug it)"), format!("docker build{f} --target {n} -t {img}:{n} {ctx}")));
    }
    let chain = chain(build, plan.target);
    let ports: Vec<String> = chain
        .iter()
        .flat_map(|&s| build.stages[s].instructions.iter())
        .filter(|i| i.kind == Keyword::Expose)
        .flat_map(|i| i.args.iter().cloned())
        .collect();
    let publish: String = ports
        .iter()
        .map(|p| match p.split_once('/') {
            Some((n, proto)) if proto.eq_ignore_ascii_case("tcp") => format!(" -p {n}:{n}"),
            Some((n, proto)) => format!(" -p {n}:{n}/{}", proto.to_ascii_lowercase()),
            None => format!(" -p {p}:{p}"),
        })
        .collect();
    commands.push(cmd("Run the container", format!("docker run --rm{publish} {img}")));
    let health = chain
        .iter()
        .flat_map(|&s| build.stages[s].instructions.iter().rev())
        .find(|i| i.kind == Keyword::Healthcheck);
    let health_url = health.and_then(|h| find_url(&run_text(h)));
    if let Some(url) = &health_url {
        commands.push(cmd("Query the health endpoint the HEALTHCHECK uses", format!("curl -fsS {}", sh(url))));
    }
    if health.is_some() {
        commands.push(cmd("See what Docker reports for the HEALTHCHECK", "docker inspect --format '{{.State.Health.Status}}' <container>"));
    }

    let size = SizeSection {
        measured: Vec::new(),
        note: "No image has been measured, and dockstage does not guess sizes. Build and save the image, then inspect it:".into(),
        commands: vec![
            cmd("Save the built image as an archive", format!("docker save {img} -o {}.tar", archive_name(img))),
            cmd("Measure its layers and wasted space", format!("dockstage inspect {}.tar", archive_name(img))),
            cmd("Compare with another build of the same app", format!("dockstage diff other.tar {}.tar", archive_name(img))),
            cmd("Or put the measured figures in this report", format!("dockstage analyze {} --image {}.tar", sh(&setup.file), archive_name(img))),
        ],
        image: None,
        compare: None,
    };

    let findings: Vec<RuleFinding> = findings
        .iter()
        .filter(|f| f.rule.starts_with("DS"))
        .map(|f| RuleFinding { rule: f.rule.to_string(), line: f.line, message: f.message.clone() })
        .collect();
    let mut takeaways = takeaways(build, plan, &checks, &edges, health_url.is_some());
    // DS001-DS007 are the checks above, already turned into advice.
    for f in findings.iter().filter(|f| !matches!(f.rule.as_str(), "DS001" | "DS002" | "DS003" | "DS004" | "DS005" | "DS006" | "DS007")) {
        let mut msg = f.message.clone();
        if let Some(first) = msg.get(..1) {
            msg.replace_range(..1, &first.to_ascii_uppercase());
        }
        takeaways.push(format!("Line {}: {msg} ({}).", f.line, f.rule));
    }
    if build.stages.len() == 1 {
        // Last, so it reads as the next step after the advice above.
        takeaways.push(split_takeaway(&setup.file));
    }
    Analysis {
        schema_version: 1,
        file: setup.file.clone(),
        target: target.display_name(),
        stages,
        edges,
        levels: plan.levels.iter().map(|l| l.iter().map(|&s| name(s)).collect()).collect(),
        critical_path: plan.critical_path.iter().map(|&s| name(s)).collect(),
        checks,
        score,
        size,
        commands,
        takeaways,
        findings,
    }
}

fn split_takeaway(file: &str) -> String {
    format!(
        "Single stage: `dockstage split {}` rewrites it into a builder stage and a slim runtime stage, with comments on what moved and why.",
        sh(file)
    )
}

impl Analysis {
    /// `dockstage split` refuses this file: its takeaway says why, with the line, instead of
    /// offering a command that would fail.
    pub fn set_split_refusal(&mut self, line: usize, message: &str) {
        let offer = split_takeaway(&self.file);
        if let Some(t) = self.takeaways.iter_mut().find(|t| **t == offer) {
            *t = format!("Single stage, but `dockstage split` cannot rewrite it yet: line {line}: {message}.");
        }
    }
}

fn archive_name(image: &str) -> String {
    image.replace([':', '/'], "-")
}

/// The target and the stages it is built `FROM`.
fn chain(build: &Build, target: usize) -> Vec<usize> {
    let mut out = vec![target];
    while let Base::Stage { index } = build.stages[*out.last().expect("non-empty")].base {
        out.push(index);
    }
    out
}

fn find_url(text: &str) -> Option<String> {
    let start = text.find("http://").or_else(|| text.find("https://"))?;
    let url: String = text[start..].chars().take_while(|c| !c.is_whitespace() && !"'\"),;`".contains(*c)).collect();
    Some(url)
}

fn takeaways(build: &Build, plan: &TargetPlan, checks: &[PracticeResult], edges: &[EdgeView], has_health_url: bool) -> Vec<String> {
    let mut out = Vec::new();
    let target = build.stages[plan.target].display_name();
    let into_target: Vec<&EdgeView> = edges.iter().filter(|e| e.to_index == plan.target && e.kind != EdgeKind::From).collect();
    if !into_target.is_empty() {
        let what: Vec<String> = into_target.iter().map(|e| format!("{} from {}", e.label.split(' ').nth(2).unwrap_or(""), e.from)).collect();
        out.push(format!("{target} ships only what it copies ({}); everything else in the other stages stays out of the image.", what.join(", ")));
    }
    for l in &plan.levels {
        if l.len() > 1 {
            let names: Vec<String> = l.iter().map(|&s| build.stages[s].display_name()).collect();
            out.push(format!("Stages {} do not depend on each other: BuildKit builds them in parallel.", names.join(", ")));
        }
    }
    if !plan.skipped.is_empty() {
        let names: Vec<String> = plan.skipped.iter().map(|&s| build.stages[s].display_name()).collect();
        out.push(format!("Building {target} skips {} (BuildKit builds only the stages the target needs).", names.join(", ")));
    }
    for c in checks.iter().filter(|c| c.status == Status::Fail) {
        let advice = match c.id {
            "multi-stage" => "Split the build: install compilers and build in a named builder stage, then COPY --from=builder only the results into a small runtime stage.",
            "small-base" => "Start the final stage from a slim, alpine or distroless image; the full base carries compilers and headers the service never uses.",
            "non-root-user" => "Add a USER with a numeric UID (e.g. USER 10001:10001) in the final stage, so runAsNonRoot can verify it.",
            "manifests-first" => "COPY the dependency manifest (requirements.txt, pyproject.toml, package.json ...) alone and install it before copying the source, so code edits reuse the dependency layer.",
            "healthcheck" => "Add a HEALTHCHECK so Docker and compose can tell a hung service from a healthy one (Kubernetes ignores it; set probes there).",
            "pip-no-cache" => "Use pip install --no-cache-dir, or RUN --mount=type=cache,target=/root/.cache/pip, so pip's cache does not land in a layer.",
            "copy-from" => "Copy build results into the final stage with COPY --from=<stage> instead of rebuilding them there.",
            _ => continue,
        };
        out.push(advice.to_string());
    }
    if let Some(c) = checks.iter().find(|c| c.id == "non-root-user" && c.passed()) {
        out.push(format!("The final image {} (line {}); files it must write need that user's ownership.", c.reason, c.line.unwrap_or(0)));
    }
    if checks.iter().any(|c| c.id == "healthcheck" && c.passed()) && has_health_url {
        out.push("The HEALTHCHECK probes an HTTP endpoint; Kubernetes ignores HEALTHCHECK, so point its liveness/readiness probes at the same URL.".into());
    }
    out
}
