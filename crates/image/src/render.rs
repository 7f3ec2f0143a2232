//! Text and JSON output for `inspect` and `diff`.
use std::fmt::Write;

use serde::Serialize;

use crate::analysis::Analysis;
use crate::ci::{CiReport, Status};
use crate::diff::ImageDiff;

/// Bytes in SI units, as dive (go-humanize) prints them: "3.1 MB", "812 kB", "17 B".
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 7] = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
    if n < 10 {
        return format!("{n} B");
    }
    let e = ((n as f64).ln() / 1000f64.ln()).floor() as usize;
    let e = e.min(UNITS.len() - 1);
    let val = n as f64 / 1000f64.powi(e as i32);
    if val < 10.0 {
        format!("{:.1} {}", (val * 10.0 + 0.5).floor() / 10.0, UNITS[e])
    } else {
        format!("{:.0} {}", (val + 0.5).floor(), UNITS[e])
    }
}

fn signed_bytes(n: i64) -> String {
    if n < 0 {
        format!("-{}", bytes(n.unsigned_abs()))
    } else {
        bytes(n as u64)
    }
}

fn one_line(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > max {
        s.chars().take(max.saturating_sub(3)).collect::<String>() + "..."
    } else {
        s
    }
}

fn percent(x: f64) -> String {
    if x.is_finite() {
        format!("{:.4} %", x * 100.0)
    } else {
        "n/a".to_string()
    }
}

/// The `inspect` report for a terminal.
pub fn inspect_text(a: &Analysis, ci: Option<&CiReport>) -> String {
    let mut o = String::new();
    let tags = if a.repo_tags.is_empty() {
        String::new()
    } else {
        format!("  [{}]", a.repo_tags.join(", "))
    };
    let _ = writeln!(o, "Image: {} ({}){}", a.image, a.format.as_str(), tags);
    let _ = writeln!(
        o,
        "  {} in {} layers ({} stored), final file system {} in {} files",
        bytes(a.size_bytes),
        a.layers.len(),
        bytes(a.blob_bytes),
        bytes(a.final_size_bytes),
        a.final_files
    );
    let _ = writeln!(
        o,
        "  efficiency: {}   wasted: {} ({} bytes)   user wasted: {}",
        percent(a.efficiency),
        bytes(a.wasted_bytes),
        a.wasted_bytes,
        percent(a.user_wasted_percent)
    );
    let _ = writeln!(o, "\nLayers");
    let _ = writeln!(
        o,
        "  {:>3}  {:>9}  {:>7}  {:>7}  {:>7}  {:>9}  MADE BY",
        "#", "SIZE", "ADDED", "CHANGED", "REMOVED", "WASTED"
    );
    for l in &a.layers {
        let made_by = match (&l.instruction, &l.created_by) {
            (Some(i), _) => format!("line {}: {}", i.line, one_line(&i.text, 70)),
            (None, Some(c)) => one_line(
                c.trim_start_matches("/bin/sh -c ")
                    .trim_start_matches("#(nop) "),
                80,
            ),
            (None, None) => "(no history)".to_string(),
        };
        let _ = writeln!(
            o,
            "  {:>3}  {:>9}  {:>7}  {:>7}  {:>7}  {:>9}  {}",
            l.index,
            bytes(l.size_bytes),
            l.files_added,
            l.files_changed,
            l.files_removed,
            if l.wasted_bytes == 0 {
                "-".to_string()
            } else {
                bytes(l.wasted_bytes)
            },
            made_by
        );
    }
    if !a.inefficiencies.is_empty() {
        let _ = writeln!(
            o,
            "\nWasted space (paths written more than once or removed)"
        );
        let _ = writeln!(o, "  {:>5}  {:>9}  PATH", "COUNT", "WASTED");
        for i in a.inefficiencies.iter().take(10) {
            let _ = writeln!(
                o,
                "  {:>5}  {:>9}  {}",
                i.count,
                bytes(i.wasted_bytes),
                i.path
            );
        }
        if a.inefficiencies.len() > 10 {
            let _ = writeln!(
                o,
                "  ... {} more (see --format json)",
                a.inefficiencies.len() - 10
            );
        }
    }
    let _ = writeln!(o, "\nBiggest files");
    for f in &a.biggest_files {
        let _ = writeln!(
            o,
            "  {:>9}  {}  (layer {})",
            bytes(f.size_bytes),
            f.path,
            f.layer
        );
    }
    let _ = writeln!(o, "\nBiggest directories");
    for d in &a.biggest_dirs {
        let _ = writeln!(o, "  {:>9}  {}", bytes(d.size_bytes), d.path);
    }
    packages_text(&mut o, &a.packages);
    let _ = writeln!(o, "\nBuild leftovers");
    if a.leakage.is_empty() {
        let _ = writeln!(o, "  none found");
    }
    for l in &a.leakage {
        let _ = writeln!(
            o,
            "  {:<17} {:>9} in {} files: {}",
            l.kind.as_str(),
            bytes(l.bytes),
            l.files,
            l.advice
        );
        for g in l.top.iter().take(3) {
            let _ = writeln!(o, "  {:<17} {:>9}  {}", "", bytes(g.bytes), g.path);
        }
    }
    if let Some(ci) = ci {
        o.push_str(&ci_text(ci));
    }
    o
}

/// The packages section of `inspect`: counts by ecosystem and the biggest.
fn packages_text(o: &mut String, p: &crate::packages::Packages) {
    if p.all.is_empty() {
        let _ = writeln!(o, "\nPackages: none found (dpkg, apk, Python, Node and Go build info are read)");
        for n in &p.notes {
            let _ = writeln!(o, "  note: {n}");
        }
        return;
    }
    let counts: Vec<String> = p.counts.iter().map(|(e, n)| format!("{} {n}", e.as_str())).collect();
    let _ = writeln!(o, "\nPackages: {} ({})", p.all.len(), counts.join(", "));
    for pk in &p.biggest {
        let _ = writeln!(
            o,
            "  {:>9}  {:<7} {} {}",
            bytes(pk.size_bytes.unwrap_or(0)),
            pk.ecosystem.as_str(),
            pk.name,
            pk.version
        );
    }
    for n in &p.notes {
        let _ = writeln!(o, "  note: {n}");
    }
}

pub fn ci_text(ci: &CiReport) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "\nCI rules");
    for r in &ci.results {
        let status = match r.status {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Skip => "SKIP",
        };
        if r.message.is_empty() {
            let _ = writeln!(o, "  {status}: {} ({})", r.rule, r.threshold);
        } else {
            let _ = writeln!(o, "  {status}: {}: {}", r.rule, r.message);
        }
    }
    let _ = writeln!(o, "  result: {}", if ci.pass { "PASS" } else { "FAIL" });
    o
}

#[derive(Serialize)]
struct InspectJson<'a> {
    #[serde(flatten)]
    analysis: &'a Analysis,
    #[serde(skip_serializing_if = "Option::is_none")]
    ci: Option<&'a CiReport>,
}

pub fn inspect_json(a: &Analysis, ci: Option<&CiReport>) -> String {
    serde_json::to_string_pretty(&InspectJson { analysis: a, ci }).expect("serializable") + "\n"
}

pub fn diff_json(d: &ImageDiff) -> String {
    serde_json::to_string_pretty(d).expect("serializable") + "\n"
}

/// The `diff` report: the seed's size comparison, measured.
pub fn diff_text(d: &ImageDiff) -> String {
    let mut o = String::new();
    let w = d.a.image.len().max(d.b.image.len()).min(60);
    let _ = writeln!(o, "Size comparison (measured)");
    for (label, s) in [("A", &d.a), ("B", &d.b)] {
        let _ = writeln!(
            o,
            "  {label} {:<w$} : {:>9}  ({} layers, {} files, {} stored, efficiency {})",
            s.image,
            bytes(s.final_size_bytes),
            s.layers,
            s.files,
            bytes(s.blob_bytes),
            percent(s.efficiency),
        );
    }
    if d.saving_bytes >= 0 {
        let _ = writeln!(
            o,
            "\n  Savings: {} ({:.1}% reduction) choosing B over A",
            bytes(d.saving_bytes as u64),
            d.saving_percent
        );
    } else {
        let _ = writeln!(
            o,
            "\n  B is larger by {} ({:.1}%)",
            bytes(d.saving_bytes.unsigned_abs()),
            -d.saving_percent
        );
    }
    if d.shared_layers > 0 {
        let _ = writeln!(o, "  {} base layer(s) shared", d.shared_layers);
    }
    let _ = writeln!(o, "\nLayers");
    let _ = writeln!(o, "  {:>3}  {:>9}  {:>9}  ", "#", "A", "B");
    for l in &d.layers {
        let show = |x: &Option<crate::diff::LayerBrief>| {
            x.as_ref().map_or("-".to_string(), |b| bytes(b.size_bytes))
        };
        let made_by = |x: &Option<crate::diff::LayerBrief>| {
            let c = x
                .as_ref()
                .and_then(|b| b.created_by.as_deref())
                .unwrap_or("");
            one_line(
                c.trim_start_matches("/bin/sh -c ")
                    .trim_start_matches("#(nop) "),
                60,
            )
        };
        let what = if l.shared || l.b.is_none() {
            made_by(&l.a)
        } else if l.a.is_none() {
            format!("B: {}", made_by(&l.b))
        } else {
            format!(
                "A: {}\n  {:>3}  {:>9}  {:>9}  B: {}",
                made_by(&l.a),
                "",
                "",
                "",
                made_by(&l.b)
            )
        };
        let _ = writeln!(
            o,
            "  {:>3}  {:>9}  {:>9}  {}{}",
            l.index,
            show(&l.a),
            show(&l.b),
            if l.shared { "(shared) " } else { "" },
            what
        );
    }
    for (label, only) in [("A", &d.only_in_a), ("B", &d.only_in_b)] {
        let _ = writeln!(
            o,
            "\nOnly in {label}: {} in {} files",
            bytes(only.bytes),
            only.files
        );
        for (p, b) in only.top_dirs.iter().take(8) {
            let _ = writeln!(o, "  {:>9}  {}/", bytes(*b), p);
        }
    }
    if d.changed_files > 0 {
        let _ = writeln!(
            o,
            "\nIn both, different size: {} files, {}",
            d.changed_files,
            signed_bytes(d.changed_bytes)
        );
    }
    let pk = &d.packages;
    if pk.a_count + pk.b_count > 0 {
        let _ = writeln!(o, "\nPackages: A {}, B {}", pk.a_count, pk.b_count);
        for (label, only) in [("A", &pk.only_in_a), ("B", &pk.only_in_b)] {
            if only.is_empty() {
                continue;
            }
            let names: Vec<String> = only.iter().map(|p| format!("{} ({})", p.name, p.ecosystem.as_str())).collect();
            let _ = writeln!(o, "  only in {label} ({}): {}", only.len(), names.join(", "));
        }
    }
    if !d.leakage.is_empty() {
        let _ = writeln!(o, "\nBuild leftovers        A          B");
        for l in &d.leakage {
            let _ = writeln!(
                o,
                "  {:<17} {:>9}  {:>9}",
                l.kind.as_str(),
                bytes(l.a_bytes),
                bytes(l.b_bytes)
            );
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn si_bytes_like_humanize() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(1000), "1.0 kB");
        assert_eq!(bytes(3_100_000), "3.1 MB");
        assert_eq!(bytes(812_300_000), "812 MB");
    }
}
