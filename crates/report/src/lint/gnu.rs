//! GNU error format, as hadolint writes it: `hadolint:FILE:LINE: CODE LEVEL: MESSAGE` (with our
//! program name).

use std::io::{self, Write};

use dockstage_lint::FileReport;

pub fn render(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for r in reports {
        for f in &r.findings {
            writeln!(out, "dockstage:{}:{}: {} {}: {}", r.file, f.line, f.rule, f.severity, f.message)?;
        }
    }
    Ok(())
}
