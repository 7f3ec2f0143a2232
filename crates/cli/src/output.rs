//! Where a report goes: standard output, or `-o FILE`, written whole or not at all.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// `-o FILE`, shared by every command whose output is a report.
#[derive(clap::Args, Debug, Default)]
pub struct OutputArgs {
    /// Write the report to FILE instead of standard output (replaced only once it is complete).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl OutputArgs {
    pub fn to_file(&self) -> bool {
        self.output.is_some()
    }

    /// Writes the finished report.
    pub fn emit(&self, bytes: &[u8]) -> io::Result<()> {
        match &self.output {
            None => {
                let mut out = io::stdout().lock();
                out.write_all(bytes)?;
                out.flush()
            }
            Some(path) => write_atomically(path, bytes),
        }
    }
}

/// Writes beside the destination, then renames over it, so a reader never sees half a report
/// and a failure leaves the old file as it was.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let tmp = dir.join(format!(".{}.{}.tmp", name.to_string_lossy(), std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))
}
