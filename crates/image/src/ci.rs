//! CI thresholds, compatible with dive's `--ci` rules and its `.dive-ci` file.
//!
//! Three rules, each a string so `disabled` turns it off: `lowestEfficiency` (ratio 0-1),
//! `highestWastedBytes` (a byte size like `20MB`, `1.5 GiB`, `1000`) and
//! `highestUserWastedPercent` (ratio 0-1). Precedence as in dive: a flag given on the command
//! line beats the file, which beats the defaults (0.9, disabled, 0.1).
use serde::Serialize;

use crate::analysis::Analysis;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rules {
    pub lowest_efficiency: String,
    pub highest_wasted_bytes: String,
    pub highest_user_wasted_percent: String,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            lowest_efficiency: "0.9".into(),
            highest_wasted_bytes: "disabled".into(),
            highest_user_wasted_percent: "0.1".into(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    Skip,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct RuleResult {
    pub rule: &'static str,
    pub threshold: String,
    pub status: Status,
    pub message: String,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CiReport {
    pub pass: bool,
    pub results: Vec<RuleResult>,
}

impl Rules {
    /// Reads the `rules:` map of a `.dive-ci` file over the defaults. Only the three keys
    /// dive knows are taken; unknown keys are errors so typos do not pass silently.
    pub fn from_dive_ci(text: &str, path: &str) -> Result<Rules, String> {
        let mut rules = Rules::default();
        let mut in_rules = false;
        for (n, raw) in text.lines().enumerate() {
            let line = strip_comment(raw);
            if line.trim().is_empty() {
                continue;
            }
            let indented = line.starts_with(' ') || line.starts_with('\t');
            let (key, value) = match line.trim().split_once(':') {
                Some((k, v)) => (k.trim(), unquote(v.trim())),
                None => return Err(format!("{path}:{}:1: expected `key: value`", n + 1)),
            };
            if !indented {
                in_rules = key == "rules";
                if !in_rules && !value.is_empty() && !matches!(key, "ignore-errors") {
                    // dive's file only defines `rules`; tolerate other top-level maps.
                }
                continue;
            }
            if !in_rules {
                continue;
            }
            let col = raw.find(key).unwrap_or(0) + 1;
            let slot = match key.to_ascii_lowercase().as_str() {
                "lowestefficiency" => &mut rules.lowest_efficiency,
                "highestwastedbytes" => &mut rules.highest_wasted_bytes,
                "highestuserwastedpercent" => &mut rules.highest_user_wasted_percent,
                _ => return Err(format!("{path}:{}:{col}: unknown rule `{key}`", n + 1)),
            };
            *slot = value.to_string();
            // Checked here, not at the end, so a bad value is reported at its line and column.
            rules.validate().map_err(|e| {
                let vcol = raw.find(':').map_or(col, |c| c + 2 + raw[c + 1..].len() - raw[c + 1..].trim_start().len());
                format!("{path}:{}:{vcol}: {e}", n + 1)
            })?;
        }
        Ok(rules)
    }

    /// Checks every enabled rule's value; the message names the rule.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(v) = enabled(&self.lowest_efficiency) {
            ratio(v).map_err(|e| format!("lowestEfficiency: {e}"))?;
        }
        if let Some(v) = enabled(&self.highest_wasted_bytes) {
            parse_bytes(v).map_err(|e| format!("highestWastedBytes: {e}"))?;
        }
        if let Some(v) = enabled(&self.highest_user_wasted_percent) {
            ratio(v).map_err(|e| format!("highestUserWastedPercent: {e}"))?;
        }
        Ok(())
    }

    /// Evaluates the rules. Call [`Rules::validate`] first; invalid values fail their rule.
    pub fn evaluate(&self, a: &Analysis) -> CiReport {
        let mut results = Vec::new();
        let mut push = |rule: &'static str,
                        threshold: &str,
                        outcome: Option<Result<Option<String>, String>>| {
            let (status, message) = match outcome {
                None => (Status::Skip, "rule disabled".to_string()),
                Some(Ok(None)) => (Status::Pass, String::new()),
                Some(Ok(Some(m))) | Some(Err(m)) => (Status::Fail, m),
            };
            results.push(RuleResult {
                rule,
                threshold: threshold.to_string(),
                status,
                message,
            });
        };
        push(
            "lowestEfficiency",
            &self.lowest_efficiency,
            enabled(&self.lowest_efficiency).map(|v| {
                let t = ratio(v)?;
                Ok((t > a.efficiency).then(|| {
                    format!(
                        "image efficiency is too low (efficiency={} < threshold={})",
                        a.efficiency, t
                    )
                }))
            }),
        );
        push(
            "highestWastedBytes",
            &self.highest_wasted_bytes,
            enabled(&self.highest_wasted_bytes).map(|v| {
                let t = parse_bytes(v)?;
                Ok((a.wasted_bytes > t).then(|| {
                    format!(
                        "too many bytes wasted (wasted-bytes={} > threshold={})",
                        a.wasted_bytes, t
                    )
                }))
            }),
        );
        push(
            "highestUserWastedPercent",
            &self.highest_user_wasted_percent,
            enabled(&self.highest_user_wasted_percent).map(|v| {
                let t = ratio(v)?;
                Ok((t < a.user_wasted_percent).then(|| {
                    format!("too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes={} > threshold={})", a.user_wasted_percent, t)
                }))
            }),
        );
        let pass = results.iter().all(|r| r.status != Status::Fail);
        CiReport { pass, results }
    }
}

fn enabled(v: &str) -> Option<&str> {
    (v.trim() != "disabled").then_some(v.trim())
}

fn ratio(v: &str) -> Result<f64, String> {
    let x: f64 = v.parse().map_err(|_| format!("'{v}' is not a number"))?;
    if !(0.0..=1.0).contains(&x) {
        return Err(format!("'{v}' is outside the allowed range 0-1"));
    }
    Ok(x)
}

fn strip_comment(line: &str) -> &str {
    // A '#' starts a comment at line start or after whitespace (YAML's rule).
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || bytes[i - 1] == b' ' || bytes[i - 1] == b'\t') {
            return &line[..i];
        }
    }
    line
}

fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return &v[1..v.len() - 1];
        }
    }
    v
}

/// Parses a byte size the way dive does (go-humanize's ParseBytes): a number, optional
/// commas, then an optional unit: B, kB/K (1000), KiB/Ki (1024), up to EB/EiB; any case.
pub fn parse_bytes(s: &str) -> Result<u64, String> {
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(s.len());
    let num: String = s[..end].chars().filter(|&c| c != ',').collect();
    let f: f64 = num
        .parse()
        .map_err(|_| format!("'{s}' is not a byte size"))?;
    let unit = s[end..].trim().to_ascii_lowercase();
    let mult: f64 = match unit.as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "ki" | "kib" => 1024.0,
        "m" | "mb" => 1e6,
        "mi" | "mib" => 1024f64.powi(2),
        "g" | "gb" => 1e9,
        "gi" | "gib" => 1024f64.powi(3),
        "t" | "tb" => 1e12,
        "ti" | "tib" => 1024f64.powi(4),
        "p" | "pb" => 1e15,
        "pi" | "pib" => 1024f64.powi(5),
        "e" | "eb" => 1e18,
        "ei" | "eib" => 1024f64.powi(6),
        _ => return Err(format!("unknown size unit '{unit}' in '{s}'")),
    };
    let v = f * mult;
    if v >= u64::MAX as f64 {
        return Err(format!("'{s}' is too large"));
    }
    Ok(v as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_sizes_like_humanize() {
        assert_eq!(parse_bytes("20MB").unwrap(), 20_000_000);
        assert_eq!(parse_bytes("20 MiB").unwrap(), 20 * 1024 * 1024);
        assert_eq!(parse_bytes("1.5GB").unwrap(), 1_500_000_000);
        assert_eq!(parse_bytes("1,000").unwrap(), 1000);
        assert_eq!(parse_bytes("42").unwrap(), 42);
        assert_eq!(parse_bytes("3k").unwrap(), 3000);
        assert!(parse_bytes("lots").is_err());
        assert!(parse_bytes("3 parsecs").is_err());
    }

    #[test]
    fn dive_ci_file() {
        let text = "rules:\n  # comment\n  lowestEfficiency: 0.95\n  highestWastedBytes: \"20MB\"\n  highestUserWastedPercent: disabled\n";
        let r = Rules::from_dive_ci(text, ".dive-ci").unwrap();
        assert_eq!(r.lowest_efficiency, "0.95");
        assert_eq!(r.highest_wasted_bytes, "20MB");
        assert_eq!(r.highest_user_wasted_percent, "disabled");
        let err = Rules::from_dive_ci("rules:\n  lowestEfficency: 0.9\n", ".dive-ci").unwrap_err();
        assert!(err.starts_with(".dive-ci:2:3: unknown rule"), "{err}");
        let err = Rules::from_dive_ci("rules:\n  lowestEfficiency: 1.5\n", ".dive-ci").unwrap_err();
        assert!(err.contains("outside the allowed range"), "{err}");
    }
}
