//! Lint output formats, one module each. Field names and shapes follow hadolint's formatters where
//! hadolint has the format, so CI tooling reading hadolint's output reads ours.

mod checkstyle;
mod github;
mod gitlab;
mod gnu;
mod json;
mod junit;
mod sarif;
mod tty;

use std::io::{self, Write};

use dockstage_lint::FileReport;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Tty,
    Json,
    Sarif,
    Checkstyle,
    Gitlab,
    Github,
    Junit,
    Gnu,
}

impl Format {
    pub const NAMES: &'static [&'static str] = &["tty", "json", "sarif", "checkstyle", "gitlab", "github", "junit", "gnu"];

    /// Our names plus hadolint's aliases (`gitlab_codeclimate`, `codeclimate`, `github-actions`).
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "tty" => Format::Tty,
            "json" => Format::Json,
            "sarif" => Format::Sarif,
            "checkstyle" => Format::Checkstyle,
            "gitlab" | "gitlab_codeclimate" | "codeclimate" => Format::Gitlab,
            "github" | "github-actions" => Format::Github,
            "junit" => Format::Junit,
            "gnu" => Format::Gnu,
            _ => return None,
        })
    }
}

/// Writes all reports in `format`. `color` only affects `tty`.
pub fn render(format: Format, reports: &[FileReport], color: bool, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Tty => tty::render(reports, color, out),
        Format::Json => json::render(reports, out),
        Format::Sarif => sarif::render(reports, out),
        Format::Checkstyle => checkstyle::render(reports, out),
        Format::Gitlab => gitlab::render(reports, out),
        Format::Github => github::render(reports, out),
        Format::Junit => junit::render(reports, out),
        Format::Gnu => gnu::render(reports, out),
    }
}

/// Escapes text for XML attributes and content.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}
