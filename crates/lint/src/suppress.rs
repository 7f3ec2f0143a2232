//! In-file suppressions: hadolint's `# hadolint ignore=`, `# hadolint global ignore=` and
//! `# hadolint stage ignore=` pragmas, dockstage's `# dockstage ignore=` (same forms), and BuildKit's
//! `# check=skip=...;error=true` parser directive.

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
    /// From `# check=skip=`: BuildKit rule names, or all of them.
    check_skip: HashSet<String>,
    check_skip_all: bool,
    check_error: bool,
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

impl Suppressions {
    pub fn collect(dockerfile: &Dockerfile, config: &Config) -> Suppressions {
        let mut s = Suppressions::default();
        if let Some(check) = dockerfile.directive("check") {
            s.apply_check(&check.value);
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

    /// BuildKit's `check` directive: `skip=A,B` or `skip=all`, `error=true`, separated by `;`.
    fn apply_check(&mut self, value: &str) {
        let value = value.split(' ').next().unwrap_or("");
        for part in value.split(';') {
            let Some((k, v)) = part.split_once('=') else { continue };
            match k.trim().to_ascii_lowercase().as_str() {
                "skip" => {
                    for name in v.split(',').map(str::trim) {
                        if name.eq_ignore_ascii_case("all") {
                            self.check_skip_all = true;
                        } else if !name.is_empty() {
                            self.check_skip.insert(name.to_string());
                        }
                    }
                }
                "error" => self.check_error = v.trim().eq_ignore_ascii_case("true"),
                _ => {}
            }
        }
    }

    /// The severity a rule runs at in this file, `None` when it is off.
    pub fn effective_severity(&self, meta: &RuleMeta, config: &Config) -> Option<Severity> {
        if meta.origin == Origin::Buildkit && (self.check_skip_all || self.check_skip.contains(meta.id)) {
            return None;
        }
        let sev = config.severity_for(meta.id, meta.severity)?;
        if meta.origin == Origin::Buildkit && self.check_error && !config.overrides.contains_key(meta.id) {
            return Some(Severity::Error);
        }
        Some(sev)
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
