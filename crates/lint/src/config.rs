//! Configuration, read from `.hadolint.yaml` the way hadolint reads it, and merged with flags.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::Severity;

/// The value types hadolint's `label-schema` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LabelType {
    Text,
    Url,
    Semver,
    Hash,
    Rfc3339,
    Spdx,
    Email,
}

/// Everything that changes what is reported and how the run ends.
#[derive(Debug, Clone)]
pub struct Config {
    /// Rules never reported.
    pub ignored: HashSet<String>,
    /// Severity per rule id (`ignore` disables; a severity enables a rule that is off by default).
    pub overrides: HashMap<String, Severity>,
    pub trusted_registries: Vec<String>,
    pub label_schema: BTreeMap<String, LabelType>,
    pub strict_labels: bool,
    pub failure_threshold: Severity,
    pub no_fail: bool,
    pub disable_ignore_pragma: bool,
    pub format: Option<String>,
    pub no_color: bool,
    /// `--build-arg` values, as `docker build --check` takes them: they replace ARG defaults,
    /// and `BUILDKIT_DOCKERFILE_CHECK` replaces the file's `check` directive.
    pub build_args: BTreeMap<String, String>,
    /// `--platform`: the target platform (`os/arch[/variant]`); the build machine's otherwise.
    pub platform: Option<String>,
    /// The platform (`os/arch[/variant]`) of base images, read from their configuration, by the
    /// reference a FROM line names (after ARG expansion): what InvalidBaseImagePlatform compares.
    pub base_platforms: BTreeMap<String, String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            ignored: HashSet::new(),
            overrides: HashMap::new(),
            trusted_registries: Vec::new(),
            label_schema: BTreeMap::new(),
            strict_labels: false,
            failure_threshold: Severity::Info,
            no_fail: false,
            disable_ignore_pragma: false,
            format: None,
            no_color: false,
            build_args: BTreeMap::new(),
            platform: None,
            base_platforms: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileOverride {
    #[serde(default)]
    error: Vec<String>,
    #[serde(default)]
    warning: Vec<String>,
    #[serde(default)]
    info: Vec<String>,
    #[serde(default)]
    style: Vec<String>,
}

/// The file's shape. Unknown keys are ignored, as hadolint ignores them.
#[derive(Debug, Default, Deserialize)]
struct FileConfig {
    #[serde(default)]
    ignored: Vec<String>,
    #[serde(default, rename = "override")]
    override_key: Option<FileOverride>,
    #[serde(default, rename = "trustedRegistries")]
    trusted_registries: Vec<String>,
    #[serde(default, rename = "label-schema")]
    label_schema: BTreeMap<String, LabelType>,
    #[serde(default, rename = "strict-labels")]
    strict_labels: Option<bool>,
    #[serde(default, rename = "failure-threshold")]
    failure_threshold: Option<String>,
    #[serde(default, rename = "no-fail")]
    no_fail: Option<bool>,
    #[serde(default, rename = "disable-ignore-pragma")]
    disable_ignore_pragma: Option<bool>,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    formats: Vec<String>,
    #[serde(default, rename = "no-color")]
    no_color: Option<bool>,
    #[serde(default)]
    verbose: Option<bool>,
}

impl Config {
    /// Parses `.hadolint.yaml` text.
    pub fn from_yaml(text: &str) -> Result<Config, String> {
        let mut config = Config::default();
        config.apply_yaml(text)?;
        Ok(config)
    }

    /// Applies a config file on top of `self`.
    pub fn apply_yaml(&mut self, text: &str) -> Result<(), String> {
        if text.trim().is_empty() {
            return Ok(());
        }
        let file: FileConfig = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
        self.ignored.extend(file.ignored);
        if let Some(o) = file.override_key {
            for (ids, sev) in [(o.error, Severity::Error), (o.warning, Severity::Warning), (o.info, Severity::Info), (o.style, Severity::Style)] {
                for id in ids {
                    self.overrides.insert(id, sev);
                }
            }
        }
        self.trusted_registries.extend(file.trusted_registries);
        self.label_schema.extend(file.label_schema);
        if let Some(v) = file.strict_labels {
            self.strict_labels = v;
        }
        if let Some(t) = file.failure_threshold {
            self.failure_threshold = Severity::parse(&t).ok_or_else(|| format!("failure-threshold: invalid severity {t:?}"))?;
        }
        if let Some(v) = file.no_fail {
            self.no_fail = v;
        }
        if let Some(v) = file.disable_ignore_pragma {
            self.disable_ignore_pragma = v;
        }
        if let Some(f) = file.format.or_else(|| file.formats.into_iter().next()) {
            self.format = Some(f);
        }
        if let Some(v) = file.no_color {
            self.no_color = v;
        }
        let _ = file.verbose;
        Ok(())
    }

    /// The severity a rule reports at, `None` when it does not run.
    pub fn severity_for(&self, id: &str, default: Severity) -> Option<Severity> {
        if self.ignored.contains(id) {
            return None;
        }
        let sev = self.overrides.get(id).copied().unwrap_or(default);
        (sev != Severity::Ignore).then_some(sev)
    }
}

/// Where hadolint looks when no `--config` is given, first existing wins: `./.hadolint.{yaml,yml}`,
/// `$XDG_CONFIG_HOME/hadolint.{yaml,yml}` (default `~/.config`), `~/.hadolint/{hadolint,config}.{yaml,yml}`,
/// `~/.hadolint.{yaml,yml}`.
pub fn find_config_file(cwd: &Path) -> Option<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| home.as_ref().map(|h| h.join(".config")));
    let mut candidates = vec![cwd.join(".hadolint.yaml"), cwd.join(".hadolint.yml")];
    if let Some(x) = &xdg {
        candidates.push(x.join("hadolint.yaml"));
        candidates.push(x.join("hadolint.yml"));
    }
    if let Some(h) = &home {
        for name in ["hadolint.yaml", "hadolint.yml", "config.yaml", "config.yml"] {
            candidates.push(h.join(".hadolint").join(name));
        }
        candidates.push(h.join(".hadolint.yaml"));
        candidates.push(h.join(".hadolint.yml"));
    }
    candidates.into_iter().find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_hadolint_yaml() {
        let c = Config::from_yaml(
            "ignored: [DL3008]\noverride:\n  error: [DL3006]\n  style: [DL3015]\ntrustedRegistries:\n  - docker.io\n  - '*.gcr.io'\nlabel-schema:\n  author: text\n  url: url\nstrict-labels: true\nfailure-threshold: warning\nno-fail: true\nformat: json\n",
        )
        .unwrap();
        assert!(c.ignored.contains("DL3008"));
        assert_eq!(c.overrides["DL3006"], Severity::Error);
        assert_eq!(c.overrides["DL3015"], Severity::Style);
        assert_eq!(c.trusted_registries, ["docker.io", "*.gcr.io"]);
        assert_eq!(c.label_schema["url"], LabelType::Url);
        assert!(c.strict_labels && c.no_fail);
        assert_eq!(c.failure_threshold, Severity::Warning);
        assert_eq!(c.format.as_deref(), Some("json"));
        assert_eq!(c.severity_for("DL3008", Severity::Warning), None);
        assert_eq!(c.severity_for("DL3006", Severity::Warning), Some(Severity::Error));
    }

    #[test]
    fn rejects_bad_threshold() {
        assert!(Config::from_yaml("failure-threshold: loud\n").is_err());
    }
}
