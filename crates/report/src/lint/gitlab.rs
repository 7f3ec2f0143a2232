//! GitLab Code Quality (a Code Climate subset), as hadolint's `gitlab_codeclimate` writes it.

use std::io::{self, Write};

use dockstage_lint::{FileReport, Severity};
use serde_json::json;

/// A stable fingerprint: FNV-1a over file, rule, line and message, twice with different seeds.
fn fingerprint(parts: &[&str]) -> String {
    let mut out = String::new();
    for seed in [0xcbf2_9ce4_8422_2325u64, 0x8422_2325_cbf2_9ce4u64] {
        let mut h = seed;
        for p in parts {
            for b in p.bytes().chain([0u8]) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
        out.push_str(&format!("{h:016x}"));
    }
    out
}

pub fn render(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let items: Vec<_> = reports
        .iter()
        .flat_map(|r| {
            r.findings.iter().map(move |f| {
                let severity = match f.severity {
                    Severity::Error => "blocker",
                    Severity::Warning => "major",
                    Severity::Info => "info",
                    _ => "minor",
                };
                let line = f.line.to_string();
                json!({
                    "type": "issue",
                    "check_name": f.rule,
                    "description": f.message,
                    "categories": ["Bug Risk"],
                    "fingerprint": fingerprint(&[&r.file, f.rule, &line, &f.message]),
                    "severity": severity,
                    "location": {"path": r.file, "lines": {"begin": f.line, "end": f.end_line}},
                })
            })
        })
        .collect();
    serde_json::to_writer(&mut *out, &items)?;
    writeln!(out)
}
