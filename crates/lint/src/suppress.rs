//! In-file suppressions: hadolint's `# hadolint ignore=`, `# hadolint global ignore=` and
//! `# hadolint stage ignore=` pragmas, dockstage's `# dockstage ignore=` (same forms), and BuildKit's
//! check options: the `# check=skip=...;experimental=...;error=true` parser directive (or the
//! `BUILDKIT_DOCKERFILE_CHECK` build argument that replaces it) for the file, and `# check=` comments
//! above single instructions, which add skipped and experimental rules for that instruction only.

use std::collections::{BTreeMap, HashMap, HashSet};

use dockstage_syntax::{Dockerfile, Keyword};

use crate::{Config, Origin, RuleMeta, Severity};

#[derive(Debug, Default)]
pub struct Suppressions {
    /// Rule ids ignored on a given line (the line after the pragma).
    by_line: HashMap<usize, HashSet<String>>,
    /// Stage-scoped ignores: key line -> ids; a finding uses the last key before its line.
    by_stage: BTreeMap<usize, HashSet<String>>,
    global: HashSet<String>,
    /// BuildKit's check options for the whole file: the `check` directive, or the
    /// `BUILDKIT_DOCKERFILE_CHECK` build argument that replaces it.
    check: CheckOptions,
    /// `# check=` comments above single instructions: (first line, last line, merged options).
    check_by_instruction: Vec<(usize, usize, CheckOptions)>,
}

/// What kind of pragma a comment is.
enum Pragma {
    Line(Vec<String>),
    Stage(Vec<String>),
    Global(Vec<String>),
}

/// Parses `hadolint ignore=A,B`, `hadolint global ignore=...`, `hadolint stage ignore=...` and the
/// same after `dockstage`. A trailing `# comment` is allowed.
fn parse_pragma(text: &str) -> Option<Pragma> {
    let text = text.trim_start_matches([' ', '\t']);
    let rest = text.strip_prefix("hadolint").or_else(|| text.strip_prefix("dockstage"))?;
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let rest = rest.trim_start_matches([' ', '\t']);
    let (kind, rest) = if let Some(r) = rest.strip_prefix("global") {
        (1, r.strip_prefix([' ', '\t'])?.trim_start_matches([' ', '\t']))
    } else if let Some(r) = rest.strip_prefix("stage") {
        (2, r.strip_prefix([' ', '\t'])?.trim_start_matches([' ', '\t']))
    } else {
        (0, rest)
    };
    let rest = rest.strip_prefix("ignore")?.trim_start_matches([' ', '\t']);
    let rest = rest.strip_prefix('=')?;
    let list = rest.split('#').next().unwrap_or("");
    let ids: Vec<String> = list.split(',').map(|s| s.trim_matches([' ', '\t']).to_string()).collect();
    if ids.iter().any(|id| id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')) {
        return None;
    }
    Some(match kind {
        0 => Pragma::Line(ids),
        1 => Pragma::Global(ids),
        _ => Pragma::Stage(ids),
    })
}

/// Whether a comment is an ignore pragma (used by DL1001).
pub fn is_ignore_pragma(text: &str) -> bool {
    matches!(parse_pragma(text), Some(Pragma::Line(_)))
}

/// What a BuildKit `check` value turns on and off.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CheckOptions {
    pub skip: HashSet<String>,
    pub skip_all: bool,
    pub experimental: HashSet<String>,
    pub experimental_all: bool,
    pub error: bool,
}

/// BuildKit's experimental checks: they run only when `experimental=` names them (or says `all`),
/// and `skip=` does not apply to them.
pub const EXPERIMENTAL_CHECKS: &[&str] = &["InvalidDefinitionDescription"];

/// The build argument that, when given, replaces the file's `check` directive.
pub const CHECK_BUILD_ARG: &str = "BUILDKIT_DOCKERFILE_CHECK";

/// BuildKit's checks that run once for the whole file, with the file's options only: a `# check=`
/// comment above an instruction does not change them.
const FILE_LEVEL_CHECKS: &[&str] = &["NoEmptyContinuation", "ConsistentInstructionCasing", "DuplicateStageName", "ReservedStageName", "InvalidDefaultArgInFrom"];

/// BuildKit's checks that run while a stage is built (dispatched) rather than while the file is
/// parsed: with a build target, they say nothing about stages the target does not need.
pub const DISPATCH_CHECKS: &[&str] = &[
    "UndefinedVar",
    "WorkdirRelativePath",
    "JSONArgsRecommended",
    "MultipleInstructionsDisallowed",
    "LegacyKeyValueFormat",
    "SecretsUsedInArgOrEnv",
    "CopyIgnoredFile",
    "ExposeProtoCasing",
    "ExposeInvalidFormat",
    "InvalidBaseImagePlatform",
];

impl CheckOptions {
    /// Parses a `check` value the way BuildKit does: at most three `;`-separated `key=value`
    /// options among `skip`, `experimental` and `error`. Anything else is an error, with
    /// BuildKit's wording.
    pub fn parse(value: &str) -> Result<CheckOptions, String> {
        let value = value.trim();
        let mut o = CheckOptions::default();
        if value.is_empty() {
            return Ok(o);
        }
        for part in value.splitn(3, ';') {
            let Some((k, v)) = part.split_once('=') else {
                return Err(format!("invalid check option {}", go_quote(part)));
            };
            let v = v.trim();
            match k.trim() {
                "skip" if v == "all" => o.skip_all = true,
                "skip" => o.skip = v.split(',').map(|r| r.trim().to_string()).collect(),
                "experimental" if v == "all" => o.experimental_all = true,
                "experimental" => o.experimental = v.split(',').map(|r| r.trim().to_string()).collect(),
                "error" => {
                    o.error = parse_go_bool(v).ok_or_else(|| {
                        format!("failed to parse check option {}: strconv.ParseBool: parsing {}: invalid syntax", go_quote(part), go_quote(v))
                    })?
                }
                other => return Err(format!("invalid check option {}", go_quote(other.trim()))),
            }
        }
        Ok(o)
    }

    /// These options with another's skips and experimental rules added; `error` stays as it was
    /// (BuildKit merges only those two from a comment above an instruction).
    fn merged(&self, other: &CheckOptions) -> CheckOptions {
        let mut m = self.clone();
        m.skip_all |= other.skip_all;
        m.skip.extend(other.skip.iter().cloned());
        m.experimental_all |= other.experimental_all;
        m.experimental.extend(other.experimental.iter().cloned());
        m
    }

    /// Whether a BuildKit check runs under these options.
    pub fn runs(&self, rule: &str) -> bool {
        if EXPERIMENTAL_CHECKS.contains(&rule) {
            self.experimental_all || self.experimental.contains(rule)
        } else {
            !(self.skip_all || self.skip.contains(rule))
        }
    }
}

/// Go's `strconv.ParseBool`.
fn parse_go_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Go's `%q` for the plain text a Dockerfile line holds.
fn go_quote(s: &str) -> String {
    format!("{s:?}")
}

/// A `check` value that BuildKit cannot parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidCheck {
    pub line: usize,
    /// Whether it is the file's directive (BuildKit fails the build) or a comment above one
    /// instruction (BuildKit ignores it).
    pub directive: bool,
    pub message: String,
}

/// A comment's text as a `check=...` setting: BuildKit's directive syntax without the `#`, the
/// value cut at its first space (so `skip=X // why` reads `skip=X`).
fn check_comment_value(comment: &str) -> Option<&str> {
    let name_len = comment
        .char_indices()
        .take_while(|&(i, c)| if i == 0 { c.is_ascii_alphabetic() } else { c.is_ascii_alphanumeric() })
        .count();
    if name_len == 0 || !comment[..name_len].eq_ignore_ascii_case("check") {
        return None;
    }
    let value = comment[name_len..].trim_start().strip_prefix('=')?.trim();
    if value.is_empty() {
        return None;
    }
    Some(value.split(' ').next().unwrap_or(""))
}

/// For each instruction that has a `check=` comment among the comments BuildKit attaches to it
/// (those since the previous instruction, back to the last empty `#` line): the comment's line
/// and value. BuildKit uses the first such comment.
fn instruction_check_comments(dockerfile: &Dockerfile) -> Vec<(usize, usize, usize, String)> {
    let mut out = Vec::new();
    let mut previous_end = 0;
    for inst in &dockerfile.instructions {
        let first = inst.comments_before.iter().find_map(|c| check_comment_value(c).map(|v| (c, v)));
        if let Some((text, value)) = first {
            let line = dockerfile
                .comments
                .iter()
                .find(|c| c.line > previous_end && c.line < inst.start_line && &c.text == text)
                .map_or(inst.start_line, |c| c.line);
            out.push((inst.start_line, inst.end_line, line, value.to_string()));
        }
        previous_end = inst.end_line.max(inst.start_line);
    }
    out
}

/// Every `check` setting BuildKit would not understand: the file's directive (unless a
/// `BUILDKIT_DOCKERFILE_CHECK` build argument replaces it) and comments above instructions.
pub fn invalid_checks(dockerfile: &Dockerfile, config: &Config) -> Vec<InvalidCheck> {
    let mut out = Vec::new();
    match config.build_args.get(CHECK_BUILD_ARG) {
        Some(v) => {
            if let Err(e) = CheckOptions::parse(v) {
                out.push(InvalidCheck { line: 1, directive: true, message: format!("failed to parse {CHECK_BUILD_ARG}: {e}") });
            }
        }
        None => {
            if let Some(d) = dockerfile.directive("check") {
                if let Err(e) = CheckOptions::parse(&d.value) {
                    out.push(InvalidCheck { line: d.line, directive: true, message: format!("failed to parse check options: {e}") });
                }
            }
        }
    }
    for (_, _, line, value) in instruction_check_comments(dockerfile) {
        if let Err(e) = CheckOptions::parse(&value) {
            out.push(InvalidCheck { line, directive: false, message: e });
        }
    }
    out
}

impl Suppressions {
    pub fn collect(dockerfile: &Dockerfile, config: &Config) -> Suppressions {
        let mut s = Suppressions::default();
        let file_value = match config.build_args.get(CHECK_BUILD_ARG) {
            Some(v) => Some(v.as_str()),
            None => dockerfile.directive("check").map(|d| d.value.as_str()),
        };
        // An unparsable value is reported by InvalidCheckDirective; the checks then run as if
        // there were none.
        s.check = file_value.and_then(|v| CheckOptions::parse(v).ok()).unwrap_or_default();
        for (start, end, _, value) in instruction_check_comments(dockerfile) {
            if let Ok(o) = CheckOptions::parse(&value) {
                s.check_by_instruction.push((start, end, s.check.merged(&o)));
            }
        }
        if config.disable_ignore_pragma {
            return s;
        }
        for c in &dockerfile.comments {
            match parse_pragma(&c.text) {
                Some(Pragma::Line(ids)) => s.by_line.entry(c.line + 1).or_default().extend(ids),
                Some(Pragma::Global(ids)) => s.global.extend(ids),
                Some(Pragma::Stage(ids)) => s.by_stage.entry(c.line + 1).or_default().extend(ids),
                None => {}
            }
        }
        for inst in &dockerfile.instructions {
            if inst.kind == Keyword::From {
                s.by_stage.entry(inst.start_line).or_default();
            }
        }
        s
    }

    /// The file's check options.
    pub fn check_options(&self) -> &CheckOptions {
        &self.check
    }

    /// The severity a rule runs at in this file, `None` when it is off everywhere.
    pub fn effective_severity(&self, meta: &RuleMeta, config: &Config) -> Option<Severity> {
        let configured = config.overrides.contains_key(meta.id);
        if meta.origin == Origin::Buildkit {
            let experimental = EXPERIMENTAL_CHECKS.contains(&meta.id);
            let anywhere = self.check.runs(meta.id) || self.check_by_instruction.iter().any(|(_, _, o)| o.runs(meta.id));
            // An experimental check a configuration turns on runs as configured.
            if !(anywhere || experimental && configured) {
                return None;
            }
            if experimental && !configured {
                if config.ignored.contains(meta.id) {
                    return None;
                }
                return Some(if self.check.error { Severity::Error } else { Severity::Style });
            }
        }
        let sev = config.severity_for(meta.id, meta.severity)?;
        if meta.origin == Origin::Buildkit && self.check.error && !configured {
            return Some(Severity::Error);
        }
        Some(sev)
    }

    /// Whether BuildKit's options for the instruction a finding is about turn its check off.
    /// `line` is the line of the instruction whose options apply (see [`crate::lint_parsed_with`]).
    pub fn check_skipped(&self, meta: &RuleMeta, config: &Config, line: usize) -> bool {
        if meta.origin != Origin::Buildkit || (EXPERIMENTAL_CHECKS.contains(&meta.id) && config.overrides.contains_key(meta.id)) {
            return false;
        }
        let options = if FILE_LEVEL_CHECKS.contains(&meta.id) {
            &self.check
        } else {
            self.check_by_instruction.iter().find(|(s, e, _)| *s <= line && line <= *e).map_or(&self.check, |(_, _, o)| o)
        };
        !options.runs(meta.id)
    }

    pub fn suppressed(&self, rule: &str, line: usize) -> bool {
        if self.global.contains(rule) {
            return true;
        }
        if self.by_line.get(&line).is_some_and(|ids| ids.contains(rule)) {
            return true;
        }
        self.by_stage.range(..line).next_back().is_some_and(|(_, ids)| ids.contains(rule))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pragmas() {
        assert!(matches!(parse_pragma(" hadolint ignore=DL3008,DL3015"), Some(Pragma::Line(v)) if v == ["DL3008", "DL3015"]));
        assert!(matches!(parse_pragma("hadolint ignore = DL3008 , SC2086 # why"), Some(Pragma::Line(v)) if v == ["DL3008", "SC2086"]));
        assert!(matches!(parse_pragma("hadolint global ignore=DL3006"), Some(Pragma::Global(_))));
        assert!(matches!(parse_pragma("dockstage ignore=JSONArgsRecommended"), Some(Pragma::Line(_))));
        assert!(parse_pragma("hadolintignore=DL3008").is_none());
        assert!(parse_pragma("just a comment").is_none());
    }
}
