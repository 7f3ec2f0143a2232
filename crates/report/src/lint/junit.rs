//! JUnit XML: one test suite per file, one failing test case per finding, and a passing case for
//! a clean file (CI dashboards count files).

use std::io::{self, Write};

use dockstage_lint::FileReport;

use super::xml_escape;

pub fn render(reports: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let total: usize = reports.iter().map(|r| r.findings.len().max(1)).sum();
    let failures: usize = reports.iter().map(|r| r.findings.len()).sum();
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(out, "<testsuites name=\"dockstage lint\" tests=\"{total}\" failures=\"{failures}\">")?;
    for r in reports {
        let file = xml_escape(&r.file);
        writeln!(out, "  <testsuite name=\"{file}\" tests=\"{}\" failures=\"{}\">", r.findings.len().max(1), r.findings.len())?;
        if r.findings.is_empty() {
            writeln!(out, "    <testcase name=\"{file}\" classname=\"dockstage.lint\"/>")?;
        }
        for f in &r.findings {
            writeln!(out, "    <testcase name=\"{}:{} {}\" classname=\"{file}\">", f.rule, f.line, xml_escape(&f.message))?;
            writeln!(
                out,
                "      <failure type=\"{}\" message=\"{}\">{file}:{}:{} {} {}: {}</failure>",
                f.severity,
                xml_escape(&f.message),
                f.line,
                f.column,
                f.rule,
                f.severity,
                xml_escape(&f.message)
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}
