//! For people: `file:line:col RULE severity: message`, then the source line with a caret under
//! the column. Colour only when asked (the CLI asks when writing to a terminal).

use std::io::{self, Write};

use dockstage_lint::{FileReport, Severity};

pub fn render(reports: &[FileReport], color: bool, out: &mut dyn Write) -> io::Result<()> {
    let paint = |code: &str, s: &str| if color { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() };
    for r in reports {
        let lines: Vec<&str> = r.source.lines().collect();
        for f in &r.findings {
            let sev = match f.severity {
                Severity::Error => paint("1;91", "error"),
                Severity::Warning => paint("1;93", "warning"),
                Severity::Info => paint("1;96", "info"),
                _ => paint("1;97", f.severity.as_str()),
            };
            writeln!(out, "{}:{}:{} {} {}: {}", paint("1", &r.file), f.line, f.column, paint("2", f.rule), sev, f.message)?;
            if let Some(src) = lines.get(f.line.wrapping_sub(1)) {
                let gutter = format!("{:>5} | ", f.line);
                writeln!(out, "{}{}", paint("34", &gutter), src)?;
                let pad: String = src.chars().take(f.column.saturating_sub(1)).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
                writeln!(out, "{}{}{}", paint("34", "      | "), pad, paint("1;91", "^"))?;
            }
        }
    }
    Ok(())
}
