//! Checkstyle XML, as hadolint writes it.

use std::io::{self, Write};

use dockstage_lint::FileReport;

use super::xml_escape;

pub fn render(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    write!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><checkstyle version=\"4.3\">")?;
    for r in reports {
        write!(out, "<file name=\"{}\">", xml_escape(&r.file))?;
        for f in &r.findings {
            write!(
                out,
                "<error column=\"{}\" line=\"{}\" message=\"{}\" severity=\"{}\" source=\"{}\"/>",
                f.column,
                f.line,
                xml_escape(&f.message),
                f.severity,
                xml_escape(f.rule)
            )?;
        }
        write!(out, "</file>")?;
    }
    writeln!(out, "</checkstyle>")
}
