//! Reading inputs named on the command line, `-` meaning standard input.

use std::io::Read;
use std::path::Path;

/// A source text and the name to report it by.
pub struct Source {
    pub name: String,
    pub text: String,
}

/// Reads a file (or standard input for `-`). Bytes that are not UTF-8 are replaced, as they can
/// only occur in comments or arguments where BuildKit treats them as opaque.
pub fn read_source(path: &str) -> Result<Source, String> {
    let bytes = if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).map_err(|e| format!("<stdin>: {e}"))?;
        buf
    } else {
        let p = Path::new(path);
        if p.is_dir() {
            return Err(format!("{path}: is a directory, not a Dockerfile"));
        }
        std::fs::read(p).map_err(|e| format!("{path}: {e}"))?
    };
    let name = if path == "-" { "<stdin>".to_string() } else { path.to_string() };
    let text = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    Ok(Source { name, text })
}
