//! Dockerfile linting: a registry of rules (hadolint's `DLxxxx`, BuildKit's build checks and
//! dockstage's own `DSxxx`), configuration compatible with hadolint's, and in-file suppressions.
//!
//! ```
//! let report = dockstage_lint::lint_source("Dockerfile", "FROM ubuntu\n", &Default::default());
//! assert_eq!(report.findings[0].rule, "DL3006");
//! ```

pub mod config;
pub mod context;
pub mod fix;
pub mod hadolint_shell;
pub mod image_ref;
pub mod rules;
pub mod suppress;

use std::fmt;

use dockstage_syntax::Span;
use serde::Serialize;

pub use config::{Config, LabelType};
pub use context::{Context, LintOptions, Model};

/// How bad a finding is. Ordered like hadolint's: `Error` is the most severe, and a run fails when
/// a finding is at least as severe as the failure threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Style,
    /// Disabled: the rule does not run.
    Ignore,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Style => "style",
            Severity::Ignore => "ignore",
        }
    }

    /// hadolint's spellings, `none` included.
    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "info" => Severity::Info,
            "style" => Severity::Style,
            "ignore" | "none" => Severity::Ignore,
            _ => return None,
        })
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a rule's semantics come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    Hadolint,
    Buildkit,
    Dockstage,
}

/// What a rule is, for listings and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    /// `DL3006`, `JSONArgsRecommended`, `DS001` ...
    pub id: &'static str,
    /// A short kebab-case name.
    pub name: &'static str,
    /// Severity when no configuration says otherwise; `Ignore` means off by default.
    pub severity: Severity,
    pub origin: Origin,
    pub summary: &'static str,
    /// The rule's source file; its `//!` lines are the user documentation (see [`RuleMeta::docs`]).
    pub source: &'static str,
    /// Whether the rule proposes fixes, and how safe they are.
    pub fix: Option<fix::Applicability>,
}

impl RuleMeta {
    /// `safe`, `unsafe` or `none`, as `dockstage rule` shows it.
    pub fn fix_label(&self) -> &'static str {
        self.fix.map(fix::Applicability::as_str).unwrap_or("none")
    }

    /// The user documentation: the rule file's module doc comment.
    pub fn docs(&self) -> String {
        let mut out = String::new();
        for line in self.source.lines() {
            let Some(rest) = line.strip_prefix("//!") else {
                if out.is_empty() {
                    continue;
                }
                break;
            };
            out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
            out.push('\n');
        }
        out
    }
}

/// A lint rule. Rules are stateless values; one `check` call sees one whole Dockerfile.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, ctx: &Context, out: &mut Vec<Finding>);
}

/// One problem found in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// 1-based.
    pub line: usize,
    /// 1-based.
    pub column: usize,
    pub end_line: usize,
    /// Bytes of the source the finding is about.
    pub span: Span,
    /// What would make the finding go away, when the rule knows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<fix::Fix>,
}

impl Finding {
    /// The finding with a proposed fix; `None` leaves it without one.
    pub fn with_fix(mut self, fix: Option<fix::Fix>) -> Finding {
        self.fix = fix;
        self
    }
}

/// The rule id of a file that does not parse (hadolint's).
pub const PARSE_ERROR_RULE: &str = "DL1000";

/// All findings for one file, sorted by line.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub file: String,
    pub findings: Vec<Finding>,
    /// The source text, for renderers that show the offending line.
    #[serde(skip)]
    pub source: String,
}

/// Every rule, in id order.
pub fn registry() -> &'static [&'static dyn Rule] {
    rules::ALL
}

/// Looks a rule up by id, case-insensitively.
pub fn find_rule(id: &str) -> Option<&'static dyn Rule> {
    rules::ALL.iter().copied().find(|r| r.meta().id.eq_ignore_ascii_case(id))
}

/// Parses and lints one Dockerfile. A file that does not parse yields a single `DL1000` finding.
pub fn lint_source(file: &str, source: &str, config: &Config) -> FileReport {
    lint_source_with(file, source, config, LintOptions::default())
}

/// [`lint_source`] for a file on disk or a chosen target; see [`LintOptions`].
pub fn lint_source_with(file: &str, source: &str, config: &Config, options: LintOptions) -> FileReport {
    let findings = match dockstage_syntax::parse(source) {
        Ok(dockerfile) => lint_parsed_with(&dockerfile, source, config, options),
        Err(err) => {
            let offset = line_offset(source, err.line);
            vec![Finding {
                rule: PARSE_ERROR_RULE,
                severity: Severity::Error,
                message: format!("unexpected parse error: {}", err.message),
                line: err.line.max(1),
                column: err.column.max(1),
                end_line: err.line.max(1),
                span: Span::new(offset, offset),
                fix: None,
            }]
        }
    };
    FileReport { file: file.to_string(), findings, source: source.to_string() }
}

/// Lints an already parsed Dockerfile.
pub fn lint_parsed(dockerfile: &dockstage_syntax::Dockerfile, source: &str, config: &Config) -> Vec<Finding> {
    lint_parsed_with(dockerfile, source, config, LintOptions::default())
}

/// [`lint_parsed`] with the file's location and target.
pub fn lint_parsed_with(dockerfile: &dockstage_syntax::Dockerfile, source: &str, config: &Config, options: LintOptions) -> Vec<Finding> {
    run_rules(&Context::with_options(dockerfile, source, config, options))
}

/// [`lint_parsed_with`] for a caller that has built the stage model already (for
/// `options.target`): the model-based rules read `model` rather than building their own.
pub fn lint_model(dockerfile: &dockstage_syntax::Dockerfile, source: &str, config: &Config, options: LintOptions, model: &Model) -> Vec<Finding> {
    run_rules(&Context::with_model(dockerfile, source, config, options, model))
}

fn run_rules(ctx: &Context) -> Vec<Finding> {
    let (dockerfile, config) = (ctx.dockerfile, ctx.config);
    let suppressions = suppress::Suppressions::collect(dockerfile, config);
    let not_built = stages_not_built(ctx);
    let mut findings = Vec::new();
    let mut buf = Vec::new();
    for rule in rules::ALL {
        let meta = rule.meta();
        let Some(severity) = suppressions.effective_severity(meta, config) else { continue };
        buf.clear();
        rule.check(ctx, &mut buf);
        for mut f in buf.drain(..) {
            if suppressions.suppressed(f.rule, f.line) || suppressions.check_skipped(meta, config, check_options_line(ctx, meta, &f)) {
                continue;
            }
            if suppress::DISPATCH_CHECKS.contains(&meta.id) && not_built.iter().any(|r| r.contains(&f.line)) {
                continue;
            }
            f.severity = severity;
            findings.push(f);
        }
    }
    findings.sort_by(|a, b| (a.line, a.column, a.rule).cmp(&(b.line, b.column, b.rule)));
    findings
}

/// With `--target`, the line ranges of the stages the target does not need. BuildKit's checks
/// that run while building a stage (see [`suppress::DISPATCH_CHECKS`]) say nothing about those,
/// as `docker build --check --target` does not build them; without a target every stage is
/// checked, as BuildKit's lint does.
fn stages_not_built(ctx: &Context) -> Vec<std::ops::RangeInclusive<usize>> {
    let (Some(_), Some(model)) = (ctx.options.target, ctx.model()) else { return Vec::new() };
    let ins = ctx.instructions();
    ctx.stages
        .iter()
        .enumerate()
        .filter(|(i, _)| !model.plan.needed.contains(i))
        .map(|(_, st)| {
            let last = ins[st.from_index..st.body.end].iter().map(|i| i.end_line).max().unwrap_or(st.from.end_line);
            st.from.start_line..=last
        })
        .collect()
}

/// The line of the instruction whose `# check=` comment governs a finding: the instruction the
/// finding is on, except for MultipleInstructionsDisallowed, which BuildKit reports on the earlier
/// instruction while checking the one that overrides it.
fn check_options_line(ctx: &Context, meta: &RuleMeta, f: &Finding) -> usize {
    let ins = ctx.instructions();
    if meta.id == "MultipleInstructionsDisallowed" {
        if let Some(pos) = ins.iter().position(|i| i.start_line == f.line) {
            let kind = ins[pos].kind;
            let next = ins[pos + 1..].iter().take_while(|i| i.kind != dockstage_syntax::Keyword::From).find(|i| i.kind == kind);
            if let Some(next) = next {
                return next.start_line;
            }
        }
    }
    f.line
}

/// Whether a set of reports makes the run fail, hadolint's way: some finding at least as severe as
/// the threshold (parse errors always count).
pub fn is_failure(reports: &[FileReport], config: &Config) -> bool {
    if config.no_fail {
        return false;
    }
    reports.iter().flat_map(|r| &r.findings).any(|f| f.rule == PARSE_ERROR_RULE || f.severity <= config.failure_threshold)
}

fn line_offset(source: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    source.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1).unwrap_or(source.len())
}
