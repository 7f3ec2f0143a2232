//! GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=ID::message`.

use std::io::{self, Write};

use dockstage_lint::{FileReport, Severity};

fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for r in reports {
        for f in &r.findings {
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                _ => "notice",
            };
            writeln!(
                out,
                "::{level} file={},line={},col={},endLine={},title={}::{}",
                escape_property(&r.file),
                f.line,
                f.column,
                f.end_line,
                escape_property(f.rule),
                escape_data(&format!("{} {}", f.rule, f.message))
            )?;
        }
    }
    Ok(())
}
